"""report.pdf: A4, laid out by WeasyPrint from the print template; fonts are embedded."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from django.template.loader import render_to_string

from machiplan.domain.errors import MachiplanError

from ..model import Report, as_context


def _check_japanese_font() -> None:
    """The print stylesheet names Noto Sans CJK JP for every text: without it a Japanese glyph would
    print as a box, or in whatever font the machine has. Refuse rather than do that."""
    if shutil.which("fc-list") is None:
        return
    found = subprocess.run(["fc-list", "Noto Sans CJK JP", "family"], capture_output=True, text=True).stdout
    if not found.strip():
        raise MachiplanError(
            "the PDF needs a Japanese font: install fonts-noto-cjk (bin/setup does it as root)"
        )


def render_pdf(report: Report, folder: Path) -> list[Path]:
    _check_japanese_font()
    try:
        from weasyprint import HTML
    except OSError as exc:  # the Pango library is missing
        raise MachiplanError(
            f"the PDF needs the Pango library ({exc}); run bin/setup as root, or apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk"
        ) from None
    path = folder / "report.pdf"
    html = render_to_string("reports/print.html", {**as_context(report), "pdf": True})
    HTML(string=html).write_pdf(path, pdf_identifier=report.plan.code.encode(), uncompressed_pdf=False)
    return [path]
