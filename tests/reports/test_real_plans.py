"""Every format renders every plan: the ten real municipalities' plans (tests/data/real) and Sapporo.

Each plan is reported in every format but the PDF (the PDF for the deepest plans, below), and
the files are read back: every node, indicator and fact of the plan is in them, every file is
well formed (unique ids and IDs, valid sheet names, no formula, every anchor resolved).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from machiplan.embedded import DEFAULT_PLAN_DIR
from machiplan.interchange.package import read_package
from machiplan.reports.model import build_report, node_heading
from machiplan.reports.renderers.csv_files import EVALUATION_HEADER, OBSERVATION_HEADER, TARGET_HEADER
from machiplan.reports.renderers.markdown import md
from machiplan.reports.writer import write_report
from tests.support.report_snapshot import index_text

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
NAMES = sorted(p.name for p in REAL.iterdir() if (p / "plan.yaml").exists())
PLANS = [*NAMES, "sapporo"]
SAPPORO_BEFORE = Path(__file__).resolve().parents[1] / "data" / "sapporo-before" / "ja"


def _plan(name: str):
    return read_package(DEFAULT_PLAN_DIR if name == "sapporo" else REAL / name)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Each plan's report, written once (all formats but the PDF)."""
    made: dict[str, tuple] = {}

    def get(name: str):
        if name not in made:
            plan = _plan(name)
            report = build_report(plan, charts=name in ("tsukuba", "chiba", "urakawa"))
            folder = tmp_path_factory.mktemp(name)
            write_report(report, folder, ["html", "xlsx", "md", "json", "csv"])
            made[name] = (plan, report, folder)
        return made[name]

    return get


def test_the_real_plans_are_here():
    assert len(NAMES) == 10


def _csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.parametrize("name", PLANS)
def test_every_format_is_written_and_well_formed(name, reports):
    plan, report, folder = reports(name)
    written = {p.name for p in folder.iterdir()}
    assert {"index.html", "report.xlsx", "report.md", "plan.json"} <= written
    assert set(report.data_files) <= written
    assert {p for p in written if p.endswith(".csv")} == set(report.data_files)
    # CSV: the three files always, their columns as Sapporo's files had them first; IDs unique
    for file_name in report.data_files:
        rows = _csv(folder / file_name)
        assert rows[0][:3] == ["全国地方公共団体コード", "ID", "地方公共団体名"]
        assert all(len(r) == len(rows[0]) for r in rows[1:]), file_name
        ids = [r[1] for r in rows[1:]]
        assert len(ids) == len(set(ids)), file_name
        assert all(r[0] == plan.municipality.code for r in rows[1:]), file_name
    for file_name, header in (("observations.csv", OBSERVATION_HEADER), ("targets.csv", TARGET_HEADER),
                              ("evaluations.csv", EVALUATION_HEADER)):  # fmt: skip
        saved = _csv(SAPPORO_BEFORE / file_name)[0]
        assert header[: len(saved)] == saved, file_name
        assert _csv(folder / file_name)[0] == header
    assert len(_csv(folder / "observations.csv")) - 1 == sum(len(i.observations) for i in plan.indicators)
    assert len(_csv(folder / "targets.csv")) - 1 == sum(len(i.targets) for i in plan.indicators)
    # JSON
    doc = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    assert doc["schema"] == "machiplan/plan@2"
    assert [i["code"] for i in doc["indicators"]] == [i.code for i in plan.indicators]
    # HTML: ids unique, anchors resolved, nothing fetched, no template left over, no empty heading
    html = (folder / "index.html").read_text(encoding="utf-8")
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    assert set(re.findall(r'href="#([^"]+)"', html)) <= set(ids)
    assert not re.search(r"<(script|img|link|iframe)\b|\bsrc=|url\(\s*['\"]?https?:", html)
    assert not re.search(r"{{|{%|\bNone\b", html)
    assert not re.search(r"<h([1-6])[^>]*>\s*</h\1>", html)
    # XLSX: valid, unique sheet names; no formula anywhere
    book = load_workbook(folder / "report.xlsx")
    assert len({s.casefold() for s in book.sheetnames}) == len(book.sheetnames)
    for sheet in book.worksheets:
        assert 0 < len(sheet.title) <= 31 and not set("[]:*?/\\") & set(sheet.title)
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), sheet.title


@pytest.mark.parametrize("name", PLANS)
def test_every_node_indicator_and_fact_is_shown(name, reports):
    plan, report, folder = reports(name)
    html = (folder / "index.html").read_text(encoding="utf-8")
    text = index_text(html)
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    book = load_workbook(folder / "report.xlsx")
    values = {
        str(c) for s in book.worksheets for row in s.iter_rows(values_only=True) for c in row if c is not None
    }
    cells = "\n".join(values)
    for node in plan.nodes:
        assert node.name in text, node.code
        assert md(node.name) in markdown, node.code
        if any(s.node is node for s in report.sections):
            assert node_heading(plan, node, "ja") in text
            assert node_heading(plan, node, "ja") in values
    for ind in plan.indicators:
        assert f'id="indicator-{ind.code}"' in html
        assert ind.name in text and md(ind.name) in markdown and ind.name in values
        for code in ind.nodes:  # shown under each of its nodes
            section = next(s for s in report.sections if s.node is not None and s.node.code == code)
            assert ind.code in {v.indicator.code for v in section.indicators}
    summary = [v.indicator.code for v in report.indicators]
    assert sorted(summary) == sorted(i.code for i in plan.indicators)  # each once in the summary
    for holder in (plan, *plan.nodes):
        for comment in holder.comments:
            assert comment.text in text and md(comment.text) in markdown and comment.text in values
        for tally in holder.tallies:
            assert tally.grade in text and str(tally.count) in text
        for cost in holder.costs:
            assert cost.unit in text and cost.unit in values
    for source in plan.sources:
        assert source.title in text and md(source.title) in markdown and source.title in values
    for line in plan.description.splitlines() + plan.method.description.splitlines():
        if line.strip():
            assert line.strip() in text and md(line.strip()) in markdown and line.strip() in cells


def test_deep_plan_sections_have_level_number_and_breadcrumb(reports):
    _plan, report, folder = reports("tsukuba")
    text = index_text((folder / "index.html").read_text(encoding="utf-8"))
    assert [s.heading for s in report.sections] == [
        "基本目標Ⅰ『つくば市の特性をいかした産業競争力の強化でしごとをつくる』",
        "基本施策1『筑波研究学園都市に集積する最先端の科学技術から新たな産業をつくる』",
        "個別施策(1)『科学技術の振興によるまちづくり』",
    ]
    deepest = report.sections[-1]
    assert [title for _, title in deepest.breadcrumb] == [
        "基本目標Ⅰ つくば市の特性をいかした産業競争力の強化でしごとをつくる",
        "基本施策1 筑波研究学園都市に集積する最先端の科学技術から新たな産業をつくる",
    ]
    assert "上位の項目:" in text
    # the city's rating beside machiplan's status, the disagreement visible
    assert "市の評価（平成27年度）進捗状況：" in text
    assert "⚠ この方法による判定（順調）と一致しない" in text
    # the explanation names the city's scale by its name, as the plan JSON does, not by its key
    assert "平成27年度の市の評価（進捗状況「概ね順調」）とこの方法による判定が一致しない" in text
    assert "市の評価（progress" not in text
    assert "効果発現要因（所見）" in text  # a narrative of kind effects
    assert "従前値 7プロジェクト（平成27年度）" in text  # the indicator's own baseline
    assert "R1（H31）年度目標" in text  # the yearly target among the rows
    assert "実績値の計算方法" in text and "科学技術・特区推進課" in text  # its definition card
    ratings = _csv(folder / "ratings.csv")
    progress = next(r for r in ratings[1:] if r[ratings[0].index("評価の種類")] == "progress")
    assert progress[ratings[0].index("この方法の評価")] == "on_track"
    assert progress[ratings[0].index("一致")] == "0"
    book = load_workbook(folder / "report.xlsx")
    assert book.sheetnames == ["概要", "計画の概要", "基本目標Ⅰ", "データ", "評価", "指標の定義", "市の評価"]


def test_plan_level_indicators_come_first_and_series_are_shown(reports):
    plan, report, folder = reports("chiba")
    assert report.sections[0].node is None and report.sections[0].heading == "計画全体の指標"
    assert report.indicators[0].indicator.code == "chiba-overall-goal-001"
    text = index_text((folder / "index.html").read_text(encoding="utf-8"))
    assert "系列別の状況" in text
    for series in ("小学6年生", "中学3年生", "健康寿命・男性", "小学・算数"):
        assert series in text
    assert "80.0%以上" in text  # an operator
    assert "平均寿命の増加分を上回る健康寿命の増加" in text  # a target in words
    assert "小学6年生 83.5%（令和6年度）／中学3年生 64.2%（令和6年度）" in text  # series in one cell
    baselines = _csv(folder / "baselines.csv")
    assert len(baselines) - 1 == sum(len(i.baselines) for i in plan.indicators)
    evaluations = _csv(folder / "evaluations.csv")
    series = evaluations[0].index("系列")
    assert {r[series] for r in evaluations[1:]} >= {"小学6年生", "中学3年生"}
    data = load_workbook(folder / "report.xlsx")["データ"]
    heads = [c.value for c in data[1]]
    records = Counter(r[heads.index("区分")] for r in data.iter_rows(min_row=2, values_only=True))
    assert records["基準値"] == sum(len(i.baselines) for i in plan.indicators)


def test_an_indicator_on_two_nodes_shows_under_both(reports):
    plan, report, folder = reports("urakawa")
    shared = next(i for i in plan.indicators if len(i.nodes) > 1)
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert html.count(f'id="indicator-{shared.code}"') == 1  # its full block once, at home
    assert html.count(f'href="#indicator-{shared.code}"') >= 2  # the summary, and the other node's pointer
    other = next(s for s in report.sections if s.node is not None and s.node.code == shared.nodes[1])
    assert shared.code in other.elsewhere
    assert "評価の詳細は施策(1) 第一次産業の振興に掲載" in index_text(html)
    assert "この指標は施策(4) 人材・後継者の育成にも掲げられている。" in index_text(html)
    assert [v.indicator.code for v in report.indicators].count(shared.code) == 1


def test_costs_with_progress_and_general_revenue(reports):
    plan, _report, folder = reports("fuji")
    text = index_text((folder / "index.html").read_text(encoding="utf-8"))
    assert "進捗率（実績÷計画）" in text and "72.5%" in text  # 50,834,606 / 70,094,971
    assert "70,094,971千円" in text and "全体" in text
    costs = _csv(folder / "costs.csv")
    assert len(costs) - 1 == len(plan.costs) + sum(len(n.costs) for n in plan.nodes)
    _plan_o, _report_o, folder_o = reports("ogaki")
    text_o = index_text((folder_o / "index.html").read_text(encoding="utf-8"))
    assert "一般財源（実績）" in text_o and "4,000百万円" in text_o and "136" in text_o
    sheet = load_workbook(folder_o / "report.xlsx")["事業費"]
    heads = [c.value for c in sheet[1]]
    first = next(sheet.iter_rows(min_row=2, values_only=True))
    assert first[heads.index("事業費")] == 9864 and first[heads.index("事業費（円）")] == 9_864_000_000


def test_a_plan_without_nodes_or_indicators(reports):
    plan, report, folder = reports("ino")
    assert report.sections == () and not plan.indicators
    text = index_text((folder / "index.html").read_text(encoding="utf-8"))
    assert "市の集計：達成度（平成29年度）" in text
    assert "外部委員会（いの町まち・ひと・しごと創生総合戦略推進委員会、平成30年8月7日）" in text
    assert "市の評価方法（計画の記載）" in text and "計画の見直し" in text
    assert sorted(report.data_files) == sorted(
        ["observations.csv", "targets.csv", "evaluations.csv", "comments.csv", "tallies.csv"]
    )


def test_milestones_and_text_targets(reports):
    _plan, report, folder = reports("mima")
    text = index_text((folder / "index.html").read_text(encoding="utf-8"))
    assert "全員取得" in text  # the state the milestone aims at
    assert (
        report.sections[0].heading == "1章『市民の個性と能力が発揮できるまちづくり(教育・文化)』"
    )  # 章 not repeated


@pytest.mark.parametrize("name", ["tsukuba", "urakawa", "chiba"])
def test_pdf_of_the_deepest_plans(name, tmp_path):
    from pypdf import PdfReader

    plan = _plan(name)
    write_report(build_report(plan), tmp_path, ["pdf"])
    pdf = PdfReader(tmp_path / "report.pdf")
    whole = re.sub(r"\s+", "", "".join(page.extract_text() for page in pdf.pages))
    for node in plan.nodes:
        assert re.sub(r"\s+", "", node.name) in whole, node.code
    for ind in plan.indicators:
        assert re.sub(r"\s+", "", ind.name)[:20] in whole, ind.code
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in pdf.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert fonts and all(f.startswith("Noto-") for f in fonts), fonts  # no glyph fell back


@pytest.mark.parametrize("name", ["tsukuba", "fuji", "ino"])
def test_english(name, tmp_path):
    plan = _plan(name)
    report = build_report(plan, lang="en", charts=False)
    write_report(report, tmp_path, ["html", "md", "xlsx", "csv"])
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'lang="en"' in html and not re.search(r"{{|{%|\bNone\b", html)
    for section in report.sections:
        assert section.heading in index_text(html)
    assert "About the plan" in html or not report.facts
