"""The progress report: one report model computed once, one renderer per format."""
