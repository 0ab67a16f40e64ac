"""いの町 創生総合戦略の効果検証 (平成29年度分): the ◎○△× scale and 評価なし, the 評価方法 in the town's
words, the tally of 76 KPI (30 / 13 / 32 / 1 評価なし), the internal review, the committee
(平成30年8月7日) and the council (平成30年8月30日), all of the plan as a whole, and the revision."""

import datetime as dt

from .facts import (
    check_comment,
    check_method,
    check_plan_header,
    check_scale,
    check_sources,
    check_tally,
    load,
    round_trip,
)

DESCRIPTION = (
    "いの町では、平成27年度に平成27年度から平成31年度の5年間を計画期間とする「いの町まち・ひと・しごと"
    "創生総合戦略(以下「総合戦略」という。)」を策定しており、各施策に設定したKPI※(重要業績評価指標)を"
    "毎年その達成度を客観的に評価するとともに、施策効果に関する検証を行政の中だけでなく、外部有識者の"
    "参画を得ながら、適切に実施していくこととしています。\n"
    "※Key Performance Indicator の略称。施策ごとの進捗状況を検証するために設定する指標をいいます。"
)
SOURCE = {
    "title": "いの町まち・ひと・しごと創生総合戦略の効果検証について",
    "url": "https://www.town.ino.kochi.jp/chosei/choseikeikaku/keikaku_sougousenryaku/1797/",
    "date": None,  # the page gives none
    "note": (
        "いの町のウェブページ（平成29年度分）。ページに日付はない"
        "（推進委員会 平成30年8月7日、議員協議会 平成30年8月30日の後）"
    ),
}
METHOD = (  # 評価方法
    "平成29年度各事業の実施状況の効果検証に当たっては、総合戦略に記載しているKPI:76項目を対象とし、"
    "以下の区分により達成度を評価しました。\n"
    "評価については、目標値以上を◎、目標値と同等を○、目標値未満を△、進捗なしあるいは事業終了を×とする"
    "4区分としました。"
)

SCALE = [
    # grade, its meaning, the statuses of machiplan's method that agree with it
    ("◎", "目標値以上", ("achieved",)),
    ("○", "目標値と同等", ()),
    ("△", "目標値未達成", ("on_track", "roughly_on_track", "behind", "regressing")),
    ("×", "進捗なしor事業終了", ()),
    (
        "評価なし",
        "目標値の設定をしていなかったことから「評価なし」",
        ("no_target",),
    ),  # the summary's fifth class
]

KPI_COUNT = 76
TALLY = [  # 評価結果の概要: grade, how the summary names it, count (× has no count)
    ("◎", "目標値以上", 30),
    ("○", "目標値と同等", 13),
    ("△", "目標値未達成", 32),
    ("評価なし", "評価なし", 1),
]

INTERNAL = {
    "fy": 2017,
    "body": "internal",
    "body_name": "いの町",
    "date": None,
    "text": (
        "総合戦略のKPI(重要業績評価指標)76項目の平成29年度の達成度について内部評価を行い、30項目が「目標値以上」、"
        "13項目が「目標値と同等」、32項目が「目標値未達成」、1項目については目標値の設定をしていなかったことから"
        "「評価なし」としました。"
    ),
}
REVIEW_WORDS = (
    "平成29年度分の効果検証を、いの町まち・ひと・しごと創生総合戦略推進委員会(平成30年8月7日開催)と"
    "いの町議会議員協議会(平成30年8月30日開催)において、事業の成果や今後の事業方針等についてご意見をいただき、"
    "その結果を踏まえ、必要に応じて計画の見直しを行いました。"
)
REVIEWS = [
    # body, who, date, text
    (
        "committee",
        "いの町まち・ひと・しごと創生総合戦略推進委員会",
        dt.date(2018, 8, 7),  # 平成30年8月7日
        REVIEW_WORDS + "この内部評価について、8月7日開催の…（以下、抽出で欠落）",
    ),
    ("council", "いの町議会議員協議会", dt.date(2018, 8, 30), REVIEW_WORDS),  # 平成30年8月30日
]


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
        levels=["施策"],  # 各施策に設定したKPI: the level is named, no 施策 is
        description=DESCRIPTION,
    )
    check_sources(loaded, [SOURCE])
    assert loaded.plan.nodes == () and loaded.doc["nodes"] == []  # the page names no goal or 施策


def test_the_method_and_its_scale():
    loaded = load("ino")
    check_method(loaded, name="progress_vs_pace", description=METHOD)
    check_scale(loaded, "achievement", "達成度", SCALE)


def test_the_tally_of_the_76_kpi():
    loaded = load("ino")
    for grade, _, count in TALLY:
        check_tally(
            loaded, None, fy=2017, scale="achievement", grade=grade, count=count, note="KPI 76項目の内部評価"
        )
    assert len(loaded.plan.tallies) == len(TALLY)
    assert sum(t.count for t in loaded.plan.tallies) == KPI_COUNT
    assert sum(t["count"] for t in loaded.doc["plan"]["tallies"]) == KPI_COUNT
    assert f"KPI:{KPI_COUNT}項目" in loaded.plan.method.description


def test_the_internal_review_in_the_towns_words():
    loaded = load("ino")
    check_comment(loaded, **INTERNAL)
    for _, words, count in TALLY:  # the summary gives each count with the grade's words
        assert f"{count}項目" in INTERNAL["text"] and f"「{words}」" in INTERNAL["text"]


def test_the_committee_and_the_council():
    loaded = load("ino")
    for body, name, date, text in REVIEWS:
        check_comment(loaded, fy=2017, body=body, body_name=name, date=date, text=text)
    assert [c.body for c in loaded.plan.comments] == ["internal", "committee", "council"]


def test_the_revision_that_followed():
    loaded = load("ino")
    [revision] = loaded.plan.revisions
    assert (revision.code, revision.fy, revision.title, revision.date) == ("r2018", 2018, "見直し", None)
    assert revision.reason == "平成29年度分の効果検証の結果を踏まえ、必要に応じて計画の見直しを行いました。"
    assert loaded.doc["plan"]["revisions"][0]["reason"] == revision.reason


def test_round_trip(tmp_path):
    plan = load("ino").plan
    assert round_trip(plan, tmp_path) == plan
    assert plan.indicators == ()  # the page gives counts, not the 76 KPI
