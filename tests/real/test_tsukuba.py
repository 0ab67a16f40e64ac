"""つくば市 平成27年度実績評価シート【個別施策-KPI】 (資料2-7): the facts of the sheet, in the
package and in the plan JSON; the 従前値 as of the start of the 基準年度, and machiplan's judgement
beside the city's 概ね順調."""

import datetime as dt

from machiplan.domain.evaluation import Params, evaluate_plan

from .facts import (
    check_baseline,
    check_children,
    check_indicator,
    check_node,
    check_observation,
    check_plan_header,
    check_rating,
    check_scale,
    check_sources,
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

# 従前値 7 of the 基準年度 H27: the value before H27's actual, at the start of the year
BASELINE = {
    "label": "従前値",
    "fy": 2015,
    "as_of": dt.date(2015, 4, 1),
    "value": 7,
    "note": "基準年度 H27年度",
}

SOURCE = {
    "title": "まち・ひと・しごと創生事業 平成27年度実績評価シート【個別施策-重要業績評価指標(KPI)】（資料2-7）",
    "url": (
        "https://123deta.com/document/oz1w3oey-27Hakutei%E8%B3%87%E6%96%9927%E5%80%8B%E5%88%A5%E6%96%BD"
        "%E7%AD%96%E3%81%AB%E4%BB%98%E9%9A%8F%E3%81%99%E3%82%8B%E9%87%8D%E8%A6%81%E6%A5%AD%E7%B8%BE%E8%A9"
        "%95%E4%BE%A1%E6%8C%87%E6%A8%99KPI%E3%81%AE%E8%A9%95%E4%BE%A1%E3%82%B7%E3%83%BC%E3%83%88.html"
    ),
    "date": None,  # months only: no day is made up
    "note": "平成28年3月作成・11月確定（日は書かれていない）。つくば市の PDF の写し（123deta.com）",
}

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
    # scale, its name, grade, the grade's wording, the statuses of machiplan that agree with it
    ("progress", "進捗状況", "概ね順調", "", ("roughly_on_track",)),  # machiplan's own word
    ("effectiveness", "有効性", "中", "適切な成果が得られている", ()),
    ("efficiency", "効率性", "中", "適切な費用対効果が得られている", ()),
    ("overall", "総合評価", "B", "成果・費用対効果の向上に努めつつ継続実施", ()),
]

# what machiplan must say, by hand: baseline 7 where FY2014 ended, H27 actual 8, target 12 in H31
JUDGEMENT = {
    "status": "on_track",  # 順調: progress ≥ pace
    "progress": 0.2,  # (8 - 7) / (12 - 7)
    "pace": 0.2,  # (2015 - 2014) / (2019 - 2014)
    "baseline": {"fy": 2014, "value": 7},
    "latest": {"fy": 2015, "value": 8},
}


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
    check_sources(loaded, [SOURCE])


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
    assert "平成28年3月作成・11月確定" not in doc["note"]  # the sheet's dates are its source's
    check_baseline(loaded, KPI, **BASELINE)
    for fy, kind, value, text in OBSERVATIONS:
        check_observation(loaded, KPI, fy=fy, kind=kind, value=value, source_text=text)
    assert len(indicator.observations) == len(OBSERVATIONS)
    for kind, fy, value, text in TARGETS:
        check_target(loaded, KPI, horizon="plan", kind=kind, fy=fy, value=value, source_text=text)
    assert len(indicator.targets) == len(TARGETS)  # no yearly targets for H27-H30


def test_the_citys_ratings():
    loaded = load("tsukuba")
    for scale, name, grade, label, statuses in RATINGS:
        check_rating(loaded, indicator=KPI, fy=2015, scale=scale, grade=grade)
        # the sheet shows only the grade it gives, with its wording
        check_scale(loaded, scale, name, [(grade, label, statuses)])
    assert len(loaded.plan.indicators[0].ratings) == len(RATINGS)


def test_the_narrative_as_far_as_the_extract_goes():
    loaded = load("tsukuba")
    node, doc = loaded.node("Ⅰ-1-(1)")
    [narrative] = node.narratives
    assert (narrative.kind, narrative.fy) == ("effects", 2015)
    assert narrative.items[0].heading == "効果発現要因(総合所見)"
    assert narrative.items[0].text.startswith("TGI,県,市がそれぞれのネットワークを活かしながら")
    assert doc["narratives"][0]["text"] == narrative.text


def test_machiplan_judges_from_the_start_of_the_base_year_and_flags_the_citys_grade():
    """The 従前値 7 stands at the start of H27, where FY2014 ended; the H27 actual 8 is progress from
    it: (8 - 7) / (12 - 7) = 20 % at pace (2015 - 2014) / (2019 - 2014) = 20 %: 順調 (on_track).
    The city says 概ね順調, a grade that agrees with roughly_on_track only: the evaluation flags the
    disagreement for the progress scale and for no other (their grades name no statuses)."""
    loaded = load("tsukuba")
    assert loaded.status(KPI) == JUDGEMENT["status"]
    evaluation = loaded.indicator(KPI)[1]["evaluation"]
    assert {key: evaluation[key] for key in JUDGEMENT} == JUDGEMENT
    assert evaluation["reason"] is None
    assert evaluation["flags"] == ["rating_disagrees:2015:progress"]
    assert loaded.evaluation.indicators[KPI].flags == ("rating_disagrees:2015:progress",)
    progress_statuses = next(statuses for scale, *_, statuses in RATINGS if scale == "progress")
    assert JUDGEMENT["status"] not in progress_statuses


def test_the_flag_goes_when_machiplan_agrees_with_the_city():
    """The same sheet under a stricter 順調 (progress ≥ 1.5 × pace): 20 % < 30 %, 20 % ≥ 12 %: 概ね順調,
    the city's own grade, and no flag. The flag follows the status, not the rating alone."""
    loaded = load("tsukuba")
    stricter = evaluate_plan(loaded.plan, params=Params(on_track_ratio=1.5))
    assert stricter.indicators[KPI].status == "roughly_on_track"
    assert stricter.indicators[KPI].flags == ()


def test_round_trip(tmp_path):
    plan = load("tsukuba").plan
    assert round_trip(plan, tmp_path) == plan
