"""安平町 第2次総合計画 前期基本計画(H29-H30)の検証: per 政策分野 Ⅰ-Ⅵ, the 指標本数 and the counts
and shares of three classes (headings lost) at H31.3末; 108 indicators in all."""

from decimal import ROUND_HALF_UP, Decimal

from .facts import check_children, check_comment, check_node, check_plan_header, load, round_trip

FIELDS = [
    # code, 政策分野, 指標本数, the three counts with their shares as written
    ("Ⅰ", "子育て・教育", 22, [(7, "31.8%"), (4, "18.2%"), (11, "50.0%")]),
    ("Ⅱ", "人づくり・コミュニティ", 15, [(5, "33.3%"), (2, "13.3%"), (8, "53.3%")]),
    ("Ⅲ", "経済・産業", 19, [(4, "21.1%"), (1, "5.3%"), (14, "73.7%")]),
    ("Ⅳ", "健康・福祉", 18, [(9, "50.0%"), (4, "22.2%"), (5, "27.8%")]),
    ("Ⅴ", "生活環境・生活基盤", 25, [(14, "56.0%"), (6, "24.0%"), (5, "20.0%")]),
    ("Ⅵ", "行財政運営", 9, [(5, "55.6%"), (2, "22.2%"), (2, "22.2%")]),
]
TOTAL = (108, [(44, "40.7%"), (19, "17.6%"), (45, "41.7%")])


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
    )
    [higher] = loaded.plan.higher_plans
    assert (higher.title, higher.start_fy, higher.end_fy) == ("第2次安平町総合計画", 2017, 2026)
    doc = loaded.doc["plan"]["higher_plans"][0]
    assert (doc["title"], doc["start_fy"], doc["end_fy"]) == ("第2次安平町総合計画", 2017, 2026)
    for words in (
        "『基本構想』、『基本計画(前期・中期・後期)』、『実施計画(事務事業計画)』",
        "まちづくりの将来像『住みたい 育てたい 帰りたい みんなで未来へ駈ける町』",
        "2019年度から4ヵ年を計画期間とする中期基本計画",
    ):
        assert words in higher.description and words in doc["description"]


def test_each_field_and_its_counts():
    loaded = load("abira")
    check_children(loaded, None, [code for code, *_ in FIELDS])
    for code, name, indicators, counts in FIELDS:
        check_node(loaded, code, name=name, level="政策分野")
        node, doc = loaded.node(code)
        [comment] = node.comments
        check_comment(loaded, node=code, fy=2018, body="internal", body_name="安平町", text=comment.text)
        assert "平成30年度末(H31.3末)" in comment.text
        assert f"指標本数 {indicators}。" in comment.text
        written = "、".join(f"{count} ({share})" for count, share in counts)
        assert written in comment.text and written in doc["comments"][0]["text"]
        assert "見出しは抽出で失われている" in comment.text


def test_the_counts_add_up_and_the_shares_follow():
    for _, _, indicators, counts in FIELDS:
        assert sum(count for count, _ in counts) == indicators
        assert all(_share(count, indicators) == share for count, share in counts)
    total, total_counts = TOTAL
    assert sum(indicators for *_, indicators, _ in FIELDS) == total
    for n, (count, share) in enumerate(total_counts):
        assert sum(counts[n][0] for *_, counts in FIELDS) == count
        assert _share(count, total) == share


def test_round_trip(tmp_path):
    plan = load("abira").plan
    assert round_trip(plan, tmp_path) == plan
    assert plan.indicators == ()  # counts only: the 108 indicators are not on the page
