"""安平町 第2次総合計画 前期基本計画(H29-H30)の検証: per 政策分野 Ⅰ-Ⅵ, the counts of three classes
(headings lost) at H31.3末 as tallies, their 指標本数 and shares; the plan's own counts (108 in
all); the 総合計画's parts and 将来像 as the description; the page as source."""

from decimal import ROUND_HALF_UP, Decimal

from .facts import (
    check_children,
    check_method,
    check_node,
    check_plan_header,
    check_scale,
    check_sources,
    check_tally,
    load,
    round_trip,
)

AS_OF = "H31.3末"  # 平成30年度末(H31.3末)
CLASSES = ["区分1", "区分2", "区分3"]  # the table's columns in order: their headings are lost

FIELDS = [
    # code, 政策分野, 指標本数, the three counts with their shares as written
    ("Ⅰ", "子育て・教育", 22, [(7, "31.8%"), (4, "18.2%"), (11, "50.0%")]),
    ("Ⅱ", "人づくり・コミュニティ", 15, [(5, "33.3%"), (2, "13.3%"), (8, "53.3%")]),
    ("Ⅲ", "経済・産業", 19, [(4, "21.1%"), (1, "5.3%"), (14, "73.7%")]),
    ("Ⅳ", "健康・福祉", 18, [(9, "50.0%"), (4, "22.2%"), (5, "27.8%")]),
    ("Ⅴ", "生活環境・生活基盤", 25, [(14, "56.0%"), (6, "24.0%"), (5, "20.0%")]),
    ("Ⅵ", "行財政運営", 9, [(5, "55.6%"), (2, "22.2%"), (2, "22.2%")]),
]
TOTAL = (108, [(44, "40.7%"), (19, "17.6%"), (45, "41.7%")])  # the last row: the whole 前期基本計画

SCALE = [  # grade, label, statuses: none, what each class means is lost
    ("区分1", "表の1列目の区分（見出しは失われている）", ()),
    ("区分2", "表の2列目の区分（見出しは失われている）", ()),
    ("区分3", "表の3列目の区分（見出しは失われている）", ()),
]

DESCRIPTION = (
    "第2次安平町総合計画は、『基本構想』、『基本計画(前期・中期・後期)』、『実施計画(事務事業計画)』により"
    "構成されており、まちづくりの将来像『住みたい 育てたい 帰りたい みんなで未来へ駈ける町』の実現に向け、"
    "前期基本計画(2017年度-2018年度)に基づき、各種施策に取り組んできましたが、2018年度をもって前期基本計画が"
    "満了したため、2019年度から4ヵ年を計画期間とする中期基本計画の策定を行います。\n"
    "中期基本計画の策定にあたっては、第2次安平町総合計画の進行管理の考え方に基づき、前期基本計画の進捗状況を"
    "把握し、評価・検証した上で、改善や次の施策展開につなげていくため、前期基本計画について次のとおり評価検証を"
    "行っています。"
)
SOURCE = {
    "title": "第2次 安平町総合計画 2017-2026 前期基本計画(H29-H30年度)の検証",
    "url": "https://www.town.abira.lg.jp/gyosei/sogo-keikaku/second-plan-chuki/1285",
    "date": None,  # the page gives none
    "note": (
        "安平町のウェブページ。日付はない（平成30年度末(H31.3末)時点の検証）。"
        "表の三つの区分の列見出しは抽出で失われている"
    ),
}


def _share(count: int, of: int) -> str:
    return f"{(Decimal(count) / Decimal(of) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def test_the_plan_and_the_plan_above_it():
    loaded = load("abira")
    check_plan_header(
        loaded,
        code="abira-zenki-2",
        title="第2次安平町総合計画 前期基本計画",
        municipality=("安平町", "015857"),
        start_fy=2017,  # 前期基本計画(2017年度-2018年度)
        end_fy=2018,
        evaluation_fy=2018,  # 平成30年度末(H31.3末)
        levels=["政策分野"],
        description=DESCRIPTION,
    )
    check_sources(loaded, [SOURCE])
    check_method(loaded, description="")  # the page says nothing of how a class is given
    [higher] = loaded.plan.higher_plans
    assert (higher.title, higher.start_fy, higher.end_fy) == ("第2次安平町総合計画", 2017, 2026)
    doc = loaded.doc["plan"]["higher_plans"][0]
    assert (doc["title"], doc["start_fy"], doc["end_fy"]) == ("第2次安平町総合計画", 2017, 2026)


def test_the_scale_says_its_headings_are_lost():
    loaded = load("abira")
    check_scale(loaded, "kensho_class", "前期基本計画の検証の区分（見出しは抽出で失われている）", SCALE)
    assert [g for g, *_ in SCALE] == CLASSES


def test_each_field_and_its_counts():
    loaded = load("abira")
    check_children(loaded, None, [code for code, *_ in FIELDS])
    for code, name, _, counts in FIELDS:
        check_node(loaded, code, name=name, level="政策分野")
        for grade, (count, _) in zip(CLASSES, counts, strict=True):
            check_tally(loaded, code, fy=2018, scale="kensho_class", grade=grade, count=count, note=AS_OF)
        node, doc = loaded.node(code)
        assert len(node.tallies) == len(doc["tallies"]) == len(CLASSES)
        assert node.comments == ()  # the counts are tallies now, not words


def test_the_plans_own_counts():
    loaded = load("abira")
    _, total_counts = TOTAL
    for grade, (count, _) in zip(CLASSES, total_counts, strict=True):
        check_tally(loaded, None, fy=2018, scale="kensho_class", grade=grade, count=count, note=AS_OF)
    assert len(loaded.plan.tallies) == len(CLASSES)


def test_the_indicators_of_each_field_add_up_and_the_shares_follow():
    """指標本数 is the sum of a field's three counts, in the plan JSON; the shares follow from them."""
    loaded = load("abira")
    for code, _, indicators, counts in FIELDS:
        [doc] = [n for n in loaded.doc["nodes"] if n["code"] == code]
        assert sum(t["count"] for t in doc["tallies"]) == indicators
        assert sum(count for count, _ in counts) == indicators
        assert all(_share(count, indicators) == share for count, share in counts)
    total, total_counts = TOTAL
    assert sum(t["count"] for t in loaded.doc["plan"]["tallies"]) == total
    assert sum(indicators for *_, indicators, _ in FIELDS) == total
    for n, (count, share) in enumerate(total_counts):
        assert sum(counts[n][0] for *_, counts in FIELDS) == count
        assert _share(count, total) == share


def test_round_trip(tmp_path):
    plan = load("abira").plan
    assert round_trip(plan, tmp_path) == plan
    assert plan.indicators == ()  # counts only: the 108 indicators are not on the page
