"""index.html: one self-contained page (styles inlined, no network requests)."""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string

from ..model import Report, as_context


def render_html(report: Report, folder: Path) -> list[Path]:
    path = folder / "index.html"
    path.write_text(render_to_string("reports/index.html", as_context(report)), encoding="utf-8")
    return [path]
