"""One renderer per output format, all fed the same report model.

A renderer is a function ``(report, folder) -> list of files written``;
``RENDERERS`` maps a format name to it, so a new format is one module and one
line here. Each module is imported when its format is first made: a report of
one format does not load the libraries of the others (openpyxl and numpy for the
workbook, a tenth of a second and more of a PDF's start-up).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from ..model import Report

Renderer = Callable[[Report, Path], list[Path]]


def _on_first_use(module: str, function: str) -> Renderer:
    """The renderer ``function`` of the module ``module`` here, imported when it is first called."""

    def render(report: Report, folder: Path) -> list[Path]:
        return getattr(import_module(f"{__name__}.{module}"), function)(report, folder)

    render.__name__ = render.__qualname__ = function
    return render


RENDERERS: dict[str, Renderer] = {
    "html": _on_first_use("html", "render_html"),
    "pdf": _on_first_use("pdf", "render_pdf"),
    "xlsx": _on_first_use("xlsx", "render_xlsx"),
    "md": _on_first_use("markdown", "render_markdown"),
    "json": _on_first_use("json_file", "render_json"),
    "csv": _on_first_use("csv_files", "render_csv"),
}

__all__ = ["RENDERERS", "Renderer"]
