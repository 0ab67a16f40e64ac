"""Write the embedded plan's report outputs as they are today, for the comparison test."""
import datetime as dt, json, sys, re
from pathlib import Path
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "machiplan.settings")
out = Path(sys.argv[1])
from machiplan.embedded import DEFAULT_PLAN_DIR
from machiplan.interchange.package import read_package
from machiplan.reports.model import build_report
from machiplan.reports.renderers import RENDERERS
import openpyxl, tempfile
django.setup()
plan = read_package(DEFAULT_PLAN_DIR)
for lang in ("ja", "en"):
    report = build_report(plan, lang=lang, today=dt.date(2026, 1, 15), charts=False)
    folder = out / lang
    folder.mkdir(parents=True, exist_ok=True)
    for fmt in ("md", "json", "csv", "xlsx", "html"):
        RENDERERS[fmt](report, folder)
    book = openpyxl.load_workbook(folder / "report.xlsx")
    cells = {ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    (folder / "report.xlsx.json").write_text(json.dumps(cells, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    (folder / "report.xlsx").unlink()
    html = (folder / "index.html").read_text(encoding="utf-8")
    body = html[html.index("<main"):html.index("</main>")] if "<main" in html else html
    text = re.sub(r"<svg.*?</svg>", "", body, flags=re.S)
    text = re.sub(r"<[^>]+>", "\n", text)
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    (folder / "index.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "index.html").unlink()
