"""富士市 第五次総合計画 前期基本計画の達成状況: 投資的事業費 計画 (A) and 実績 (B) per 章 × 会計 (千円)
with 事業数, their 計, 合計 and 進捗率; the tally of 78 代表的な施策指標 by 進捗率; the three
indicators not evaluated and why."""

from decimal import ROUND_HALF_UP, Decimal

from .facts import (
    check_children,
    check_comment,
    check_cost,
    check_indicator,
    check_node,
    check_plan_header,
    check_rating,
    check_scale,
    load,
    round_trip,
)

CHAPTERS = [
    # node, number, name
    ("1", "第1章", "安全・安心"),
    ("2", "第2章", "健康・福祉"),
    ("3", "第3章", "産業"),
    ("4", "第4章", "環境"),
    ("5", "第5章", "教育・文化"),
    ("6", "第6章", "都市基盤"),
    ("7", "第7章", "都市経営"),
]

# The table 投資的事業費の実績, column by column (事業数: 件, 事業費: 千円):
# 章 (or 合計), 会計, (A) 事業数, (A) 事業費, (B) 事業数, (B) 事業費, 進捗率 (B)/(A)
COSTS = [
    ("1", "一般", 38, 7_937_499, 36, 7_415_050, "93.4%"),
    ("1", "計", 38, 7_937_499, 36, 7_415_050, "93.4%"),
    ("2", "一般", 5, 1_570_693, 5, 3_034_064, "193.2%"),
    ("2", "企業", 1, 1_895_000, 1, 2_252_251, "118.9%"),
    ("2", "計", 6, 3_465_693, 6, 5_286_315, "152.5%"),
    ("3", "一般", 55, 5_888_375, 52, 6_248_204, "106.1%"),
    ("3", "土地改良", 7, 621_549, 7, 555_404, "89.4%"),
    ("3", "計", 62, 6_509_924, 59, 6_803_608, "104.5%"),
    ("4", "一般", 2, 16_831_644, 2, 1_618_233, "9.6%"),
    ("4", "企業", 10, 21_001_260, 10, 14_199_533, "67.6%"),
    ("4", "計", 12, 37_832_904, 12, 15_817_766, "41.8%"),
    ("5", "一般", 12, 11_400_360, 12, 11_252_942, "98.7%"),
    ("5", "計", 12, 11_400_360, 12, 11_252_942, "98.7%"),
    ("6", "一般", 125, 24_477_850, 111, 19_079_275, "77.9%"),
    ("6", "特別", 2, 8_848_534, 2, 7_184_462, "81.2%"),
    ("6", "計", 127, 33_326_384, 113, 26_263_737, "78.8%"),
    ("7", "一般", 3, 1_988_550, 2, 2_186_838, "110.0%"),
    ("7", "計", 3, 1_988_550, 2, 2_186_838, "110.0%"),
    ("合計", "一般", 240, 70_094_971, 220, 50_834_606, "72.5%"),
    ("合計", "特別", 2, 8_848_534, 2, 7_184_462, "81.2%"),
    ("合計", "企業", 11, 22_896_260, 11, 16_451_784, "71.9%"),
    ("合計", "土地改良", 7, 621_549, 7, 555_404, "89.4%"),
    ("合計", "計", 260, 102_461_314, 240, 75_026_256, "73.2%"),
]

# 代表的な施策指標の進捗率 (中間目標値に対して): 該当施策指標の数
TALLY = [("80%以上", 57), ("50%以上80%未満", 12), ("50%未満", 6), ("20%未満", 0), ("その他", 3), ("合計", 78)]
OVER_100 = 32  # 備考: うち100%以上が32指標

NOT_EVALUATED = [
    # code, node, name, reason
    ("3-3-a", "3-3", "年間商品販売額", "更新数値がなし"),
    ("2-4-a", "2-4", "生きがいと創造の事業講座数", "事業終了につき、評価せず"),
    ("2-4-b", "2-4", "生きがいと創造の事業会員数", "事業終了につき、評価せず"),
]


def test_the_plan_and_its_chapters():
    loaded = load("fuji")
    check_plan_header(
        loaded,
        code="fuji-sougou-5",
        title="第五次富士市総合計画",
        municipality=("富士市", "222101"),
        start_fy=2011,
        end_fy=2015,
        evaluation_fy=2015,
        levels=["基本計画", "章", "節"],
    )
    assert [(d.code, d.name) for d in loaded.plan.departments] == [("kikaku", "総務部企画課")]
    check_children(loaded, None, ["前期"])
    check_node(loaded, "前期", name="前期基本計画", level="基本計画")
    check_children(loaded, "前期", [code for code, *_ in CHAPTERS])
    for code, number, name in CHAPTERS:
        check_node(loaded, code, number=number, name=name, level="章", parent="前期")
    check_node(loaded, "2-4", number="第4節", name="地域福祉", level="節", parent="2")
    check_node(loaded, "3-3", number="第3節", name="商業・流通", level="節", parent="3")


def test_each_chapter_and_account_planned_and_spent():
    loaded = load("fuji")
    for node, account, planned_n, planned, actual_n, actual, _ in COSTS:
        if node == "合計" or account == "計":
            continue
        for basis, projects, amount in (("planned", planned_n, planned), ("actual", actual_n, actual)):
            check_cost(
                loaded,
                node,
                start_fy=2011,
                end_fy=2015,
                basis=basis,
                account=account,
                unit="千円",
                projects=projects,
                amount=amount,
                source_text=f"{amount:,}",
            )
    assert (
        sum(len(n["costs"]) for n in loaded.doc["nodes"]) == 2 * 11
    )  # 11 chapter × account columns, each planned and spent


def _rate(actual: int, planned: int) -> str:
    return f"{(Decimal(actual) / Decimal(planned) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def test_every_total_and_rate_of_the_document_follows_from_the_rows():
    """計 (a chapter's accounts), 合計 (an account's chapters, and all) and 進捗率 = (B)/(A), to 0.1 %,
    each computed from the cost rows of the plan JSON."""
    costs = [(n["code"], c) for n in load("fuji").doc["nodes"] for c in n["costs"]]
    for node, account, planned_n, planned, actual_n, actual, rate in COSTS:
        rows = [
            c
            for code, c in costs
            if (node == "合計" or code == node) and (account == "計" or c["account"] == account)
        ]
        plan = [c for c in rows if c["basis"] == "planned"]
        spent = [c for c in rows if c["basis"] == "actual"]
        assert sum(c["projects"] for c in plan) == planned_n, (node, account)
        assert sum(c["amount"] for c in plan) == planned, (node, account)
        assert sum(c["projects"] for c in spent) == actual_n, (node, account)
        assert sum(c["amount"] for c in spent) == actual, (node, account)
        assert _rate(actual, planned) == rate, (node, account)
        assert all(c["unit"] == "千円" for c in rows)
    assert sum(c["amount_yen"] for _, c in costs if c["basis"] == "actual") == 75_026_256_000


def test_the_tally_of_the_78_indicators():
    """The document gives counts per band, not the indicators: the city's own statement on the
    前期基本計画 as a whole, and a scale whose bands are the table's rows."""
    loaded = load("fuji")
    node, doc = loaded.node("前期")
    [comment] = node.comments
    check_comment(
        loaded, node="前期", fy=2015, body="internal", body_name="富士市総務部企画課", text=comment.text
    )
    for band, count in TALLY:
        assert f"{band} {count}" in comment.text
        assert f"{band} {count}" in doc["comments"][0]["text"]
    assert f"うち100%以上が{OVER_100}指標" in comment.text
    assert sum(count for band, count in TALLY[:-1]) == TALLY[-1][1]
    check_scale(
        loaded, "progress_rate", "進捗率（中間目標値に対して）", [(band, "", ()) for band, _ in TALLY[:-1]]
    )


def test_the_indicators_not_evaluated_and_why():
    loaded = load("fuji")
    for code, node, name, reason in NOT_EVALUATED:
        check_indicator(loaded, code, name=name, nodes=[node])
        check_rating(loaded, indicator=code, fy=2015, scale="progress_rate", grade="その他", note=reason)
        assert reason in loaded.node("前期")[0].comments[0].text
        # no figure, no target: machiplan does not judge them either
        assert loaded.status(code) == "no_target"
    assert len(loaded.plan.indicators) == TALLY[4][1]  # the その他 3


def test_round_trip(tmp_path):
    plan = load("fuji").plan
    assert round_trip(plan, tmp_path) == plan
