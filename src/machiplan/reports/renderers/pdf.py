"""report.pdf: A4, laid out by WeasyPrint from the print template; fonts are embedded.

The PDF is tagged as PDF/UA-1 (ISO 14289-1) by WeasyPrint's own ``pdf/ua-1`` variant: a structure
tree made from the HTML (H1–H6, P, L/LI, Table/TR/TH/TD with each data cell's /Headers, Figure
with /Alt from the chart's ``alt``, Art, Sect), every painted thing either marked content in that
tree or an /Artifact (borders, backgrounds, the running headers and page numbers), /MarkInfo
Marked, /Lang from ``<html lang>``, the title from ``<title>`` shown as the window's title
(DisplayDocTitle), and the PDF/UA identifier in the XMP metadata. docs/report.md says how the
tests check it.
"""

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
    options = {
        "pdf_identifier": report.plan.code.encode(),
        "pdf_variant": "pdf/ua-1",
        "uncompressed_pdf": False,
    }

    def layout(long_blocks: frozenset[str]):
        context = {**as_context(report), "pdf": True, "long_blocks": long_blocks}
        return HTML(string=render_to_string("reports/print.html", context)).render(**options)

    document = layout(frozenset())
    long_blocks = split_blocks(report, document.pages)
    if long_blocks:  # laid out again, those blocks flowing from where they start
        document = layout(long_blocks)
    document.write_pdf(path, **options)
    return [path]


def split_blocks(report: Report, pages) -> frozenset[str]:
    """The indicators whose block begins on one page and ends on another: taller than a page, as
    every block is kept whole (print.css) where it fits. Each is marked ``long`` and laid out
    again without being moved whole to the next page, which would leave the heading before it
    (評価) alone on a page."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for number, page in enumerate(pages):
        for anchor in page.anchors:
            first.setdefault(anchor, number)
            last[anchor] = number
    codes = {view.indicator.code for section in report.sections for view in section.indicators}
    return frozenset(
        code
        for code in codes
        if f"indicator-{code}" in first
        and first[f"indicator-{code}"] != last.get(f"indicator-{code}-end", first[f"indicator-{code}"])
    )
