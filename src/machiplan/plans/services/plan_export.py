"""Write a stored plan out as a plan package."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from machiplan.domain.errors import MachiplanError
from machiplan.interchange.package import write_package

from ..selectors import plan_data


def plan_export(*, code: str, out: str | Path) -> Path:
    """Write the package into ``out`` (created if missing); files appear only when all are written."""
    plan = plan_data(code)
    target = Path(out)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MachiplanError(f"cannot create the folder: {exc.strerror}", where=str(target)) from None
    scratch = Path(tempfile.mkdtemp(prefix=".machiplan-export-", dir=target))
    try:
        write_package(plan, scratch)
        for path in sorted(scratch.iterdir()):
            os.replace(path, target / path.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target
