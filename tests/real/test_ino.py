"""いの町 創生総合戦略の効果検証 (平成29年度分): the ◎○△× scale and its meanings, the internal
review of 76 KPI (30 / 13 / 32 / 1 評価なし), the committee (平成30年8月7日) and the council
(平成30年8月30日), and the revision that followed."""

import datetime as dt

from .facts import check_comment, check_node, check_plan_header, check_scale, load, round_trip

SCALE = [
    # grade, its meaning, the statuses of machiplan's method that agree with it
    ("◎", "目標値以上", ("achieved",)),
    ("○", "目標値と同等", ()),
    ("△", "目標値未達成", ("on_track", "roughly_on_track", "behind", "regressing")),
    ("×", "進捗なしor事業終了", ()),
]

KPI_COUNT = 76
TALLY = [("目標値以上", 30), ("目標値と同等", 13), ("目標値未達成", 32), ("評価なし", 1)]

REVIEWS = [
    # body, who, date
    ("committee", "いの町まち・ひと・しごと創生総合戦略推進委員会", dt.date(2018, 8, 7)),  # 平成30年8月7日
    ("council", "いの町議会議員協議会", dt.date(2018, 8, 30)),  # 平成30年8月30日
]
REVIEW_WORDS = "事業の成果や今後の事業方針等についてご意見をいただき、その結果を踏まえ、必要に応じて計画の見直しを行いました。"


def test_the_plan():
    loaded = load("ino")
    check_plan_header(
        loaded,
        code="ino-sousei-1",
        title="いの町まち・ひと・しごと創生総合戦略",
        municipality=("いの町", "393860"),
        start_fy=2015,  # 平成27年度から平成31年度の5年間
        end_fy=2019,
        evaluation_fy=2017,  # 平成29年度分
        levels=["総合戦略", "施策"],
    )
    check_node(
        loaded,
        "全体",
        name="いの町まち・ひと・しごと創生総合戦略",
        footnotes=[
            "※Key Performance Indicator の略称。施策ごとの進捗状況を検証するために設定する指標をいいます。"
        ],
    )


def test_the_scale_and_its_meanings():
    check_scale(load("ino"), "achievement", "達成度", SCALE)


def test_the_internal_review_counts_76_kpi():
    loaded = load("ino")
    node, doc = loaded.node("全体")
    comment = next(c for c in node.comments if c.body == "internal")
    check_comment(loaded, node="全体", fy=2017, body="internal", text=comment.text)
    assert f"KPI(重要業績評価指標){KPI_COUNT}項目" in comment.text
    for label, count in TALLY:
        assert f"{count}項目" in comment.text and f"「{label}」" in comment.text
    assert sum(count for _, count in TALLY) == KPI_COUNT
    assert "目標値の設定をしていなかったことから「評価なし」" in comment.text
    assert doc["comments"][0]["text"] == comment.text


def test_the_committee_and_the_council():
    loaded = load("ino")
    for body, name, date in REVIEWS:
        node, _ = loaded.node("全体")
        comment = next(c for c in node.comments if c.body == body)
        check_comment(loaded, node="全体", fy=2017, body=body, body_name=name, date=date, text=comment.text)
        assert REVIEW_WORDS in comment.text


def test_the_revision_that_followed():
    loaded = load("ino")
    [revision] = loaded.plan.revisions
    assert (revision.code, revision.fy, revision.title, revision.date) == ("r2018", 2018, "見直し", None)
    assert "必要に応じて計画の見直しを行いました" in revision.reason
    assert loaded.doc["plan"]["revisions"][0]["reason"] == revision.reason


def test_round_trip(tmp_path):
    plan = load("ino").plan
    assert round_trip(plan, tmp_path) == plan
    assert plan.indicators == ()  # the page gives counts, not the 76 KPI
