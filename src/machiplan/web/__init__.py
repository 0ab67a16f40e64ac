"""The public dashboard: a plan, its goals and indicators, for citizens and the review committee."""
