"""Any table, however odd: one error naming its place, or a plan that keeps the rules, can be
evaluated and shown, and reads back the same through its suggested mapping; a mapping made of
one table, used on another, never fails otherwise."""

from __future__ import annotations

import csv
import io

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from machiplan.domain.errors import MachiplanError
from machiplan.domain.evaluation import evaluate_plan
from machiplan.domain.validation import check_plan
from machiplan.interchange.plan_json import plan_json
from machiplan.tables import PlanFacts, mapping_from_document, mapping_yaml, read_table

HEADERS = [
    "指標名", "単位", "区分", "令和元年", "令和2年実績", "令和4年9月30日現在", "令和4年末見込", "5ヵ年目標", "現状値",
    "目標値", "初期値", "年度", "値", "出典", "施策番号", "基本目標", "", "備考", "目標年度", "No", "現状→目標",
    "担当課", "指標の方向性", "H27", "2019", "実績 令和3年度", "中間目標",
]  # fmt: skip
CELLS = [
    "32.0%(平成27年度)", "2,000人以上", "15%以下", "▲3", "年4回", "R4.9.30現在 640", "令和4年末見込", "―", "今後調査",
    "全員取得", "1.4人/年 → 4組/年", "4億3,0000万円", "0", "100", "1,234", "120%", "-", "1章 まち", "①子育て",
    "(1)振興", "1-1", "Ⅰ-2-(3)", "11102", "KPI", "目標", "実績", "H27", "令和2年度", "2019", "※1 注", "合計",
    "=SUM(A1)", "(H29.2.30時点)", "k㎡", "↑", "減少", "12,34", "1e5", "NaN", "9" * 30, "0.0000001", "9999年度",
    "R99", "待機児童数", "転入者数", "市民の割合（%）", "", "", "",
]  # fmt: skip


def _table(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


tables = st.integers(1, 10).flatmap(
    lambda width: st.lists(
        st.lists(st.sampled_from(CELLS), min_size=width, max_size=width), min_size=1, max_size=12
    ).flatmap(
        lambda body: st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width).map(
            lambda header: _table([header, *body])
        )
    )
)
facts = st.sampled_from([None, PlanFacts(start_fy=2019, end_fy=2023)])


@settings(max_examples=300)
@given(tables, facts)
def test_a_table_is_one_error_or_a_plan_that_shows_and_reads_back(data, given_facts):
    try:
        result = read_table(data, "t.csv", facts=given_facts)
        check_plan(result.plan)
        plan_json(result.plan, evaluate_plan(result.plan))
    except MachiplanError as exc:
        assert str(exc).startswith("t.csv"), exc
        return
    mapping = mapping_from_document(yaml.safe_load(mapping_yaml(result.mapping)), "m.yaml")
    assert read_table(data, "t.csv", mapping=mapping).plan == result.plan


@settings(max_examples=200)
@given(tables, tables)
def test_a_mapping_on_another_table_is_one_error_or_a_plan(first, second):
    try:
        mapping = read_table(first, "a.csv", facts=PlanFacts(start_fy=2019, end_fy=2023)).mapping
    except MachiplanError:
        return
    try:
        read_table(second, "b.csv", mapping=mapping)
    except MachiplanError as exc:
        assert str(exc).startswith("b.csv"), exc
