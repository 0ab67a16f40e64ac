"""One renderer per output format, all fed the same report model.

A renderer is a function ``(report, folder) -> list of files written``;
``RENDERERS`` maps a format name to it, so a new format is one module and one
line here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model import Report
from .csv_files import render_csv
from .html import render_html
from .json_file import render_json
from .markdown import render_markdown
from .pdf import render_pdf
from .xlsx import render_xlsx

Renderer = Callable[[Report, Path], list[Path]]

RENDERERS: dict[str, Renderer] = {
    "html": render_html,
    "pdf": render_pdf,
    "xlsx": render_xlsx,
    "md": render_markdown,
    "json": render_json,
    "csv": render_csv,
}

__all__ = ["RENDERERS", "Renderer"]
