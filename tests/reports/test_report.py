"""The report files: their structure and content, checked by reading them back."""

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest

from machiplan.domain.errors import MachiplanError
from machiplan.reports import renderers as renderers_module
from machiplan.reports.model import build_report
from machiplan.reports.writer import write_report


class Page(HTMLParser):
    """Collects what a reader (or a screen reader) meets: headings, tables, links, resources."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.tables: list[list[list[tuple[str, dict]]]] = []
        self.resources: list[str] = []
        self.lang = None
        self.ids: set[str] = set()
        self.anchors: list[str] = []
        self._heading = None
        self._cell = None
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.anchors.append(a["href"][1:])
        for key in ("src", "href"):
            if tag in ("script", "img", "link") and key in a:
                self.resources.append(a[key])
        if tag in ("h1", "h2", "h3"):
            self._heading = [tag, ""]
        if tag == "table":
            self.tables.append([])
        if tag == "tr":
            self.tables[-1].append([])
        if tag in ("td", "th"):
            self._cell = ["", a]

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3") and self._heading:
            self.headings.append((self._heading[0], self._heading[1].strip()))
            self._heading = None
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append((self._cell[0].strip(), self._cell[1]))
            self._cell = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data
        if self._cell is not None:
            self._cell[0] += data


@pytest.fixture(scope="module")
def report(sapporo):
    return build_report(sapporo)


@pytest.fixture(scope="module")
def written(report, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    write_report(report, folder, ["html", "json", "csv"])
    return folder


@pytest.fixture(scope="module")
def page(written):
    return Page((written / "index.html").read_text(encoding="utf-8"))


def test_html_is_one_self_contained_japanese_page(page, written):
    assert page.lang == "ja"
    assert page.resources == []  # no scripts, images or stylesheets fetched from anywhere
    html = (written / "index.html").read_text()
    assert not re.search(
        r'(src|href|url)\s*[=(]\s*["\']?(https?:)?//', html
    )  # nothing loaded over the network
    assert set(page.anchors) <= page.ids  # every in-page link has its target


def test_html_has_every_goal_policy_and_initiative(page, sapporo, written):
    text = (written / "index.html").read_text(encoding="utf-8")
    headings = [h for _, h in page.headings]
    for goal in sapporo.top_nodes:
        assert f"基本目標{goal.label}『{goal.name}』" in headings
        assert goal.statement in text
        for policy in sapporo.children(goal.code):
            assert policy.name in text
            for initiative in policy.initiatives:
                assert initiative.text in text
                for fact in initiative.facts:
                    assert fact in text
        for narrative in goal.narratives:
            for item in narrative.items:
                for part in (item.heading, item.text, *item.bullets):
                    assert part in text


def sheet_tables(page):
    return [t for t in page.tables if t and any(cell[0] == "H25実績 (2013)" for row in t for cell in row[:1])]


def test_indicator_table_is_laid_out_as_in_the_sheet(page):
    sheets = sheet_tables(page)
    assert len(sheets) == 4
    goal1 = sheets[0]
    categories = [(text, attrs.get("colspan")) for text, attrs in goal1[0][1:]]
    assert categories == [("参加の実感", "1"), ("町内会加入", "1"), ("寄附による参加", "2")]
    labels = [row[0][0] for row in goal1[2:]]
    assert labels == [
        "H25実績 (2013)", "H26実績 (2014)", "H27実績 (2015)", "H28実績 (2016)", "H29状況 (2017)",
        "H30目標 (2018)", "アクションプラン R1（H31） (2019)", "戦略ビジョン R4（H34） (2022)", "評価",
    ]  # fmt: skip
    rows = {row[0][0]: [c[0] for c in row[1:]] for row in goal1[2:]}
    assert rows["H25実績 (2013)"] == ["32.4%", "71.7%", "331件", "約4億9,600万円"]
    assert rows["H29状況 (2017)"] == [
        "今後調査",
        "今後調査",
        "69件 (H29.9.15時点)",
        "約7億9,000万円 (H29.9.15時点)",
    ]
    assert rows["H30目標 (2018)"] == ["70.0%", "74.0%", "360件", "7億4,000万円"]
    assert rows["アクションプラン R1（H31） (2019)"] == ["100.0%", "75.0%", "—", "—"]
    assert rows["評価"] == ["達成", "後退", "後退", "達成"]
    goal3 = {row[0][0]: [c[0] for c in row[1:]] for row in sheets[2][2:]}
    assert goal3["H30目標 (2018)"][1] == "100件 (H26-30計)"
    goal2 = {row[0][0]: [c[0] for c in row[1:]] for row in sheets[1][2:]}
    assert goal2["H26実績 (2014)"][4] == "15団体 (認定9、仮認定5、条例個別指定1)"


def test_each_indicator_has_its_evaluation_explained(page, written, report):
    text = (written / "index.html").read_text(encoding="utf-8")
    for view in report.indicators:
        assert f'id="indicator-{view.indicator.code}"' in text
        assert view.explanation in text
    assert "アクションプラン（令和元年度 (2019)）" in text  # the other horizons with both calendars
    assert "戦略ビジョン（令和4年度 (2022)）" in text


def test_summary_counts_and_method_appendix(page):
    counts = next(t for t in page.tables if t and t[0] and t[0][0][0] == "基本目標")
    assert [c[0] for c in counts[1]] == ["計画全体", "6", "1", "1", "2", "4", "0", "0", "1"]
    headings = [h for _, h in page.headings]
    assert "評価の方法" in headings
    params = next(t for t in page.tables if any("roughly_ratio" in c[0] for row in t for c in row))
    values = {row[0][0].split()[-1]: row[1][0] for row in params}
    assert values["roughly_ratio"] == "0.6" and values["survey_tolerance_points"] == "3.0"
    assert values["baseline_fy"] == "平成25年度 (2013)"


def test_english_report(sapporo, tmp_path):
    write_report(build_report(sapporo, lang="en"), tmp_path)
    page = Page((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert page.lang == "en"
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "The 2nd Basic Plan for Promoting Citizen Community-Building Activities" in text
    assert "Achieved" in text and "FY2013 actual" in text and "Action plan FY2019" in text


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()), f"{path.name} must start with a BOM for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_open_data_csv_files(written):
    for name, rows_expected in (("observations.csv", 75), ("targets.csv", 20), ("evaluations.csv", 21)):
        rows = read_csv(written / name)
        assert rows[0][:3] == ["全国地方公共団体コード", "ID", "地方公共団体名"]
        assert len(rows) - 1 == rows_expected, name
        assert all(r[0] == "011002" and r[2] == "札幌市" for r in rows[1:])
        assert len({r[1] for r in rows[1:]}) == rows_expected  # IDs are unique
    observations = read_csv(written / "observations.csv")
    header = observations[0]
    row = next(
        r for r in observations if r[header.index("指標コード")] == "2a" and r[header.index("年度")] == "2017"
    )
    assert row[header.index("値")] == "2684" and row[header.index("時点")] == "2017-08-31"
    assert row[header.index("種別")] == "interim" and row[header.index("年度_和暦")] == "平成29年度"


def test_plan_json_is_the_contract(written, sapporo):
    doc = json.loads((written / "plan.json").read_text(encoding="utf-8"))
    assert doc["schema"] == "machiplan/plan@2"
    assert [i["code"] for i in doc["indicators"]] == [i.code for i in sapporo.indicators]


def test_a_failing_renderer_leaves_the_folder_as_it_was(report, tmp_path, monkeypatch):
    (tmp_path / "old.txt").write_text("keep")

    def broken(report, folder):
        (folder / "half.html").write_text("half")
        raise MachiplanError("renderer broke")

    monkeypatch.setitem(renderers_module.RENDERERS, "broken", broken)
    with pytest.raises(MachiplanError, match="renderer broke"):
        write_report(report, tmp_path, ["html", "broken"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.txt"]


def test_unknown_format(report, tmp_path):
    with pytest.raises(MachiplanError, match="unknown report format"):
        write_report(report, tmp_path, ["docx"])


def test_no_stray_template_output(written):
    text = (written / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"{{|{%|None\b", text)


def test_a_report_not_printed_leaves_out_only_the_charts_alternative_text(sapporo, report, written, tmp_path):
    unprinted = build_report(sapporo, printed=False, today=report.generated_on)
    assert all(v.chart_alt for v in report.indicators if v.chart) and report.indicators[0].chart
    assert not any(v.chart_alt for v in unprinted.indicators)
    write_report(unprinted, tmp_path, ["html", "json", "csv"])  # as ``written`` wrote the printed one
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == sorted(p.name for p in written.iterdir()) and "index.html" in files
    for name in files:
        assert (tmp_path / name).read_bytes() == (written / name).read_bytes(), name


def test_a_wide_sections_table_is_cut_into_parts_that_keep_every_cell(tmp_path):
    """A section of more than SHEET_COLUMNS indicators is laid out in parts side by side: each
    part's rows hold its own indicators' cells, and together the parts hold the whole table.
    (A section's rows are made when asked for, not kept; the parts are cut from one making.)"""
    from bench.generate import generate

    from machiplan.interchange.package import read_package
    from machiplan.reports.model import SHEET_COLUMNS

    generate(tmp_path / "wide", indicators=60, years=4, seed=3)
    report = build_report(read_package(tmp_path / "wide"), charts=False)
    wide = [s for s in report.sections if len(s.indicators) > 2 * SHEET_COLUMNS]
    assert wide, [len(s.indicators) for s in report.sections]
    for section in wide:
        rows, parts = section.rows, section.sheet_parts
        assert rows == section.rows  # the same table each time it is made
        assert len(parts) == -(-len(section.indicators) // SHEET_COLUMNS)
        assert [v for p in parts for v in p.indicators] == list(section.indicators)
        for n, row in enumerate(rows):
            assert len(row.cells) == len(section.indicators)
            assert [c for p in parts for c in p.rows[n].cells] == list(row.cells)
            assert all(p.rows[n].label == row.label for p in parts)
        assert any(c.text != "—" for p in parts[1:] for r in p.rows for c in r.cells)
