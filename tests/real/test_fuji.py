"""富士市 第五次総合計画 前期基本計画の達成状況: 投資的事業費 計画 (A) and 実績 (B) per 章 × 会計 (千円)
with 事業数, their 計, the plan's 合計 and 進捗率; the plan's tally of 78 代表的な施策指標 by 進捗率; the
three indicators not evaluated and why; the document as source, ●進捗率の計算 as the method's words."""

from decimal import ROUND_HALF_UP, Decimal

from .facts import (
    check_children,
    check_cost,
    check_indicator,
    check_method,
    check_node,
    check_plan_header,
    check_rating,
    check_scale,
    check_sources,
    check_tally,
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

SOURCE = {
    "title": "【第五次富士市総合計画】前期基本計画の達成状況 ・投資的事業費の実績 ・代表的な施策指標の進捗率と実績",
    "url": "https://expydoc.com/doc/11693707/",
    "date": None,  # not dated beyond H23-27
    "note": "富士市総務部企画課の PDF の写し（expydoc.com）。H23-27 の実績（README: 2016）",
}
METHOD = "代表的な施策指標の進捗率と実績: 進捗率 (中間目標値に対して)\n●進捗率の計算 …（以下、抽出で欠落）"

# 代表的な施策指標の進捗率 (中間目標値に対して): band, 該当施策指標の数, 備考
TALLY = [
    ("80%以上", 57, "うち100%以上が32指標"),
    ("50%以上80%未満", 12, ""),
    ("50%未満", 6, ""),
    ("20%未満", 0, ""),
    ("その他", 3, ""),
]
TALLY_TOTAL = 78  # 合計

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
        code="fuji-zenki-5",
        title="第五次富士市総合計画 前期基本計画",
        municipality=("富士市", "222101"),
        start_fy=2011,
        end_fy=2015,
        evaluation_fy=2015,
        levels=["章", "節"],
    )
    check_sources(loaded, [SOURCE])
    [higher] = loaded.plan.higher_plans  # the 総合計画 the 前期基本計画 belongs to; no years given
    assert (higher.horizon, higher.label, higher.title, higher.start_fy, higher.end_fy) == (
        "sougou",
        "総合計画",
        "第五次富士市総合計画",
        None,
        None,
    )
    assert loaded.doc["plan"]["higher_plans"][0]["title"] == "第五次富士市総合計画"
    assert [(d.code, d.name) for d in loaded.plan.departments] == [("kikaku", "総務部企画課")]
    # the 前期基本計画 is the plan: its chapters are the top nodes
    check_children(loaded, None, [code for code, *_ in CHAPTERS])
    for code, number, name in CHAPTERS:
        check_node(loaded, code, number=number, name=name, level="章", parent=None)
    check_node(loaded, "2-4", number="第4節", name="地域福祉", level="節", parent="2")
    check_node(loaded, "3-3", number="第3節", name="商業・流通", level="節", parent="3")


def _costs(account, planned_n, planned, actual_n, actual):
    """The two cost rows of a column of the table: (A) planned and (B) spent, FY2011-2015, 千円."""
    for basis, label, projects, amount in (
        ("planned", "投資的事業費（前期実施計画）", planned_n, planned),
        ("actual", "投資的事業費（H23-27実績額）", actual_n, actual),
    ):
        yield {
            "start_fy": 2011,
            "end_fy": 2015,
            "basis": basis,
            "label": label,
            "account": account,
            "unit": "千円",
            "projects": projects,
            "amount": amount,
            "source_text": f"{amount:,}",
        }


def test_each_chapter_and_account_planned_and_spent():
    loaded = load("fuji")
    for node, account, planned_n, planned, actual_n, actual, _ in COSTS:
        if node == "合計" or account == "計":
            continue
        for cost in _costs(account, planned_n, planned, actual_n, actual):
            check_cost(loaded, node, **cost)
    # 11 chapter × account columns, each planned and spent; no chapter's 計 is stored beside them
    assert sum(len(n["costs"]) for n in loaded.doc["nodes"]) == 2 * 11


def test_the_plans_totals_per_account_and_in_all():
    """The 合計 columns are the plan's own costs: one per account, and 計 (account empty: all)."""
    loaded = load("fuji")
    for node, account, planned_n, planned, actual_n, actual, _ in COSTS:
        if node != "合計":
            continue
        for cost in _costs("" if account == "計" else account, planned_n, planned, actual_n, actual):
            check_cost(loaded, None, **cost)
    assert len(loaded.plan.costs) == len(loaded.doc["plan"]["costs"]) == 2 * 5


def _rate(actual: int, planned: int) -> str:
    return f"{(Decimal(actual) / Decimal(planned) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def test_every_total_and_rate_of_the_document_follows_from_the_rows():
    """計 (a chapter's accounts), 合計 (an account's chapters, and all) and 進捗率 = (B)/(A), to 0.1 %,
    each computed from the chapters' cost rows of the plan JSON (the plan's 合計 rows are checked
    against the same sums)."""
    doc = load("fuji").doc
    costs = [(n["code"], c) for n in doc["nodes"] for c in n["costs"]]
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
        if node == "合計":  # the plan's own row says the same
            for basis, projects, amount in (("planned", planned_n, planned), ("actual", actual_n, actual)):
                [total] = [
                    c
                    for c in doc["plan"]["costs"]
                    if c["basis"] == basis and c["account"] == (None if account == "計" else account)
                ]
                assert (total["projects"], total["amount"]) == (projects, amount), (account, basis)
    assert sum(c["amount_yen"] for _, c in costs if c["basis"] == "actual") == 75_026_256_000


def test_the_method_in_the_documents_words():
    check_method(load("fuji"), name="progress_vs_pace", description=METHOD)


def test_the_tally_of_the_78_indicators():
    """The document gives counts per band, not the indicators: the plan's tallies, on a scale whose
    bands are the table's rows; 合計 is their sum, not a band."""
    loaded = load("fuji")
    for band, count, note in TALLY:
        check_tally(loaded, None, fy=2015, scale="progress_rate", grade=band, count=count, note=note)
    assert len(loaded.plan.tallies) == len(TALLY)
    assert sum(t.count for t in loaded.plan.tallies) == TALLY_TOTAL
    assert sum(t["count"] for t in loaded.doc["plan"]["tallies"]) == TALLY_TOTAL
    check_scale(
        loaded, "progress_rate", "進捗率（中間目標値に対して）", [(band, "", ()) for band, *_ in TALLY]
    )
    assert loaded.plan.comments == () and all(n.comments == () for n in loaded.plan.nodes)


def test_the_indicators_not_evaluated_and_why():
    loaded = load("fuji")
    for code, node, name, reason in NOT_EVALUATED:
        check_indicator(loaded, code, name=name, nodes=[node])
        check_rating(loaded, indicator=code, fy=2015, scale="progress_rate", grade="その他", note=reason)
        # no figure, no target: machiplan does not judge them either
        assert loaded.status(code) == "no_target"
    assert len(loaded.plan.indicators) == next(count for band, count, _ in TALLY if band == "その他")


def test_round_trip(tmp_path):
    plan = load("fuji").plan
    assert round_trip(plan, tmp_path) == plan
