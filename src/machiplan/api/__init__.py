"""The public, read-only API: the plan JSON contract over HTTP, described by OpenAPI."""
