"""A dozen tables in the layouts cities use (tests/tables/sheets.py): each imports with every
fact in place — its hierarchy, indicators, figures with their years, kinds and cells, targets,
baselines, definitions and sources — and what it could not read is a warning naming the cell."""

from __future__ import annotations

import pytest

from machiplan.domain.validation import check_plan
from machiplan.tables import PlanFacts, read_table
from tests.tables import sheets
from tests.tables.facts import check, indicator

# fmt: off  (a fact a line)


def read(layout: str, **facts):
    name, data = sheets.LAYOUTS[layout]()
    result = read_table(data, name, facts=PlanFacts(**facts))
    check_plan(result.plan)  # every plan keeps the rules: each figure's place is its cell
    return result


def warnings(result) -> list[str]:
    return [str(w) for w in result.warnings if "municipality" not in w.message]


X = "成果指標.xlsx!進捗管理表!"  # the urakawa sheet's cells


def test_year_columns_with_a_category_codes_and_merged_goals():
    result = read("urakawa_r4", municipality_code="016071")
    plan = result.plan
    facts = [
        ("plan", {"title": sheets.URAKAWA_TITLE, "start_fy": 2019, "end_fy": 2023}),
        ("plan", {"municipality": plan.municipality.__class__("浦河町", "016071")}),
        ("node", "1", {"name": "競争力のある産業振興による活力あるまちづくり", "parent": None}),
        ("node", "1-1", {"name": "第一次産業の振興", "parent": "1"}),
        ("node", "1-2", {"name": "新たな観光産業の振興", "parent": "1"}),
        ("node", "2-1", {"name": "移住・定住の促進", "parent": "2"}),
        (
            "indicator",
            "新規就農者数",
            {"code": "1-1-1", "nodes": ("1-1",), "unit": "組", "type": "kpi", "per": "year"},
        ),
        ("obs", "新規就農者数", 2019, {"kind": "actual", "value": 1, "source": X + "G5"}),
        ("obs", "新規就農者数", 2020, {"kind": "actual", "value": 2, "source": X + "H5", "source_text": "2"}),
        (
            "obs",
            "新規就農者数",
            2022,
            {"kind": "interim", "value": 1, "as_of": "2022-09-30", "source": X + "J5"},
        ),
        (
            "target",
            "新規就農者数",
            "final",
            2023,
            {"value": 4, "year_stated": False, "source": X + "L5", "source_text": "年4組"},
        ),
        ("obs", "給食での地場産物利用率", 2020, {"value": "34.5"}),
        ("target", "給食での地場産物利用率", "final", 2023, {"value": 38, "operator": "at_least"}),
        (
            "indicator",
            "着地型・体験型観光による入込者数",
            {"note": sheets.URAKAWA_NOTES[0]},
        ),  # the ※1 note below
        (
            "target",
            "着地型・体験型観光による入込者数",
            "final",
            None,
            {"value": 2000, "operator": "at_least", "source_text": "2,000人以上"},
        ),
        # the forecast beside the interim value of the same year is kept in its note, with its cell
        (
            "obs",
            "着地型・体験型観光による入込者数",
            2022,
            {"kind": "interim", "value": 40, "note": f"見込: 52 ({X}K7)"},
        ),
        ("obs", "観光客の苦情件数", 2022, {"value": -3, "source_text": "▲3"}),
        ("target", "観光客の苦情件数", "final", None, {"value": 15, "operator": "at_most"}),
        (
            "indicator",
            "観光客の苦情件数",
            {"direction": "decrease", "note": "前年度との差", "department": "dept-3"},
        ),
        ("indicator", "転入者数", {"type": "kgi", "nodes": ("2-1",)}),
        (
            "obs",
            "転入者数",
            2022,
            {"kind": "interim", "value": 350, "as_of": "2022-09-30", "source_text": "R4.9.30現在 350"},
        ),
        ("target", "転入者数", "final", 2023, {"value": 800, "operator": None}),
        ("obs", "空き家バンク登録件数", 2022, {"kind": "none", "value": None, "source_text": "―"}),
    ]
    assert check(plan, facts) == len(facts)
    assert [d.name for d in plan.departments] == ["農林水産課", "学校給食センター", "商工観光課", "企画課"]
    assert plan.description == "\n".join(sheets.URAKAWA_NOTES[1:])  # notes for no one indicator: the plan's
    assert [lv.name for lv in plan.levels] == ["基本目標", "施策"]
    assert warnings(result) == []
    said = {(g.where, g.value) for g in result.mapping_guesses}
    assert ("column J", "interim FY2022 as of 2022-09-30") in said and ("column K", "forecast FY2022") in said
    assert ("column L", "target") in said and ("plan.end_fy", "2023") in said
    assert ("1-2-2", "direction", "decrease") in {(c, g.field, g.value) for c, g in result.guesses}


def test_current_and_target_with_their_years_in_the_cells_series_and_sources():
    result = read("chiba", municipality="千葉市", municipality_code="121002", start_fy=2026, end_fy=2028)
    f = "chiba-kpi.csv!"
    facts = [
        ("node", "3", {"name": "健康・福祉"}),
        ("node", "8", {"name": "地域経済"}),
        (
            "indicator",
            sheets.CHIBA_OVERALL,
            {
                "nodes": (),
                "type": "kgi",
                "unit": "%",
                "survey": True,
                "data_source": "千葉市まちづくりアンケート",
            },
        ),
        (
            "baseline",
            sheets.CHIBA_OVERALL,
            "現状値",
            {"fy": 2025, "period": "cy", "value": "74.3", "source": f + "F2"},
        ),
        (
            "target",
            sheets.CHIBA_OVERALL,
            "final",
            2032,
            {"value": 80, "operator": "at_least", "year_stated": True},
        ),
        ("indicator", "健康寿命の延伸", {"series": ("男性", "女性"), "unit": "年"}),
        ("baseline", "健康寿命の延伸@男性", "現状値", {"fy": 2020, "value": "80.04"}),
        ("baseline", "健康寿命の延伸@女性", "現状値", {"fy": 2020, "value": "84.78", "source": f + "F4"}),
        (
            "target",
            "健康寿命の延伸@女性",
            "final",
            2028,
            {"value": None, "text": "平均寿命の増加分を上回る健康寿命の増加"},
        ),
        (
            "baseline",
            "介護・支援を必要としない高齢者の割合（75歳以上85歳未満）",
            "現状値",
            {"fy": 2024, "as_of": "2025-03-31", "value": "81.9"},
        ),
        ("target", "保育所待機児童数", "final", 2028, {"value": 0}),
        ("indicator", "保育所待機児童数", {"direction": "decrease", "data_source": "所管課集計"}),
        ("indicator", "一時保護児童一人当たりの平均在所日数", {"direction": "decrease", "unit": "日"}),
        (
            "baseline",
            "将来の夢や目標を持っている児童生徒の割合@中学3年生",
            "現状値",
            {"value": "64.2", "fy": 2024},
        ),
        ("target", "将来の夢や目標を持っている児童生徒の割合@小学6年生", "final", 2028, {"value": 87}),
        ("indicator", "市民一人当たりの総生産額（名目）", {"unit": "千円"}),
        (
            "baseline",
            "市民一人当たりの総生産額（名目）",
            "現状値",
            {"value": 4344, "fy": 2020, "source_text": "4,344千円（2020年度）"},
        ),
        ("target", "市民一人当たりの総生産額（名目）", "final", 2025, {"value": 4488}),
        ("target", "市内農業産出額", "final", 2027, {"value": "93.1"}),
        (
            "indicator",
            "市内農業産出額",
            {"unit": "億円", "data_source": "農林水産省市町村別農業産出額（推計）"},
        ),
    ]
    assert check(result.plan, facts) == len(facts)
    assert result.encoding == "cp932" and warnings(result) == []


def test_a_row_per_kind_under_merged_names_with_yearly_targets():
    result = read("tsukuba", municipality="つくば市", municipality_code="082201")
    s = "tsukuba-kpi-h27.xlsx!KPI!"
    facts = [
        ("plan", {"start_fy": 2015, "end_fy": 2019}),
        ("node", "Ⅰ", {"name": "つくば市の特性をいかした産業競争力の強化でしごとをつくる"}),
        ("node", "Ⅰ-1", {"number": "1", "parent": "Ⅰ"}),
        ("node", "Ⅰ-1-(1)", {"number": "(1)", "name": "科学技術の振興によるまちづくり", "parent": "Ⅰ-1"}),
        (
            "indicator",
            sheets.TSUKUBA_KPI_1,
            {
                "nodes": ("Ⅰ-1-(1)",),
                "unit": "プロジェクト",
                "department": "dept-1",
                "calculation": "新規プロジェクトとして国に報告した件数のカウント",
                "confirmed_when": "H27数値確定",
            },
        ),
        ("baseline", sheets.TSUKUBA_KPI_1, "従前値", {"fy": 2015, "value": 7, "source": s + "G6"}),
        ("obs", sheets.TSUKUBA_KPI_1, 2015, {"kind": "actual", "value": 8, "source": s + "I7"}),
        ("target", sheets.TSUKUBA_KPI_1, "annual", 2019, {"value": 12, "source": s + "M6"}),
        ("target", sheets.TSUKUBA_KPI_1, "final", 2019, {"value": 12, "source": s + "N6"}),
        ("baseline", sheets.TSUKUBA_KPI_2, "従前値", {"fy": 2014, "value": 3}),
        ("target", sheets.TSUKUBA_KPI_2, "annual", 2016, {"value": 5, "source": s + "J8"}),
        ("obs", sheets.TSUKUBA_KPI_2, 2015, {"value": 5, "source": s + "I9"}),
    ]
    assert check(result.plan, facts) == len(facts)
    ind = indicator(result.plan, sheets.TSUKUBA_KPI_1)
    assert ind.target_rationale.startswith("区申請時(平成23年)") and len(ind.targets) == 2  # '-' is no target
    assert [lv.name for lv in result.plan.levels] == ["基本目標", "基本施策", "個別施策"]


def test_groups_headed_by_rows_a_target_in_words_and_notes():
    result = read("mima", municipality_code="362077")
    s = "mima-seika.xlsx!成果指標!"
    facts = [
        ("plan", {"end_fy": 2019, "title": "美馬市総合計画 成果指標（目標年次 平成31年度）"}),
        ("node", "1", {"number": "1章", "name": "市民の個性と能力が発揮できるまちづくり(教育・文化)"}),
        ("node", "1-①", {"number": "①", "name": "子育て・就学前教育", "parent": "1"}),
        ("node", "1-⑤", {"name": "生涯スポーツ"}),
        (
            "indicator",
            "待機児童",
            {
                "nodes": ("1-①",),
                "unit": "人",
                "direction": "decrease",
                "definition": "市では待機児童は存在しないが、今後も保育ニーズ量に対する受け皿を確保していく。",
            },
        ),
        ("baseline", "待機児童", "現状", {"fy": None, "value": 0, "source": s + "C6"}),
        ("target", "待機児童", "final", 2019, {"value": 0, "year_stated": True, "source": s + "D6"}),
        ("indicator", "認定こども園", {"unit": "カ所"}),
        ("target", "母子・父子相談件数", "final", 2019, {"value": 1000, "source_text": "1,000"}),
        ("indicator", "母子・父子相談件数", {"note": "※母子・父子相談件数は延べ件数。"}),
        ("target", "(幼稚園教諭の)保育士資格取得", "final", 2019, {"value": None, "text": "全員取得"}),
        ("indicator", "非構造部材耐震補強実施率", {"nodes": ("1-②",)}),
        ("baseline", "市スポーツ少年団加入者数", "現状", {"value": 261}),
    ]
    assert check(result.plan, facts) == len(facts)
    assert result.plan.description == "※現状は平成26年度末の数値です。"
    assert result.plan.levels[0].name == "章"


def test_initial_current_and_target_each_with_its_year_and_codes_of_the_hierarchy():
    result = read("ino", municipality="いの町", municipality_code="393860", start_fy=2015, end_fy=2019)
    f = "ino-kpi.csv!"
    facts = [
        ("node", "Ⅰ-1-(1)", {"name": "紙産業の振興", "parent": "Ⅰ-1"}),
        ("node", "Ⅰ-2-(3)", {"name": "観光の振興", "parent": "Ⅰ-2"}),
        ("node", "Ⅰ-2", {"parent": "Ⅰ"}),
        (
            "indicator",
            "紙の町いのの認知度",
            {
                "code": "I-1-1-1",
                "definition": "いの町を「紙の町」として知っている人の割合",
                "data_source": "町外向けアンケート",
            },
        ),
        (
            "baseline",
            "紙の町いのの認知度",
            "初期値",
            {"fy": 2015, "value": "32.0", "source": f + "E2", "source_text": "32.0%(平成27年度)"},
        ),
        ("obs", "紙の町いのの認知度", 2017, {"kind": "actual", "value": "35.5", "source": f + "F2"}),
        ("target", "紙の町いのの認知度", "final", 2019, {"value": 50}),
        ("indicator", "新規就業者数(累計)", {"measure": "cumulative"}),
        ("target", "新規就業者数(累計)", "final", 2019, {"value": 20, "operator": "at_least"}),
        ("baseline", "観光入込客数", "初期値", {"fy": 2014, "period": "cy", "value": 312000}),
        ("obs", "観光入込客数", 2017, {"period": "cy", "value": 345000}),
        ("baseline", "合計特殊出生率", "初期値", {"fy": 2013, "period": "cy", "value": "1.38"}),
        ("target", "合計特殊出生率", "final", 2019, {"value": "1.60"}),
    ]
    assert check(result.plan, facts) == len(facts)
    assert result.encoding == "utf-16"
    named = {g.where for g in result.mapping_guesses}
    assert {"nodes.Ⅰ", "nodes.Ⅰ-1", "nodes.Ⅱ"} <= named  # nodes the table names by code only: listed


def test_long_format_a_row_per_indicator_year_and_kind():
    result = read("ogaki", municipality="大垣市", municipality_code="212024")
    f = "ogaki-h28.csv!"
    facts = [
        ("plan", {"start_fy": 2015, "end_fy": 2019}),
        ("node", "1", {"name": "子育て日本一が実感できるまちの創生"}),
        ("baseline", "合計特殊出生率", "基準値", {"fy": 2014, "value": "1.55", "source": f + "F2"}),
        ("target", "合計特殊出生率", "annual", 2016, {"value": "1.57", "source": f + "F3"}),
        ("obs", "合計特殊出生率", 2016, {"kind": "actual", "value": "1.58", "source": f + "F4"}),
        ("target", "合計特殊出生率", "final", 2019, {"value": "1.65"}),
        ("obs", "自主防災訓練参加者数", 2017, {"kind": "forecast", "value": 14500}),
        ("obs", "自主防災訓練参加者数", 2015, {"value": 13100, "source_text": "13,100"}),
        ("indicator", "西美濃地域の観光入込客数", {"unit": "万人", "nodes": ("5",)}),
    ]
    assert check(result.plan, facts) == len(facts)
    assert result.layout.mapping.layout == "long" and result.encoding == "utf-8-sig"


def test_long_format_with_kind_columns_and_codes_without_separators():
    result = read("fuji", municipality_code="222101")
    s = "fuji-shisaku.xlsx!施策指標!"
    facts = [
        ("plan", {"start_fy": 2011, "end_fy": 2015}),
        ("node", "30301", {"parent": "303"}),
        ("node", "303", {"parent": "3"}),
        ("indicator", "自主防災訓練参加者数", {"nodes": ("10101",), "code": "10101-1"}),
        ("obs", "自主防災訓練参加者数", 2013, {"value": 44800, "source": s + "F4"}),
        ("target", "自主防災訓練参加者数", "annual", 2013, {"value": 45000, "source": s + "E4"}),
        ("target", "自主防災訓練参加者数", "final", 2015, {"value": 48000}),
        (
            "indicator",
            "年間商品販売額",
            {"unit": "千円", "note": "※【第3章第3節 商業・流通】年間商品販売額については更新数値がなし"},
        ),
        ("obs", "年間商品販売額", 2011, {"value": 780512000, "source_text": "780,512,000千円"}),
        ("obs", "年間商品販売額", 2015, {"kind": "none"}),
        ("indicator", "生きがいと創造の事業講座数", {"unit": "講座"}),
    ]
    assert check(result.plan, facts) == len(facts)
    assert ("column A", "widths [1, 2, 2]") in {(g.where, g.value) for g in result.mapping_guesses}


def test_three_header_rows_and_hierarchy_columns_merged_down():
    result = read("nanto", municipality_code="162116")
    s = "nanto-shisaku.xlsx!H27事後評価!"
    facts = [
        ("plan", {"start_fy": 2013, "end_fy": 2019}),
        ("node", "1", {"name": "自然に優しい住みよいまちづくり"}),
        ("node", "1-1", {"name": "自然環境の保全と活用", "number": "1"}),
        (
            "indicator",
            "自然環境（散居村景観含む）が美しく保たれると思う市民の割合",
            {
                "survey": True,
                "data_source": "市民意識調査",
                "selection_rationale": "A:自然環境が美しく保たれていると感じる市民の意識を測る",
            },
        ),
        (
            "obs",
            "自然環境（散居村景観含む）が美しく保たれると思う市民の割合",
            2014,
            {"value": "63.0", "source_text": "63.0", "source": s + "F6"},
        ),
        ("target", "散居景観保全協定の締結数", "final", 2019, {"value": 20, "source": s + "H7"}),
        ("indicator", "不法投棄件数", {"direction": "decrease"}),
        ("obs", "森づくり活動の参加数", 2015, {"value": 1012}),
        ("indicator", "森林面積", {"unit": "k㎡", "targets": ()}),  # the unit in the name
        ("obs", "森林面積", 2015, {"value": "539.8"}),
    ]
    assert check(result.plan, facts) == len(facts)
    assert result.layout.mapping.header_rows == (3, 5)


def test_node_codes_with_names_and_a_cell_that_is_no_figure():
    result = read("fukuoka", municipality="福岡市", municipality_code="401307")
    facts = [
        ("plan", {"start_fy": 2016, "end_fy": 2020}),
        ("node", "1-14", {"name": "「親なき後」の支援", "parent": "1"}),
        ("indicator", "基幹相談支援センターの相談件数", {"nodes": ("1-1",), "code": "1-1-1"}),
        ("obs", "基幹相談支援センターの相談件数", 2017, {"value": 15961, "source": "fukuoka-shogai.csv!F2"}),
        ("target", "グループホームの定員数", "final", 2020, {"value": 2100}),
        ("indicator", "地域生活支援拠点の整備数", {"unit": "か所"}),
        ("no obs", "避難行動要支援者名簿の同意者の割合", 2018),
    ]
    assert check(result.plan, facts) == len(facts)
    assert warnings(result) == ["fukuoka-shogai.csv!G5: '▲' is not a figure: not read"]


def test_the_seed_as_a_table_interim_pending_none_breakdown_reference_running_total():
    result = read("sapporo", municipality_code="011002", start_fy=2014)
    s = "sapporo-seika.xlsx!成果指標!"
    facts = [
        ("plan", {"start_fy": 2014, "end_fy": 2018}),
        ("node", "1", {"name": "参加"}),
        (
            "indicator",
            "市民まちづくり活動に参加したことのある市民の割合",
            {"category": "参加の実感", "survey": True, "unit": "%"},
        ),
        (
            "obs",
            "市民まちづくり活動に参加したことのある市民の割合",
            2013,
            {"value": "32.4", "source_text": "32.4%", "source": s + "E4"},
        ),
        ("obs", "市民まちづくり活動に参加したことのある市民の割合", 2017, {"kind": "pending", "value": None}),
        ("target", "市民まちづくり活動に参加したことのある市民の割合", "final", 2018, {"value": 95}),
        ("obs", "町内会加入率", 2017, {"kind": "none"}),
        ("obs", "さぽーとほっと基金寄附件数", 2017, {"kind": "interim", "value": 69, "as_of": "2017-09-15"}),
        ("indicator", "さぽーとほっと基金寄附金額（累計）", {"measure": "cumulative", "unit": "円"}),
        ("obs", "さぽーとほっと基金寄附金額（累計）", 2016, {"value": 496000000, "approximate": True}),
        ("obs", "NPO法人数", 2017, {"kind": "interim", "value": 2684, "as_of": "2017-08-31"}),
        (
            "obs",
            "認定・仮認定・条例個別指定NPO法人数",
            2016,
            {"value": 15, "breakdown": (("認定", 9), ("仮認定", 5), ("条例個別指定", 1))},
        ),
        ("indicator", "市民活動サポートセンター登録団体数", {"reference": True, "targets": ()}),
    ]
    assert check(result.plan, facts) == len(facts)


def test_units_in_the_header_and_above_the_table():
    result = read("abira", municipality_code="015857", start_fy=2017, end_fy=2018)
    facts = [
        ("node", "Ⅰ", {"name": "子育て・教育"}),
        ("node", "Ⅴ", {"name": "生活環境・生活基盤"}),
        ("indicator", "放課後子ども教室の開催回数", {"unit": "件", "nodes": ("Ⅰ",)}),
        (
            "obs",
            "子育て支援センターの相談件数",
            2018,
            {"value": 1310, "source": "abira-kensho.xlsx!前期検証!D4"},
        ),
        ("target", "町営住宅の修繕件数", "final", 2018, {"value": 40, "year_stated": False}),
    ]
    assert check(result.plan, facts) == len(facts)
    assert result.layout.mapping.unit == "件"
    assert ("column F", "ignore") in {
        (g.where, g.value) for g in result.mapping_guesses
    }  # 達成率: worked out


def test_now_and_target_in_one_cell_numbered_groups_and_a_typo_said():
    result = read(
        "urakawa_arrows", municipality="浦河町", municipality_code="016071", start_fy=2015, end_fy=2019
    )
    f = "urakawa-kpi.csv!"
    facts = [
        ("node", "1", {"name": "競争力のある産業振興による活力あるまちづくり"}),
        ("node", "1-(1)", {"number": "(1)", "name": "第一次産業の振興", "parent": "1"}),
        ("indicator", "いちご生産額", {"nodes": ("1",), "unit": "円"}),
        ("baseline", "いちご生産額", "現状値", {"fy": None, "value": 203960000, "source": f + "C3"}),
        ("target", "いちご生産額", "final", 2019, {"value": 430000000, "year_stated": False}),
        ("baseline", "新規雇用者数", "現状値", {"fy": None, "value": None}),  # ―: the document says none
        ("target", "新規雇用者数", "final", 2019, {"value": 50}),
        ("indicator", "新規就農者数", {"nodes": ("1-(1)",), "code": "1-1-1", "unit": "人", "per": "year"}),
        ("baseline", "新規就農者数", "現状値", {"value": "1.4"}),
        ("target", "新規就農者数", "final", 2019, {"value": 4, "note": "単位: 組"}),
        ("indicator", "地域DMOの設立", {"nodes": ("1-(2)",), "code": "1-2-1"}),
    ]
    assert check(result.plan, facts) == len(facts)
    assert result.encoding == "utf-16"
    assert warnings(result) == [
        f"{f}C3: '4億3,0000万円' read as '4億3,000万円' (digits grouped wrongly): 430000000 円 (check it)",
        f"{f}C6: the unit 組 differs from the indicator's (人): kept as written (check it)",
    ]


@pytest.mark.parametrize("layout", sorted(sheets.LAYOUTS))
def test_every_figure_names_its_cell_and_keeps_its_text(layout):
    result = read(layout, start_fy=2013, end_fy=2019) if layout == "urakawa_arrows" else read(layout)
    name, _ = sheets.LAYOUTS[layout]()
    for ind in result.plan.indicators:
        for item in (*ind.observations, *ind.targets, *ind.baselines):
            assert item.source.startswith(name + "!") and item.source_text, (ind.code, item)


# fmt: on


def test_long_numbers_in_a_code_column_are_not_read_as_levels():
    # a code of fourteen digits is no 11102: no widths guessed, and the suggested mapping reads back
    import yaml

    from machiplan.tables import mapping_from_document, mapping_yaml

    table = "施策コード,指標名,単位,令和2年度,令和3年度\n20240101000001,町内会加入率,%,70.1,70.5\n20240101000002,認証NPO法人数,法人,900,910\n"
    result = read_table(table.encode(), "ids.csv", facts=PlanFacts(municipality_code="011002"))
    assert result.layout.mapping.columns[0].role == "node_code"
    assert not [g for g in result.mapping_guesses if g.value.startswith("widths")]
    again = mapping_from_document(yaml.safe_load(mapping_yaml(result.layout.mapping)), "m.yaml")
    assert all(not c.widths for c in again.columns)
    facts = PlanFacts(municipality_code="011002")
    assert read_table(table.encode(), "ids.csv", mapping=again, facts=facts).plan == result.plan


@pytest.mark.parametrize("order", [("女性", "男性"), ("男性", "女性")])
def test_series_with_yearly_targets_only_get_their_final_targets_in_the_tables_order(order):
    """Each series' last yearly target becomes its plan target, in the order the series come in
    the table, the same in every run (they were taken from a set of names)."""
    rows = [["基本目標", "指標名", "単位", "系列", "年度", "区分", "値"]]
    for series in order:
        rows += [
            ["1 健康", "健康寿命", "年", series, "H27", "目標", "71"],
            ["1 健康", "健康寿命", "年", series, "H28", "目標", "72"],
            ["1 健康", "健康寿命", "年", series, "H28", "実績", "71.5"],
        ]
    result = read_table(sheets._csv(rows, "utf-8-sig"), "t.csv", facts=PlanFacts(
        municipality="大垣市", municipality_code="212024", start_fy=2015, end_fy=2019,
    ))  # fmt: skip
    (ind,) = result.plan.indicators
    assert [(t.series, t.fy) for t in ind.targets if t.kind == "final"] == [(s, 2016) for s in order]
