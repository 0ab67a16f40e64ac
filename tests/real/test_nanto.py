"""南砺市 施策マネジメントシート1 (平成27年度事後評価): 政策 1 / 施策 1-1, 施策統括課 and 課長名,
関係課, 関係する計画, 重点施策, 対象 and 対象指標 (k㎡), 意図 and 成果指標 A-E, 成果指標設定の考え方,
作成日 (the sheet as source)."""

import datetime as dt

from .facts import (
    check_children,
    check_indicator,
    check_node,
    check_plan_header,
    check_sources,
    load,
    round_trip,
)

MEASURE = "1-1"
DIRECTION = [  # 施策の方針 / 目指すべき姿
    "・南砺の豊かな水と緑を守り育むため、行政と市民が連携して活動を進めます。",
    "・散居村景観や自然環境、生活環境の保全し、人と自然が共生できる安全で安らぎのあるまちをつくります。",
]
TARGETS_OF_THE_MEASURE = ["散居村景観(福野、福光、井波、城端、井口)", "自然環境(山林)", "生活環境"]  # ① 対象
INTENT = [
    "散居村景観が保全され、活用される",
    "自然環境が保全され、活用される",
    "生活環境が保全される",
]  # ② 意図
SOURCE = {
    "title": "施策マネジメントシート1（平成27年度事後評価） 政策1-施策1 自然環境の保全と活用",
    "url": (
        "http://paperzz.com/doc/6571613/%E6%96%BD%E7%AD%96%E3%83%9E%E3%83%8D%E3%82%B8%E3%83%A1%E3%83%B3"
        "%E3%83%88%E3%82%B7%E3%83%BC%E3%83%88"
    ),
    "date": dt.date(2016, 7, 31),  # 作成日 平成28年7月31日
    "note": "作成日 平成28年7月31日、更新日 平成 年 月 日（空欄）。南砺市の PDF の写し（paperzz.com）",
}
SELECTION_RATIONALE = {"1-1-seika-A": "A:自然環境が美しく"}  # 成果指標設定の考え方, cut off
RELATED_PLANS = [
    "南砺市エコビレッジ構想(H25.3)",
    "南砺市桜ケ池エコビレッジ再生可能エネルギー導入基本計画(H25.3)",
]

# code, type, the form's letter (and No.), name, unit
INDICATORS = [
    ("1-1-taisho-A", "context", "対象指標 A", "福野、福光、井波、城端、井口区域の面積", "k㎡"),
    ("1-1-taisho-B", "context", "対象指標 B", "森林面積", "k㎡"),
    (
        "1-1-seika-A",
        "outcome",
        "成果指標 A（No.1）",
        "自然環境(散居村景観含む)美しく保たれると思う市民の割合",
        "%",
    ),
    ("1-1-seika-B", "outcome", "成果指標 B（No.2）", "散居景観保全協定の締結数", "件"),
    ("1-1-seika-C", "outcome", "成果指標 C（No.3）", "不法投棄件数", "件"),
    ("1-1-seika-D", "outcome", "成果指標 D（No.4）", "森づくり活動の参加数", "人"),
    ("1-1-seika-E", "outcome", "成果指標 E（No.5）", "市内河川BOD基準達成率", "%"),
]


def test_the_plan_and_the_measure():
    loaded = load("nanto")
    check_plan_header(
        loaded,
        code="nanto-sougou",
        municipality=("南砺市", "162116"),
        evaluation_fy=2015,  # 平成27年度事後評価
        levels=["政策", "施策"],
    )
    check_children(loaded, None, ["1"])
    check_node(loaded, "1", name="自然に優しい住みよいまちづくり", level="政策")
    check_node(
        loaded,
        MEASURE,
        name="自然環境の保全と活用",
        parent="1",
        level="施策",
        number="1-1",
        priority=False,  # 重点施策の有無: □
        department="norin",
        related_departments=["ecovillage", "kensetsu"],
        related_plans=RELATED_PLANS,
    )


def test_the_departments_and_the_head_of_the_lead_one():
    loaded = load("nanto")
    departments = [(d.code, d.name) for d in loaded.plan.departments]
    assert departments == [
        ("norin", "農林課（施策統括課長 芝井 広）"),  # 施策統括課, 課長名
        ("ecovillage", "エコビレッジ推進課"),  # 関係課名
        ("kensetsu", "建設課"),
    ]
    assert [(d["code"], d["name"]) for d in loaded.doc["plan"]["departments"]] == departments


def test_the_statement_holds_the_direction_the_object_and_the_intent():
    loaded = load("nanto")
    node, doc = loaded.node(MEASURE)
    for line in DIRECTION:
        assert line in node.statement and line in doc["statement"]
    assert "対象: " + "／".join(TARGETS_OF_THE_MEASURE) in node.statement
    assert "意図: " + "／".join(INTENT) in doc["statement"]


def test_the_sheet_is_the_source_dated_by_its_creation():
    loaded = load("nanto")
    check_sources(loaded, [SOURCE])
    node, doc = loaded.node(MEASURE)
    # the footnotes keep only what the sheet's boxes say; its dates are the source's
    assert list(node.footnotes) == doc["footnotes"] == ["重点施策の有無 □、成果目標管理事業の有無 □"]


def test_context_and_outcome_indicators():
    loaded = load("nanto")
    assert [i.code for i in loaded.plan.indicators] == [row[0] for row in INDICATORS]
    for code, kind, letter, name, unit in INDICATORS:
        check_indicator(loaded, code, nodes=[MEASURE], type=kind, note=letter, name=name, unit=unit)
    check_indicator(loaded, "1-1-seika-A", survey=True)
    for code, *_ in INDICATORS:  # why the indicator, not why its target: the sheet gives no target
        check_indicator(
            loaded, code, selection_rationale=SELECTION_RATIONALE.get(code, ""), target_rationale=""
        )
    check_indicator(loaded, "1-1-seika-C", direction="decrease")
    # the sheet gives no figures here ("*数字は記入しない"): nothing to judge
    assert {loaded.status(code) for code, *_ in INDICATORS} == {"no_target"}


def test_round_trip(tmp_path):
    plan = load("nanto").plan
    assert round_trip(plan, tmp_path) == plan
