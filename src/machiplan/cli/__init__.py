"""The ``machiplan`` command line: thin commands over the shared services."""
