"""The staff pages: thin views over the staff services and selectors."""
