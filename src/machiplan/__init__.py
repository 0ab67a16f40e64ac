"""machiplan: progress management for municipal plans."""

__version__ = "0.1.0"
