"""Plan packages that ship inside machiplan. The Sapporo plan is the default."""

from pathlib import Path

EMBEDDED_DIR = Path(__file__).parent
DEFAULT_PLAN_DIR = EMBEDDED_DIR / "sapporo"
