"""The plan_load service and the plan_data selector: the database holds the whole plan."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from machiplan.domain.errors import MachiplanError
from machiplan.plans import models
from machiplan.plans.selectors import plan_data
from machiplan.plans.services import plan_load

pytestmark = pytest.mark.django_db


def test_load_then_read_back_is_the_same_plan(sapporo):
    plan_load(plan=sapporo, source="test")
    assert plan_data(sapporo.code) == sapporo


def test_everything_in_the_seed_is_stored(sapporo):
    plan_load(plan=sapporo)
    assert models.Node.objects.filter(depth=0).count() == 4  # the goals
    assert models.Node.objects.filter(depth=1).count() == 12  # their policies
    assert models.Node.objects.filter(depth=1, priority=True).count() == 6
    assert models.IndicatorNode.objects.count() == 15
    assert models.Initiative.objects.count() == 23
    assert models.Indicator.objects.count() == 15
    assert models.Observation.objects.count() == 75
    assert models.Target.objects.count() == 20
    assert models.Narrative.objects.count() == 12
    assert models.HigherPlan.objects.count() == 2
    obs = models.Observation.objects.get(indicator__code="2e", fy=2014)
    assert obs.breakdown == [["認定", "9"], ["仮認定", "5"], ["条例個別指定", "1"]]
    assert obs.source_text == "15 認定9、仮認定5、 条例個別指定1"
    yen = models.Observation.objects.get(indicator__code="1d", fy=2013)
    assert yen.value == 496_000_000 and yen.approximate


def test_a_second_load_of_the_same_code_is_refused(sapporo):
    plan_load(plan=sapporo)
    with pytest.raises(MachiplanError, match="already exists"):
        plan_load(plan=sapporo)
    assert models.Plan.objects.count() == 1


def test_replace_swaps_the_whole_plan(sapporo):
    plan_load(plan=sapporo)
    smaller = dataclasses.replace(sapporo, title="改訂版", indicators=sapporo.indicators[:3])
    plan_load(plan=smaller, replace=True)
    assert plan_data(sapporo.code) == smaller
    assert models.Observation.objects.count() == sum(len(i.observations) for i in smaller.indicators)
    assert models.Indicator.objects.count() == len(smaller.indicators)
    for model, items in (
        (models.Target, "targets"),
        (models.Baseline, "baselines"),
        (models.IndicatorNode, "nodes"),
    ):
        assert model.objects.count() == sum(len(getattr(i, items)) for i in smaller.indicators)


def test_a_failed_load_writes_nothing(sapporo):
    broken = dataclasses.replace(
        sapporo, code="broken", indicators=(*sapporo.indicators, sapporo.indicators[0])
    )
    with pytest.raises(Exception):  # noqa: B017 - the unique constraint of the database
        plan_load(plan=broken)
    assert not models.Plan.objects.filter(code="broken").exists()
    assert models.Indicator.objects.count() == 0


def test_a_row_the_database_refuses_is_djangos_error_on_every_database(sapporo):
    """PostgreSQL's rows go by COPY, whose errors Django does not translate by itself: a refused row
    is the IntegrityError (or DataError) every other write raises, which the command line reports
    in one line."""
    broken = dataclasses.replace(
        sapporo, code="broken", indicators=(*sapporo.indicators, sapporo.indicators[0])
    )
    with pytest.raises(IntegrityError):
        plan_load(plan=broken)


def test_a_failed_replace_keeps_the_old_plan(sapporo):
    plan_load(plan=sapporo)
    broken = dataclasses.replace(sapporo, indicators=(*sapporo.indicators, sapporo.indicators[0]))
    with pytest.raises(Exception):  # noqa: B017
        plan_load(plan=broken, replace=True)
    assert plan_data(sapporo.code) == sapporo


def test_unknown_plan_code_lists_the_known_ones(sapporo):
    plan_load(plan=sapporo)
    with pytest.raises(MachiplanError, match=r"no plan with code 'tokyo'.*sapporo-machizukuri-2"):
        plan_data("tokyo")


def test_one_indicator_reads_back_as_in_the_whole_plan(sapporo):
    from machiplan.plans.selectors import indicator_data

    plan_load(plan=sapporo)
    for expected in sapporo.indicators:
        header, indicator = indicator_data(sapporo.code, expected.code)
        assert indicator == expected
        assert header.code == sapporo.code and [n.code for n in header.top_nodes] == ["1", "2", "3", "4"]


def test_figures_of_any_text_and_number_read_back_as_loaded(sapporo):
    """The large tables go in by ``executemany`` or, on PostgreSQL, COPY: its text format escapes
    tabs, line breaks, backslashes and its own '\\N' for NULL."""
    first = sapporo.indicators[0]
    awkward = tuple(
        dataclasses.replace(
            o,
            value=value if o.value is not None else None,
            note=note,
            source_text=note,
            breakdown=(('a\t"b"\\N', value), ("改\n行", Decimal(0))) if o.value is not None else (),
            as_of=dt.date(o.fy, 12, 31) if o.kind == "interim" else o.as_of,
        )
        for o, value, note in zip(
            first.observations,
            (Decimal("0.000001"), Decimal("123456789012345"), Decimal("-7.50"), Decimal(0), Decimal("1E+2")),
            ("tab\there", "line\nbreak\r\n", "back\\slash \\N", "\\.", "「引用」 'quote' \"double\""),
            strict=False,
        )
    )
    plan = dataclasses.replace(
        sapporo, indicators=(dataclasses.replace(first, observations=awkward), *sapporo.indicators[1:])
    )
    plan_load(plan=plan)
    assert plan_data(plan.code) == plan


def _with_texts(plan, n: int):
    """``plan`` with one text of each kind that has a column size (domain/limits.py, figures.py)
    ``n`` characters longer or shorter than that size: (where the error names it, the plan)."""
    from machiplan.domain import limits
    from machiplan.domain import plan as domain

    def text(limit: int) -> str:
        return "あ" * (limit + n)

    first, node = plan.indicators[0], plan.nodes[0]
    obs, target = first.observations[0], first.targets[0]

    def indicator(**changes):
        return dataclasses.replace(
            plan, indicators=(dataclasses.replace(first, **changes), *plan.indicators[1:])
        )

    def top(**changes):
        return dataclasses.replace(plan, nodes=(dataclasses.replace(node, **changes), *plan.nodes[1:]))

    scale = domain.RatingScale("a" * (limits.RATING_SCALE["key"] + n), "評価", (domain.Grade("A"),))
    yield "title", dataclasses.replace(plan, title=text(limits.PLAN["title"]))
    yield (
        "municipality.name",
        dataclasses.replace(
            plan,
            municipality=dataclasses.replace(plan.municipality, name=text(limits.PLAN["municipality_name"])),
        ),
    )
    yield "departments[0].name", dataclasses.replace(
        plan, departments=(dataclasses.replace(plan.departments[0], name=text(limits.DEPARTMENT["name"])),
                           *plan.departments[1:]),
    )  # fmt: skip
    yield "higher_plans[0].label", dataclasses.replace(
        plan, higher_plans=(dataclasses.replace(plan.higher_plans[0], label=text(limits.HIGHER_PLAN["label"])),
                            *plan.higher_plans[1:]),
    )  # fmt: skip
    yield f"nodes[{node.code}].name", top(name=text(limits.NODE["name"]))
    yield f"nodes[{node.code}].number", top(number=text(limits.NODE["number"]))
    cost = domain.Cost(2019, 2019, "planned", Decimal(1), label=text(limits.COST["label"]))
    yield f"nodes[{node.code}].label", top(costs=(cost,))
    comment = domain.Comment(2019, "committee", "よい", body_name=text(limits.COMMENT["body_name"]))
    yield f"nodes[{node.code}].body_name", top(comments=(comment,))
    yield (
        "rating_scales[0].key",
        dataclasses.replace(plan, rating_scales=(scale,), ratings=(domain.Rating(2019, scale.key, "A"),)),
    )
    for name in ("name", "unit", "category", "confirmed_when"):
        yield f"indicators[{first.code}].{name}", indicator(**{name: text(limits.INDICATOR[name])})
    yield (
        f"{obs.source}: source_text",
        indicator(observations=(dataclasses.replace(obs, source_text=text(300)), *first.observations[1:])),
    )
    yield (
        f"{target.source}: text",
        indicator(targets=(dataclasses.replace(target, text=text(300)), *first.targets[1:])),
    )


def test_each_text_one_character_too_long_is_refused_by_the_rules_at_its_place(sapporo):
    """The rules every way in keeps (check_plan) refuse a text longer than its column, with the
    figure form's message, at its place: on SQLite, which would keep it whole, as on PostgreSQL."""
    from machiplan.domain.validation import check_plan

    for where, plan in _with_texts(sapporo, 1):
        with pytest.raises(MachiplanError, match="At most") as caught:
            check_plan(plan)
        assert caught.value.where == where, (where, caught.value.where)
        assert models.Plan.objects.count() == 0


def test_each_text_as_long_as_its_column_is_stored_whole_on_every_database(sapporo):
    from machiplan.domain.validation import check_plan

    for where, plan in _with_texts(sapporo, 0):
        check_plan(plan)
        plan_load(plan=plan, replace=True)
        assert plan_data(plan.code) == plan, where
