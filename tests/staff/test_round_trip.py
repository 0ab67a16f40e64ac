"""Export then load holds for everything machiplan accepts (#10): a figure the web form or the API
accepts, approved, exported as a package and loaded as a fresh plan, comes back the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from machiplan.domain import plan as domain
from machiplan.domain.quantities import format_breakdown, format_number
from machiplan.interchange.package import read_package_result
from machiplan.plans.selectors import plan_data
from machiplan.plans.services import plan_export, plan_load
from machiplan.staff.forms import FigureForm
from machiplan.staff.models import Entry
from machiplan.staff.services import entries

from .conftest import PLAN

PERCENT = ("1a", "1b")
SURVEY = ("1a",)  # a survey share: its figures may state their sample (回答数, 誤差, デザイン効果)
labels = st.text(min_size=1, max_size=12) | st.text(alphabet='=;[]" ,、認定', min_size=1, max_size=6)


@st.composite
def figures(draw, indicator: str, fy: int) -> entries.Figure | None:
    """A figure that mostly keeps the rules: as the API takes it (any label, any text), or as the
    web form reads what a person types (``None`` when the form refuses it)."""
    kind = draw(st.sampled_from(domain.OBSERVATION_KINDS))
    value, parts, as_of = None, (), None
    if kind in (domain.ACTUAL, domain.INTERIM):
        if indicator in PERCENT:
            value = draw(st.decimals(min_value=0, max_value=100, places=draw(st.integers(0, 6))))
        else:
            parts = tuple(draw(st.lists(st.tuples(labels, st.integers(0, 10**12).map(Decimal)), max_size=3)))
            value = (
                sum((v for _, v in parts), Decimal(0))
                if parts
                else draw(st.decimals(min_value=-(10**14), max_value=10**14, places=draw(st.integers(0, 6))))
            )
    if kind == domain.INTERIM or draw(st.booleans()):
        start = dt.date(fy, 4, 1)
        as_of = draw(st.none() | st.dates(min_value=start, max_value=dt.date(fy + 1, 3, 31)))
    sample = {"sample_size": None, "margin": None, "design_effect": None}
    if indicator in SURVEY and value is not None:
        sample["sample_size"] = draw(st.none() | st.integers(1, 10**8))
        sample["margin"] = draw(st.none() | st.decimals(min_value="0.01", max_value=50, places=2))
        if sample["sample_size"] is not None:
            sample["design_effect"] = draw(st.none() | st.decimals(min_value="0.1", max_value=100, places=2))
    figure = entries.Figure(
        kind=kind, value=value, as_of=as_of, approximate=draw(st.booleans()), breakdown=parts,
        note=draw(st.text(max_size=30)).strip(), **sample,
    )  # fmt: skip
    if draw(st.booleans()):
        return figure
    text = {
        "kind": kind,
        "value": "" if value is None else format_number(value),
        "as_of": as_of or "",
        "approximate": "on" if figure.approximate else "",
        "breakdown": format_breakdown(parts),
        "note": figure.note,
        "revision": 0,
        **{k: "" if v is None else format_number(Decimal(v)) for k, v in sample.items()},
    }
    form = FigureForm(
        {k: v for k, v in text.items() if v != ""}, indicator=entries.indicator_row(PLAN, indicator)
    )
    return form.figure() if form.is_valid() else None


def as_observation(figure: entries.Figure, fy: int) -> tuple:
    return (
        fy,
        figure.kind,
        figure.value,
        figure.as_of,
        figure.approximate,
        tuple(figure.breakdown),
        figure.note,
        figure.sample_size,
        figure.margin,
        figure.design_effect,
    )


def stored(obs: domain.Observation) -> tuple:
    return (obs.fy, obs.kind, obs.value, obs.as_of, obs.approximate, obs.breakdown, obs.note, obs.sample_size,
            obs.margin, obs.design_effect)  # fmt: skip


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    indicator=st.sampled_from(["1a", "1b", "2e", "2a"]),  # a survey %, a %, a count with breakdowns, another
    fy=st.sampled_from([2004, 2013, 2016, 2017, 2019]),
    data=st.data(),
)
def test_an_accepted_figure_survives_export_and_load(people, tmp_path_factory, indicator, fy, data):
    figure = data.draw(figures(indicator, fy))
    assume(figure is not None)
    row = entries.indicator_row(PLAN, indicator)
    findings = entries.check_figure(row, fy, figure)
    assume(not findings.errors)  # anything the form and the API accept
    owner = people["owner"]
    where = {"user": owner, "plan_code": PLAN, "indicator_code": indicator, "fy": fy}
    with transaction.atomic():
        current = Entry.objects.filter(indicator=row, fy=fy).first()
        entry = entries.entry_save(
            figure=figure, revision=current.revision if current else 0, reason="確認済み", **where
        )
        entry = entries.entry_submit(revision=entry.revision, **where)
        entries.entry_approve(revision=entry.revision, **where)
        folder = tmp_path_factory.mktemp("export")
        plan_export(code=PLAN, out=folder)
        exported = read_package_result(folder).plan  # load's own reading and checks
        assert stored(
            exported.indicators[[i.code for i in exported.indicators].index(indicator)].observation(fy)
        ) == (as_observation(figure, fy))
        fresh = replace(exported, code="round-trip")
        plan_load(plan=fresh, source="test")
        assert plan_data("round-trip") == fresh
        transaction.set_rollback(True)
