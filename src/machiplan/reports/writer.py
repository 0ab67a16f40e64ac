"""Write a report's files all at once: into a scratch folder first, then moved into place,
so a failure leaves the output folder as it was."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from machiplan.domain.errors import MachiplanError

from .model import Report
from .renderers import RENDERERS


def write_report(report: Report, out_dir: str | Path, formats: Iterable[str] | None = None) -> list[Path]:
    out = Path(out_dir)
    chosen = list(formats or RENDERERS)
    unknown = [f for f in chosen if f not in RENDERERS]
    if unknown:
        raise MachiplanError(
            f"unknown report format(s): {', '.join(unknown)} (known: {', '.join(RENDERERS)})"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MachiplanError(f"cannot create the output folder: {exc.strerror}", where=str(out)) from None
    scratch = Path(tempfile.mkdtemp(prefix=".machiplan-report-", dir=out))
    try:
        written = [path for name in chosen for path in RENDERERS[name](report, scratch)]
        final = []
        for path in written:
            target = out / path.relative_to(scratch)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            final.append(target)
        return final
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
