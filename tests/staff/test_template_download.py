"""The bulk template's download: only a real department of the plan, and a file name nobody can rewrite."""

import pytest

from machiplan.plans.models import Department, Plan

from .conftest import PLAN

TEMPLATE = f"/staff/plans/{PLAN}/bulk/template/"


@pytest.mark.parametrize(
    "department",
    [
        'chiiki-katsudo"; filename="evil.exe',
        "chiiki-katsudo\r\nSet-Cookie: sessionid=x",
        "no-such-department",
    ],
)
@pytest.mark.parametrize("person", ["owner", "editor"])
def test_a_department_that_is_not_the_plans_is_404(as_, person, department):
    response = as_(person).get(TEMPLATE, {"fy": "2017", "format": "csv", "department": department})
    assert response.status_code == 404
    assert "Set-Cookie" not in str(response.headers) and "evil" not in response.get("Content-Disposition", "")


def test_the_file_name_is_the_plan_department_and_year(as_):
    owner = as_("owner").get(TEMPLATE, {"fy": "H29", "format": "csv", "department": "shimin-jichi"})
    assert owner["Content-Disposition"] == f'attachment; filename="{PLAN}-shimin-jichi-FY2017.csv"'
    everything = as_("owner").get(TEMPLATE, {"fy": "2017"})
    assert everything["Content-Disposition"] == f'attachment; filename="{PLAN}-all-FY2017.xlsx"'
    # an editor gets their own department's template, and its name says so
    editor = as_("editor").get(TEMPLATE, {"fy": "2017", "format": "csv", "department": "shimin-jichi"})
    assert editor["Content-Disposition"] == f'attachment; filename="{PLAN}-chiiki-katsudo-FY2017.csv"'


def test_a_department_code_in_japanese_is_named_by_rfc_5987(as_):
    department = Department.objects.create(code="地域活動", name="地域活動推進課")
    Plan.objects.get(code=PLAN).departments.add(department)
    response = as_("owner").get(TEMPLATE, {"fy": "2017", "format": "csv", "department": "地域活動"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{PLAN}-%E5%9C%B0%E5%9F%9F%E6%B4%BB%E5%8B%95-FY2017.csv"
    )
