"""Write a stored plan out as a plan package."""

from __future__ import annotations

from pathlib import Path

from machiplan.interchange.folders import write_into
from machiplan.interchange.package import PACKAGE_FILES, write_package

from ..selectors import plan_data


def plan_export(*, code: str, out: str | Path) -> Path:
    """Write the package into ``out`` (created if missing); files appear only when all are written.

    An older package's files this plan has no rows for (baselines.csv …) are removed with them,
    so that loading ``out`` gives back this plan; other files in ``out`` are left alone."""
    plan = plan_data(code)
    write_into(out, lambda scratch: sorted(write_package(plan, scratch).iterdir()), owns=PACKAGE_FILES)
    return Path(out)
