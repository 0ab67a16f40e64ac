"""The plan model: plans, goals, policies, indicators, observations, targets, narratives."""
