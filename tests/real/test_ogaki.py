"""大垣市 平成28年度「水の都おおがき」創生総合戦略の実績報告: the five 基本目標, their H28 事業数,
事業費 and 一般財源 (百万円), the totals, and the committee's review of 平成29年5月25日."""

import datetime as dt

from .facts import check_children, check_comment, check_cost, check_node, check_plan_header, load, round_trip

GOALS = [
    # code, name, 事業数, 事業費, 一般財源 (百万円)
    ("1", "子育て日本一が実感できるまちの創生", 47, 3682, 1736),
    ("2", "地域特性を生かした雇用の創生", 42, 987, 794),
    ("3", "地域の魅力を生かしたひとの流れの創生", 12, 61, 61),
    ("4", "安全・安心なくらしの創生", 29, 5124, 1406),
    ("5", "広域連携による圏域の新たな魅力の創生", 6, 10, 3),
]
TOTAL = (136, 9864, 4000)  # 合計

COMMITTEE = {
    "fy": 2016,
    "body": "committee",
    "body_name": "大垣市地域創生総合戦略推進委員会",
    "date": dt.date(2017, 5, 25),  # 平成29年5月25日
}
COMMITTEE_WORDS = [
    "年度別の目標値に対する平成28年度実績値及び評価基準により、平成28年度実績の評価を行いました。",
    "総合戦略に示した「基本目標」「施策」を対象として、数値目標及び目標指標の達成度についての評価を行いました。",
    "総合戦略に示した基本目標(5基本目標)",
    "総合戦略に示した施策(41施策 ※平成28年度実施は39施策)",
]


def test_the_plan():
    check_plan_header(
        load("ogaki"),
        code="ogaki-sousei-1",
        title="「水の都おおがき」創生総合戦略",
        municipality=("大垣市", "212024"),
        start_fy=2015,
        end_fy=2019,
        evaluation_fy=2016,
        levels=["基本目標", "具体的な施策", "施策"],
    )


def test_the_five_goals_and_their_h28_costs():
    loaded = load("ogaki")
    check_children(loaded, None, [code for code, *_ in GOALS])
    for code, name, projects, amount, general in GOALS:
        check_node(loaded, code, name=name, level="基本目標", parent=None)
        check_cost(
            loaded,
            code,
            start_fy=2016,
            end_fy=2016,
            basis="actual",
            unit="百万円",
            projects=projects,
            amount=amount,
            general_revenue=general,
            label="掲載事業数と事業費",
        )


def test_the_totals_are_the_sums_of_the_goals():
    """The 合計 row is not stored twice: the goals' rows add up to it, in the JSON too."""
    costs = [c for n in load("ogaki").doc["nodes"] for c in n["costs"]]
    assert len(costs) == 5
    assert (
        sum(c["projects"] for c in costs),
        sum(c["amount"] for c in costs),
        sum(c["general_revenue"] for c in costs),
    ) == TOTAL
    assert sum(c["amount_yen"] for c in costs) == 9_864_000_000


def test_the_committee_reviewed_every_goal():
    loaded = load("ogaki")
    for code, *_ in GOALS:
        node, doc = loaded.node(code)
        [comment] = node.comments
        check_comment(loaded, node=code, **COMMITTEE, text=comment.text)
        for words in COMMITTEE_WORDS:
            assert words in comment.text and words in doc["comments"][0]["text"]


def test_round_trip(tmp_path):
    plan = load("ogaki").plan
    assert round_trip(plan, tmp_path) == plan
    assert plan.indicators == ()  # the page lists no indicator
