"""One renderer per output format, all fed the same report model.

A renderer is a function ``(report, folder) -> list of files written``;
``RENDERERS`` maps a format name to it, so a new format (PDF, Excel) is one
new module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model import Report
from .csv_files import render_csv
from .html import render_html
from .json_file import render_json

Renderer = Callable[[Report, Path], list[Path]]

RENDERERS: dict[str, Renderer] = {
    "html": render_html,
    "json": render_json,
    "csv": render_csv,
}

__all__ = ["RENDERERS", "Renderer"]
