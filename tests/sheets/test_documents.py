"""A dozen documents of our own (tests/data/documents/), made from the shared examples' facts and
varied: records per indicator with 【基本目標N】 tags, 現状 → 目標 lists with values as cities write
them, tables flattened one line per row or scrambled into columns, evaluation sheets per KPI with a
mirror's header repeated, a management form, tallies with lost headings and in sentences, costs, a
page flattened into one line with spaces between every character, a JSON dataset, bands with
indicators not evaluated. Each imports with every fact in place, within the plan rules."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from machiplan.domain.validation import check_plan
from machiplan.sheets import read_document_file

from .document_facts import FACTS
from .facts import facts

DOCUMENTS = Path(__file__).resolve().parents[1] / "data" / "documents"


def read(name: str):
    return read_document_file(DOCUMENTS / name)


def test_a_dozen_documents():
    assert sorted(p.name for p in DOCUMENTS.iterdir() if p.is_file()) == sorted(FACTS) and len(FACTS) >= 12


@pytest.mark.parametrize("name", sorted(FACTS))
def test_every_fact_in_place(name):
    layout, expected = FACTS[name]
    result = read(name)
    check_plan(result.plan)
    assert result.layout == layout
    assert result.structure[0].what == "layout" and result.structure[0].value == layout
    got = facts(result.plan)
    missing = [f for f in expected if got[f] == 0]
    assert not missing, missing
    assert sum(got.values()) == len(expected), "facts the document does not hold were made up"
    for ind in result.plan.indicators:  # every figure says where it came from
        for item in (*ind.observations, *ind.targets, *ind.baselines):
            assert re.fullmatch(rf"{re.escape(name)}:\d+", item.source), (ind.name, item)


def _ind(plan, name):
    return next(i for i in plan.indicators if i.name == name)


def test_values_as_cities_write_them():
    plan = read("arrows.txt").plan
    visits = _ind(plan, "農業体験の受入回数")  # 年2回 → 年4回
    assert (visits.per, visits.unit, visits.measure) == ("year", "回", "flow")
    smart = _ind(plan, "スマート農業の導入")  # 未導入 → 試行(R3) → 本格導入(R5): a staged text target
    assert smart.baselines[0].text == "未導入" and smart.value_type == "state"
    assert [(t.kind, t.fy, t.text) for t in smart.targets] == [
        ("annual", 2021, "試行"),
        ("final", 2023, "本格導入"),
    ]
    share = _ind(plan, "子育て支援に満足している保護者の割合")  # 32.0%(平成27年度)→40.0%(令和2年度)
    assert (share.baselines[0].fy, share.baselines[0].value, share.targets[0].fy) == (
        2015,
        Decimal("32.0"),
        2020,
    )
    assert share.survey and share.unit == "%"
    births = _ind(plan, "合計特殊出生率")  # 1.52(2018年): a calendar year beside fiscal ones
    assert (births.baselines[0].fy, births.baselines[0].period) == (2018, "cy")
    assert _ind(plan, "保育所待機児童数").direction == "decrease"
    assert all(
        not t.year_stated for t in _ind(plan, "認定農業者数").targets
    )  # '5年後の目標': no year written
    assert (plan.start_fy, plan.end_fy) == (2020, 2024)  # from the date 2020年6月1日 and 5年後


def test_records_negative_per_mille_and_operators():
    plan = read("records.txt").plan
    moves = _ind(plan, "転出超過数")
    assert moves.baselines[0].value == -152 and moves.observations[0].value == -98
    assert (moves.targets[0].value, moves.targets[0].operator) == (0, "at_least")
    infants = _ind(plan, "乳児死亡率")
    assert (infants.unit, infants.targets[0].operator, infants.direction) == ("‰", "at_most", "decrease")
    births = _ind(plan, "合計特殊出生率")
    assert [plan.node(n).name for n in births.nodes] == ["基本目標1", "基本目標4"]
    assert (
        births.definition == "一人の女性が生涯に産む子どもの数の平均" and births.data_source == "人口動態統計"
    )
    assert (births.observations[0].fy, births.observations[0].period) == (2019, "cy")  # 現状値 after 初期値


def test_a_kpi_sheet_scrambled_with_its_mirror_header():
    result = read("kpi-sheets.txt")
    [kpi] = result.plan.indicators
    assert kpi.department and result.plan.departments[0].name == "企画経営課"
    assert kpi.calculation == "移住相談窓口の記録から転入者を集計" and kpi.confirmed_when == "R2: 確定"
    assert kpi.target_rationale.startswith("過去5年間の平均増加数")
    assert kpi.baselines[0].as_of == dt.date(2019, 4, 1)
    assert any(g.what == "noise" for g in result.structure)  # the mirror's lines, said
    assert any(g.what == "cell" and "従前値" in g.value for g in result.structure)


def test_the_form_gives_a_lost_unit_to_the_indicator_without_one():
    result = read("form.txt")
    assert [n.code for n in result.plan.nodes] == ["2", "2-3"]
    share = _ind(result.plan, "地域の支え合いが進んでいると思う市民の割合")
    assert share.unit == "%" and share.survey
    assert any(g.what == "column" for g in result.structure)


def test_headings_lost_and_totals_checked():
    result = read("tallies-rows.txt")
    assert [g.code for g in result.plan.rating_scale("class").grades] == ["区分1", "区分2", "区分3"]
    assert not [w for w in result.warnings if "add up" in w.message]
    sentence = read("tallies-sentence.txt").plan
    scale = sentence.rating_scale("achievement")
    assert [(g.code, g.label) for g in scale.grades] == [
        ("A", "目標値以上"), ("B", "目標値の8割以上"), ("C", "目標値の8割未満"), ("D", "事業終了"),
    ]  # fmt: skip


def test_a_page_flattened_into_one_line_with_spaces_between_characters():
    plan = read("outline-one-line.txt").plan
    assert plan.node("1").statement.startswith("安心して子どもを産み育てられるよう")
    assert plan.node("2").name == "地域で子どもを育てる環境づくり"  # '基 本 目 標 2   地 域 で …'


def test_a_dataset_says_its_municipality():
    plan = read("dataset.json").plan
    assert plan.municipality.code == "013455"
    assert plan.node("1").initiatives[0].text == "子どもが地域で安心して過ごしている"
