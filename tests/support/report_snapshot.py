"""Write the embedded plan's report outputs as they are today, for the comparison test.

    .venv/bin/python tests/support/report_snapshot.py tests/data/sapporo-before

``tests/reports/test_sapporo_unchanged.py`` imports ``write_snapshot``, ``xlsx_values`` and
``index_text`` from here, so the saved files and today's are made the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from pathlib import Path

DATE = dt.date(2026, 1, 15)
FORMATS = ("md", "json", "csv", "xlsx", "html")


def xlsx_values(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's cell values, row by row, as JSON would keep them."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    cells = {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    return json.loads(json.dumps(cells, ensure_ascii=False, default=str))


def index_text(html: str) -> str:
    """The text of index.html's <main>, one line per piece of text, charts left out."""
    body = html[html.index("<main") : html.index("</main>")] if "<main" in html else html
    text = re.sub(r"<svg.*?</svg>", "", body, flags=re.S)
    text = re.sub(r"<[^>]+>", "\n", text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(lines) + "\n"


def write_snapshot(plan, folder: Path, lang: str) -> None:
    """The report of ``plan`` in ``lang`` as the snapshot keeps it, written into ``folder``."""
    from machiplan.reports.model import build_report
    from machiplan.reports.renderers import RENDERERS

    report = build_report(plan, lang=lang, today=DATE, charts=False)
    folder.mkdir(parents=True, exist_ok=True)
    for fmt in FORMATS:
        RENDERERS[fmt](report, folder)
    values = xlsx_values(folder / "report.xlsx")
    (folder / "report.xlsx.json").write_text(
        json.dumps(values, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (folder / "report.xlsx").unlink()
    html = (folder / "index.html").read_text(encoding="utf-8")
    (folder / "index.txt").write_text(index_text(html), encoding="utf-8")
    (folder / "index.html").unlink()


def main(out: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "machiplan.settings")
    import django

    django.setup()
    from machiplan.embedded import DEFAULT_PLAN_DIR
    from machiplan.interchange.package import read_package

    plan = read_package(DEFAULT_PLAN_DIR)
    for lang in ("ja", "en"):
        write_snapshot(plan, out / lang, lang)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
