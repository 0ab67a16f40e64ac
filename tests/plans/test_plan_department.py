"""The department that owns a plan and issues its report (所管課, plan.yaml's ``department``), through
every layer: the package, the database, the plan JSON, export → load, the printed and HTML report,
the public pages' footer.

The plan: Nanto's (tests/data/real/nanto), whose sheet names its 施策統括課 (農林課) among three
departments — without the field its report could name none of them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from machiplan.domain.errors import MachiplanError
from machiplan.interchange.package import read_package
from machiplan.interchange.plan_json import plan_json
from machiplan.plans import models
from machiplan.plans.selectors import plan_data
from machiplan.plans.services import plan_export, plan_load
from machiplan.reports.services import report_write

NANTO = Path(__file__).resolve().parents[1] / "data" / "real" / "nanto"
CODE = "nanto-sougou"
OWNER = "農林課（施策統括課長 芝井 広）"

pytestmark = pytest.mark.django_db


def _package(folder: Path, department: str | None) -> Path:
    """Nanto's package, with ``department: …`` in its plan.yaml when given."""
    shutil.copytree(NANTO, folder)
    if department is not None:
        path = folder / "plan.yaml"
        text = path.read_text(encoding="utf-8")
        assert "\ndepartments:" in text
        path.write_text(
            text.replace("\ndepartments:", f"\ndepartment: {department}\ndepartments:", 1), encoding="utf-8"
        )
    return folder


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def owned(tmp_path):
    plan = read_package(_package(tmp_path / "nanto", "norin"))
    plan_load(plan=plan, source="test")
    return plan


def test_without_it_a_plan_of_several_departments_names_none(tmp_path):
    plan = read_package(_package(tmp_path / "nanto", None))
    assert plan.department is None and len(plan.departments) == 3 and plan.issuing_department is None
    plan_load(plan=plan)
    assert models.Plan.objects.get(code=CODE).department is None
    assert plan_data(CODE) == plan and plan_json(plan)["plan"]["department"] is None


def test_the_package_names_it_and_the_database_keeps_it(owned):
    assert owned.department == "norin" and owned.issuing_department.name == OWNER
    row = models.Plan.objects.get(code=CODE)
    assert row.department.code == "norin" and row.department.name == OWNER
    assert plan_data(CODE) == owned


def test_the_plan_json_names_it(owned):
    document = plan_json(plan_data(CODE))
    assert document["plan"]["department"] == "norin"
    assert {"code": "norin", "name": OWNER} in document["plan"]["departments"]


def test_export_then_load_keeps_it(owned, tmp_path):
    plan_export(code=CODE, out=tmp_path / "out")
    assert "\ndepartment: norin\n" in (tmp_path / "out" / "plan.yaml").read_text(encoding="utf-8")
    again = read_package(tmp_path / "out")
    assert again == owned
    plan_load(plan=again, replace=True)
    assert plan_data(CODE) == owned


def test_the_report_cover_and_issuer_line_name_it(owned, tmp_path):
    report, _ = report_write(code=CODE, out=tmp_path / "ja", formats=["pdf", "html"], charts=False)
    assert report.issuer == f"南砺市 {OWNER}"
    cover = squash(PdfReader(tmp_path / "ja" / "report.pdf").pages[0].extract_text())
    assert f"発行南砺市{squash(OWNER)}" in cover
    html = (tmp_path / "ja" / "index.html").read_text(encoding="utf-8")
    assert f"<dt>発行</dt><dd>南砺市 {OWNER}</dd>" in html
    report_write(code=CODE, out=tmp_path / "en", lang="en", formats=["pdf"], charts=False)
    cover = squash(PdfReader(tmp_path / "en" / "report.pdf").pages[0].extract_text())
    assert f"Issuedby南砺市{squash(OWNER)}" in cover


def test_the_public_pages_footer_names_it(owned, client):
    cache.clear()
    for url in (f"/plans/{CODE}/", f"/plans/{CODE}/?lang=en", f"/plans/{CODE}/indicators/1-1-taisho-B/"):
        page = client.get(url).content.decode()
        footer = page.split("<footer>")[1]
        assert f"南砺市 {OWNER}</span>（162116）" in footer, url


def test_an_undeclared_department_is_refused_at_its_place(tmp_path):
    with pytest.raises(
        MachiplanError, match=r"^plan.yaml.department: department 'kikaku' is not declared under departments$"
    ):
        read_package(_package(tmp_path / "nanto", "kikaku"))
