"""Staff: people and their roles, figures entered and approved, and the audit trail."""
