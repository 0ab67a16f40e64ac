"""大垣市 平成28年度「水の都おおがき」創生総合戦略の実績報告: the five 基本目標, their H28 事業数,
事業費 and 一般財源 (百万円), the strategy's 合計, the committee's review of 平成29年5月25日, the
評価の方法 as far as the page goes, and the page itself as the source."""

import datetime as dt

from .facts import (
    check_children,
    check_comment,
    check_cost,
    check_method,
    check_node,
    check_plan_header,
    check_sources,
    load,
    round_trip,
)

GOALS = [
    # code, name, 事業数, 事業費, 一般財源 (百万円)
    ("1", "子育て日本一が実感できるまちの創生", 47, 3682, 1736),
    ("2", "地域特性を生かした雇用の創生", 42, 987, 794),
    ("3", "地域の魅力を生かしたひとの流れの創生", 12, 61, 61),
    ("4", "安全・安心なくらしの創生", 29, 5124, 1406),
    ("5", "広域連携による圏域の新たな魅力の創生", 6, 10, 3),
]
TOTAL = (136, 9864, 4000, "136 / 9,864 / 4,000")  # 合計: 事業数, 事業費, 一般財源, as written
COST = {"start_fy": 2016, "end_fy": 2016, "basis": "actual", "unit": "百万円", "label": "掲載事業数と事業費"}

DESCRIPTION = "平成27年10月に策定した「水の都おおがき」創生総合戦略。総合戦略の施策体系図に基づく、15の具体的な施策、41の施策。"
SOURCE = {
    "title": "平成28年度「水の都おおがき」創生総合戦略実績報告について",
    "url": "https://www.city.ogaki.lg.jp/0000064855.html",
    "date": dt.date(2016, 9, 23),  # [2016年9月23日], as the page shows it
    "note": "大垣市のウェブページ（ページ番号 64855）。ページの日付 [2016年9月23日] は、報告する推進委員会（平成29年5月25日）より前",
}
METHOD = (  # ⑴ 評価の方法, cut off in the ※ note
    "総合戦略に示した「基本目標」「施策」を対象として、数値目標及び目標指標の達成度についての評価を行いました。\n"
    "区分: 基本目標・施策評価\n"
    "(1) 対象: 1) 総合戦略に示した基本目標(5基本目標) 2) 総合戦略に示した施策(41施策 ※平成28年度実施は39施策)\n"
    "※ 一部の施策については、実績値の未発表や平成29年度以降に…（以下、抽出で欠落）"
)

COMMITTEE = {
    "fy": 2016,
    "body": "committee",
    "body_name": "大垣市地域創生総合戦略推進委員会",
    "date": dt.date(2017, 5, 25),  # 平成29年5月25日
    "text": (
        "有識者らで構成する「大垣市地域創生総合戦略推進委員会」を平成29年5月25日に開催し、"
        "年度別の目標値に対する平成28年度実績値及び評価基準により、平成28年度実績の評価を行いました。"
    ),
}


def test_the_plan():
    loaded = load("ogaki")
    check_plan_header(
        loaded,
        code="ogaki-sousei-1",
        title="「水の都おおがき」創生総合戦略",
        municipality=("大垣市", "212024"),
        start_fy=2015,
        end_fy=2019,
        evaluation_fy=2016,
        levels=["基本目標", "具体的な施策", "施策"],
        description=DESCRIPTION,
    )
    check_sources(loaded, [SOURCE])


def test_the_method_in_the_citys_words():
    check_method(load("ogaki"), name="progress_vs_pace", description=METHOD)


def test_the_five_goals_and_their_h28_costs():
    loaded = load("ogaki")
    check_children(loaded, None, [code for code, *_ in GOALS])
    for code, name, projects, amount, general in GOALS:
        check_node(loaded, code, name=name, level="基本目標", parent=None)
        check_cost(loaded, code, **COST, projects=projects, amount=amount, general_revenue=general)
        assert len(loaded.node(code)[0].costs) == 1


def test_the_total_is_the_plans_and_the_goals_add_up_to_it():
    loaded = load("ogaki")
    projects, amount, general, written = TOTAL
    check_cost(
        loaded, None, **COST, projects=projects, amount=amount, general_revenue=general, source_text=written
    )
    assert len(loaded.plan.costs) == 1
    [total] = loaded.doc["plan"]["costs"]
    assert total["amount_yen"] == 9_864_000_000
    goals = [c for n in loaded.doc["nodes"] for c in n["costs"]]
    assert len(goals) == len(GOALS)
    assert (
        sum(c["projects"] for c in goals),
        sum(c["amount"] for c in goals),
        sum(c["general_revenue"] for c in goals),
    ) == (projects, amount, general)
    assert (sum(g[2] for g in GOALS), sum(g[3] for g in GOALS), sum(g[4] for g in GOALS)) == TOTAL[:3]


def test_the_committee_reviewed_the_strategy_as_a_whole():
    loaded = load("ogaki")
    check_comment(loaded, **COMMITTEE)
    assert len(loaded.plan.comments) == 1
    assert all(n.comments == () for n in loaded.plan.nodes)
    assert all(n["comments"] == [] for n in loaded.doc["nodes"])


def test_round_trip(tmp_path):
    plan = load("ogaki").plan
    assert round_trip(plan, tmp_path) == plan
    assert plan.indicators == ()  # the page lists no indicator
