"""The staff pages of a plan far bigger than Sapporo's: a paged list, a bulk upload of a whole department."""

import pytest
from bench.generate import generate
from django.test import Client

from machiplan.interchange import entry_sheet
from machiplan.interchange.package import read_package
from machiplan.plans.services import plan_load
from machiplan.staff.models import AuditEvent, Entry
from machiplan.staff.services import bulk
from machiplan.staff.services.people import user_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(tmp_path):
    plan_load(plan=read_package(generate(tmp_path / "plan", indicators=450)))
    return "generated-450"


def test_the_indicator_list_is_paged(big):
    client = Client()
    client.force_login(user_add(username="v", role="viewer", password="a-long-test-password-9"))
    first = client.get(f"/staff/plans/{big}/").content.decode()
    assert first.count("/indicators/i") == 200 and "1–200 / 450" in first and 'rel="next"' in first
    last = client.get(f"/staff/plans/{big}/?page=3").content.decode()
    assert last.count("/indicators/i") == 50 and 'rel="prev"' in last


def test_a_departments_whole_template_round_trips(big):
    editor = user_add(username="e", role="editor", password="a-long-test-password-9", department="dept-3")
    rows = bulk.template_rows(user=editor, plan_code=big, fy=2024)
    assert len(rows) == 45 and {r[0] for r in rows} == {f"i{n}" for n in range(3, 451, 10)}
    upload = bulk.upload_store(
        user=editor, plan_code=big, filename="t.xlsx", content=entry_sheet.write_xlsx(rows)
    )
    preview = bulk.preview(user=editor, upload=upload)
    assert preview.errors == [] and preview.changes == []  # the template as downloaded changes nothing
    assert bulk.apply(user=editor, upload=upload) == 0 and not Entry.objects.exists()
    assert not AuditEvent.objects.filter(via="bulk").exists()
