"""index.html: one self-contained page (styles inlined, no network requests)."""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string

from ..model import Report, as_context


def render_html(report: Report, folder: Path) -> list[Path]:
    path = folder / "index.html"
    path.write_text(render_to_string("reports/index.html", page_context(report)), encoding="utf-8")
    return [path]


def page_context(report: Report) -> dict:
    """The report's context, saying it is not the printed one: the partials it shares with the PDF
    ask ``pdf`` and ``long_blocks`` of each indicator, and a variable Django has to find missing
    costs it an exception (4 % of the page's time at 10,000 indicators)."""
    return {**as_context(report), "pdf": False, "long_blocks": frozenset()}
