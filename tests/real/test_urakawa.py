"""浦河町地方創生総合戦略 (最終案, as a councillor's blog transcribes it): 現状 → 目標 pairs, "―"
baselines, per-year figures, the unit change 人 → 組, the typo 4億3,0000万円, KPIs listed under
two 施策; its adoption as the description, the blog as the secondary source."""

import datetime as dt

from .facts import (
    check_baseline,
    check_children,
    check_indicator,
    check_node,
    check_plan_header,
    check_sources,
    check_target,
    load,
    round_trip,
)

DESCRIPTION = (  # what the blog reports of the plan's adoption
    "最終案。2016年1月28日(木)に両常任委員会で「浦河町地方創生総合戦略」の最終案が示された。"
    "議会の議決を要する案件ではなく、いくつか質疑が交わされて終了（町議会議員のブログによる）。"
)
SOURCE = {
    "title": "浦河町地方創生総合戦略ついに策定、5年後の目標は?",
    "url": "https://mutotakuya-urakawa.blogspot.com/2016/02/urakawa-sousei.html",
    "date": dt.date(2016, 2, 2),  # 2016年2月2日火曜日
    "note": (
        "二次資料：町議会議員のブログが町の最終案の基本数値目標とKPIの一覧を転載したもの（個別事業の羅列は省略）。"
        "町のウェブサイト上では最終案は公開されていないようだ、とブログは書く"
    ),
}

NODES = [
    # code, parent, number, name
    ("1", None, "1", "競争力のある産業振興による活力あるまちづくり"),
    ("1-(1)", "1", "(1)", "第一次産業の振興"),
    ("1-(2)", "1", "(2)", "新たな観光産業の振興"),
    ("1-(3)", "1", "(3)", "浦河産品の付加価値向上と消費拡大"),
    ("1-(4)", "1", "(4)", "人材・後継者の育成"),
    ("1-(5)", "1", "(5)", "創業・起業支援と雇用の拡充"),
    ("2", None, "2", "潜在価値と魅力を活かした選ばれるまちづくり"),
]

# code, nodes, name, type, unit, per, 現状 (value, as written; None: "―"), 目標 (value, as written)
INDICATORS = [
    (
        "1-kgi-1",
        ["1"],
        "いちご生産額",
        "kgi",
        "円",
        None,
        (203_960_000, "2億396万円"),
        (430_000_000, "4億3,0000万円"),
    ),
    ("1-kgi-2", ["1"], "新規雇用者数", "kgi", "人", None, (None, "―"), (50, "50人")),
    ("1-kgi-3", ["1"], "新規創業件数", "kgi", "件", None, (None, "―"), (10, "10件")),
    ("1-1-1", ["1-(1)", "1-(4)"], "新規就農者数", "kpi", "組", "year", (1.4, "1.4人/年"), (4, "4組/年")),
    ("1-1-2", ["1-(1)"], "給食での地場産物利用率", "kpi", "%", "year", (33, "33%/年"), (38, "38%/年")),
    ("1-1-3", ["1-(1)", "1-(3)"], "商品開発数", "kpi", "件", "year", (1.2, "1.2件/年"), (2, "2件/年")),
    ("1-2-1", ["1-(2)"], "地域DMOの設立", "kpi", "件", None, (0, "0件"), (1, "1件")),
    (
        "1-2-2",
        ["1-(2)"],
        "着地型・体験型観光による入込者数",
        "kpi",
        "人",
        "year",
        (41, "41人/年"),
        (60, "60人/年"),
    ),
    (
        "1-2-3",
        ["1-(2)"],
        "着地型・体験型観光参加者リピート率",
        "kpi",
        "%",
        "year",
        (30, "30%/年"),
        (45, "45%/年"),
    ),
    ("1-3-1", ["1-(3)"], "地域優良品認証数", "kpi", "件", "year", (None, "― 件/年"), (10, "10件/年")),
    ("1-4-2", ["1-(4)"], "新規就漁者数", "kpi", "人", "year", (2, "2人/年"), (5, "5人/年")),
    ("1-5-1", ["1-(5)"], "新規創業件数", "kpi", "件", "year", (None, "―"), (2, "2件/年")),
    ("1-5-2", ["1-(5)"], "新規雇用者数", "kpi", "人", "year", (None, "―"), (5, "5人/年")),
    ("2-kgi-1", ["2"], "転入者数", "kgi", None, None, (715, "715"), None),  # cut off after 715
]


def test_the_plan_and_its_structure():
    loaded = load("urakawa")
    check_plan_header(
        loaded,
        code="urakawa-sousei-1",
        title="浦河町地方創生総合戦略",
        municipality=("浦河町", "016071"),
        start_fy=2015,
        end_fy=2019,
        levels=["基本目標", "施策"],
        description=DESCRIPTION,
    )
    check_sources(loaded, [SOURCE])
    assert loaded.plan.comments == ()  # the committees' questions are not reported
    check_children(loaded, None, ["1", "2"])
    for code, parent, number, name in NODES:
        check_node(loaded, code, parent=parent, number=number, name=name)


def test_every_pair_of_current_value_and_target():
    loaded = load("urakawa")
    assert [i.code for i in loaded.plan.indicators] == [row[0] for row in INDICATORS]
    for code, nodes, name, kind, unit, per, (now, now_text), target in INDICATORS:
        check_indicator(loaded, code, nodes=nodes, name=name, type=kind, unit=unit, per=per)
        if now is None:  # "―": the list says there is no current value
            check_baseline(loaded, code, label="現状", fy=None, value=None, source_text=now_text)
        else:  # a current value with no year
            check_baseline(loaded, code, label="現状", fy=None, value=now, source_text=now_text)
        if target is None:
            assert loaded.indicator(code)[0].targets == ()
            continue
        value, text = target
        # "5年後の目標": no year is written, so the target is the plan's end, marked as not stated
        check_target(
            loaded,
            code,
            horizon="plan",
            kind="final",
            fy=2019,
            year_stated=False,
            value=value,
            source_text=text,
        )


def test_per_year_counts_and_totals():
    loaded = load("urakawa")
    check_indicator(loaded, "1-kgi-2", measure="cumulative", per=None)  # 50人 over the plan
    check_indicator(loaded, "1-5-2", measure="flow", per="year")  # 5人/年
    check_indicator(loaded, "1-1-2", measure="level", per="year")  # a share, 33%/年


def test_the_typo_is_kept_as_written_and_read_as_430_million_yen():
    loaded = load("urakawa")
    target, doc = loaded.indicator("1-kgi-1")
    assert target.targets[0].source_text == "4億3,0000万円"
    assert "4億3,000万円（430,000,000円）" in target.targets[0].note
    assert doc["targets"][0]["value"] == 430_000_000


def test_one_kpi_under_two_measures():
    loaded = load("urakawa")
    check_node(loaded, "1-(1)", indicators=["1-1-1", "1-1-2", "1-1-3"])
    check_node(loaded, "1-(3)", indicators=["1-1-3", "1-3-1"])
    check_node(loaded, "1-(4)", indicators=["1-1-1", "1-4-2"])
    # counted once under 基本目標 1, though listed twice
    counts = loaded.evaluation.by_node["1"]
    assert sum(counts.values()) == 13


def test_the_unit_change_from_people_to_groups():
    """新規就農者数: (1)① writes 1.4人/年 → 4組/年, (4)① 1.4組/年 → 4組/年; one KPI, unit 組."""
    loaded = load("urakawa")
    indicator, doc = loaded.indicator("1-1-1")
    [baseline] = indicator.baselines
    assert baseline.source_text == "1.4人/年" and "1.4組/年" in baseline.note
    assert doc["baselines"][0]["note"] == baseline.note


def test_nothing_to_judge_yet():
    """A plan as adopted: every figure is a 現状 or a target, no actual, so every indicator with
    a target is 評価不能 (no_data) and 転入者数, whose target is cut off, has none (no_target)."""
    loaded = load("urakawa")
    for code, *_, target in INDICATORS:
        assert loaded.status(code) == ("no_data" if target else "no_target")


def test_round_trip(tmp_path):
    plan = load("urakawa").plan
    assert round_trip(plan, tmp_path) == plan
