"""Running an installation: backup and restore of the whole database (see docs/operations.md)."""
