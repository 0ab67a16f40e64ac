"""つくば市 平成27年度実績評価シート【個別施策-KPI】 (資料2-7): the facts of the sheet, in the
package and in the plan JSON."""

from .facts import (
    check_baseline,
    check_children,
    check_indicator,
    check_node,
    check_observation,
    check_plan_header,
    check_rating,
    check_scale,
    check_target,
    load,
    round_trip,
)

KPI = "I-1-1-KPI1"

NODES = [
    # code, parent, number, level, name
    ("Ⅰ", None, "Ⅰ", "基本目標", "つくば市の特性をいかした産業競争力の強化でしごとをつくる"),
    ("Ⅰ-1", "Ⅰ", "1", "基本施策", "筑波研究学園都市に集積する最先端の科学技術から新たな産業をつくる"),
    ("Ⅰ-1-(1)", "Ⅰ-1", "(1)", "個別施策", "科学技術の振興によるまちづくり"),
]

INDICATOR = {
    "name": "平成27年度から平成31年度までの国際戦略総合特区新規プロジェクトの創出数",
    "nodes": ["Ⅰ-1-(1)"],
    "type": "kpi",
    "unit": "プロジェクト",
    "direction": "increase",
    "measure": "cumulative",
    "department": "kagaku",  # 指標担当部課等 科学技術・特区推進課
    "calculation": "新規プロジェクトとして国に報告した件数のカウント",  # 実績値の計算方法
    "confirmed_when": "H27: 確定",  # H27数値確定の時期
    "target_rationale": (  # 設定根拠
        "区申請時(平成23年)の新規プロジェクトの創出数は4件,現在(平成27年)は合計8プロジェクトが"
        "創出されているため,5プロジェクトを目指します。"
    ),
}

BASELINE = {"label": "従前値", "fy": 2015, "value": 7, "note": "基準年度 H27年度"}

OBSERVATIONS = [
    # fy, kind, value, as written
    (2015, "actual", 8, "8"),
    (2016, "none", None, "-"),
    (2017, "none", None, "-"),
    (2018, "none", None, "-"),
    (2019, "none", None, "-"),
]

TARGETS = [
    # kind, fy, value, as written
    ("annual", 2019, 12, "12"),  # the yearly row: H27-H30 '-', H31 12
    ("final", 2019, 12, "12 プロジェクト"),  # 目標値, 目標年度 H31年度
]

RATINGS = [
    # scale, its name, grade, the grade's wording
    ("progress", "進捗状況", "概ね順調", ""),
    ("effectiveness", "有効性", "中", "適切な成果が得られている"),
    ("efficiency", "効率性", "中", "適切な費用対効果が得られている"),
    ("overall", "総合評価", "B", "成果・費用対効果の向上に努めつつ継続実施"),
]


def test_the_plan():
    loaded = load("tsukuba")
    check_plan_header(
        loaded,
        code="tsukuba-sousei-1",
        title="つくば市まち・ひと・しごと創生総合戦略",
        municipality=("つくば市", "082201"),
        start_fy=2015,
        end_fy=2019,
        evaluation_fy=2015,
        levels=["基本目標", "基本施策", "個別施策"],
    )
    assert [(d.code, d.name) for d in loaded.plan.departments] == [("kagaku", "科学技術・特区推進課")]
    assert loaded.doc["plan"]["departments"] == [{"code": "kagaku", "name": "科学技術・特区推進課"}]


def test_the_hierarchy():
    loaded = load("tsukuba")
    for code, parent, number, level, name in NODES:
        check_node(loaded, code, parent=parent, number=number, level=level, name=name)
    check_children(loaded, None, ["Ⅰ"])
    check_node(loaded, "Ⅰ-1-(1)", indicators=[KPI])


def test_the_kpi_and_its_figures():
    loaded = load("tsukuba")
    check_indicator(loaded, KPI, **INDICATOR)
    indicator, doc = loaded.indicator(KPI)
    assert "KPI その1" in indicator.note and "KPI その1" in doc["note"]
    assert "向きをはかるもの" in indicator.note  # 指標の方向性, as the sheet words it
    assert "平成28年3月作成・11月確定" in doc["note"]
    check_baseline(loaded, KPI, **BASELINE)
    for fy, kind, value, text in OBSERVATIONS:
        check_observation(loaded, KPI, fy=fy, kind=kind, value=value, source_text=text)
    assert len(indicator.observations) == len(OBSERVATIONS)
    for kind, fy, value, text in TARGETS:
        check_target(loaded, KPI, horizon="plan", kind=kind, fy=fy, value=value, source_text=text)
    assert len(indicator.targets) == len(TARGETS)  # no yearly targets for H27-H30


def test_the_citys_ratings():
    loaded = load("tsukuba")
    for scale, name, grade, label in RATINGS:
        check_rating(loaded, indicator=KPI, fy=2015, scale=scale, grade=grade)
        # the sheet shows only the grade it gives, with its wording: no statuses are claimed
        check_scale(loaded, scale, name, [(grade, label, ())])
    assert len(loaded.plan.indicators[0].ratings) == len(RATINGS)


def test_the_narrative_as_far_as_the_extract_goes():
    loaded = load("tsukuba")
    node, doc = loaded.node("Ⅰ-1-(1)")
    [narrative] = node.narratives
    assert (narrative.kind, narrative.fy) == ("effects", 2015)
    assert narrative.items[0].heading == "効果発現要因(総合所見)"
    assert narrative.items[0].text.startswith("TGI,県,市がそれぞれのネットワークを活かしながら")
    assert doc["narratives"][0]["text"] == narrative.text


def test_machiplan_cannot_judge_a_baseline_of_the_same_year_as_the_only_actual():
    """The city says 概ね順調. The sheet's 従前値 7 is of its 基準年度 H27 (2015), and the only
    actual is H27's 8: no actual comes after the baseline's year, so the method (progress from
    the baseline year) has nothing to judge: 評価不能 (no_data), not a guess. (Had the 従前値 been
    of H26, progress (8 - 7) / (12 - 7) = 20 % at pace (2015 - 2014) / (2019 - 2014) = 20 % would
    be 順調.)"""
    loaded = load("tsukuba")
    assert loaded.status(KPI) == "no_data"
    evaluation = loaded.indicator(KPI)[1]["evaluation"]
    assert evaluation["reason"] == "no_actual_since_baseline"
    assert evaluation["baseline"] == {"fy": 2015, "value": 7}
    assert evaluation["flags"] == []  # a rating is only compared with a status that judges


def test_round_trip(tmp_path):
    plan = load("tsukuba").plan
    assert round_trip(plan, tmp_path) == plan
