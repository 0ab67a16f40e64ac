"""Approval publishes a figure only if it keeps the figure rules as they stand when it is approved:
a figure saved under one indicator definition and approved after the owner changed the definition
must not become a published figure that ``check_plan`` (and so ``load`` of the plan's own export)
refuses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from machiplan.domain.validation import check_plan
from machiplan.interchange.package import read_package_result
from machiplan.plans.models import Indicator, Observation
from machiplan.plans.selectors import plan_data
from machiplan.plans.services import plan_export
from machiplan.plans.services.structure import INDICATOR_FIELDS
from machiplan.staff.errors import Refused
from machiplan.staff.models import Entry
from machiplan.staff.services import entries, structure

from .conftest import PLAN


def _as_cumulative(owner, code: str) -> None:
    """The owner turns the indicator into a running total on the structure pages' service."""
    row = Indicator.objects.select_related("department").get(plan__code=PLAN, code=code)
    values = {name: getattr(row, name) for name in INDICATOR_FIELDS}
    values["measure"] = "cumulative"
    values["department"] = row.department.code if row.department else None
    nodes = list(row.node_links.order_by("order").values_list("node__code", flat=True))
    structure.indicator_save(user=owner, plan_code=PLAN, code=code, values=values, nodes=nodes, lists={})


def test_a_figure_the_rules_now_refuse_is_not_approved(people, tmp_path):
    owner = people["owner"]
    # 2a (団体数, a level): 2,280 … 2,684 approved; FY2018's 100 is a fall, saved with a reason
    entries.entry_save(user=owner, plan_code=PLAN, indicator_code="2a", fy=2018,
                       figure=entries.Figure("actual", Decimal(100)), revision=0,
                       reason="団体の登録を見直したため", submit=True)  # fmt: skip
    _as_cumulative(owner, "2a")  # its approved figures rise every year: the change is kept
    published = Observation.objects.count()

    with pytest.raises(Refused) as refused:
        entries.entry_approve(user=owner, plan_code=PLAN, indicator_code="2a", fy=2018, revision=2)
    assert [p.code for p in refused.value.findings.errors] == ["cumulative_below_previous"]
    assert Observation.objects.count() == published
    assert Entry.objects.get(indicator__code="2a", fy=2018).status == "submitted"

    with pytest.raises(Refused):
        entries.entries_approve(user=owner, plan_code=PLAN, items=[("2a", "", 2018, 2)])
    assert Observation.objects.count() == published

    check_plan(plan_data(PLAN))  # what is published keeps the rules: its export loads again
    plan_export(code=PLAN, out=tmp_path / "pkg")
    assert read_package_result(tmp_path / "pkg").plan.code == PLAN


def test_over_the_api_the_refusal_is_a_400_naming_the_value(people, client):
    from machiplan.staff.services.people import token_create

    owner = people["owner"]
    entries.entry_save(user=owner, plan_code=PLAN, indicator_code="2a", fy=2018,
                       figure=entries.Figure("actual", Decimal(100)), revision=0,
                       reason="団体の登録を見直したため", submit=True)  # fmt: skip
    _as_cumulative(owner, "2a")
    response = client.post(
        f"/api/plans/{PLAN}/indicators/2a/observations/2018/approve/?lang=en",
        {"revision": 2},
        content_type="application/json",
        headers={"Authorization": f"Token {token_create(username='owner')}"},
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"value": ["The running total 100 is below 2,684 of FY2017."]}
    assert not Observation.objects.filter(indicator__code="2a", fy=2018).exists()
