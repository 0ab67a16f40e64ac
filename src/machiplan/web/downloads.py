"""An indicator's figures as CSV and XLSX: every cell a spreadsheet would run as a formula made
safe (interchange/spreadsheet_safety.py), the existing columns first, then the general model's
series, period and text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from machiplan.domain.fiscal import format_fiscal_year
from machiplan.domain.plan import Indicator, Plan
from machiplan.interchange.spreadsheet_safety import csv_row, xlsx_row

# What a row of the CSV adds to the report's observations.csv columns, unless they have it already.
EXTRA_COLUMNS = ("系列", "期間", "文字")  # the series ('' = the indicator's own), fy | cy, a state's words

# observations.csv's columns as the report wrote them before the general model (issue #11).
REPORT_HEADER = ["全国地方公共団体コード", "ID", "地方公共団体名", "計画コード", "計画名", "基本目標", "指標コード", "分類",
                 "指標名", "単位", "年度", "年度_和暦", "種別", "値", "時点", "概数", "内訳", "原文", "備考", "出典"]  # fmt: skip


def _plain(value) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _report_rows(plan: Plan, ind: Indicator) -> tuple[list[str], list[list]]:
    """The rows of the report's observations.csv for this indicator (``csv_files.observation_rows``).

    While the report renderers are moved to the general model in parallel (issue #11) they may
    not import or run; then the same columns are written here, the goal being the home node's top."""
    try:
        from machiplan.reports.renderers.csv_files import OBSERVATION_HEADER, observation_rows

        return list(OBSERVATION_HEADER), [list(row) for row in observation_rows(plan, [ind])]
    except (ImportError, AttributeError):
        pass
    top = plan.top_node_of(ind.node) if ind.node else None
    code, name = plan.municipality.code, plan.municipality.name
    rows = [
        [code, f"{plan.code}-{ind.code}-{o.fy}" + (f"-{o.series}" if o.series else ""), name, plan.code, plan.title,
         top.code if top else "", ind.code, ind.category, ind.name, ind.unit or "", o.fy, format_fiscal_year(o.fy),
         o.kind, _plain(o.value), o.as_of.isoformat() if o.as_of else "", int(o.approximate),
         ";".join(f"{label}={_plain(v)}" for label, v in o.breakdown), o.source_text, o.note, o.source]
        for o in ind.observations
    ]  # fmt: skip
    return list(REPORT_HEADER), rows


def observation_table(plan: Plan, ind: Indicator) -> tuple[list[str], list[list]]:
    header, rows = _report_rows(plan, ind)
    extra = [c for c in EXTRA_COLUMNS if c not in header]
    values = {"系列": lambda o: o.series, "期間": lambda o: o.period, "文字": lambda o: o.text}
    rows = [row + [values[c](o) for c in extra] for row, o in zip(rows, ind.observations, strict=True)]
    return header + extra, rows


def csv_text(header: list[str], rows: Iterable[list]) -> str:
    """UTF-8 with a BOM (Excel opens it as it is), every text that would run quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(csv_row(row) for row in rows)
    return "\ufeff" + buffer.getvalue()


def indicator_csv(plan: Plan, ind: Indicator) -> str:
    return csv_text(*observation_table(plan, ind))


def number_format(ind: Indicator, approximate: bool = False) -> str:
    """An Excel format that shows the unit: 0.0"%" for points, #,##0"団体" for counts."""
    places = ind.display_places
    digits = ("0" if ind.unit == "%" else "#,##0") + ("." + "0" * places if places else "")
    prefix = '"約"' if approximate else ""
    return f'{prefix}{digits}"{ind.unit}"' if ind.unit else f"{prefix}{digits}"


def _number(value):
    return None if value is None else float(value)


def indicator_xlsx(ind: Indicator) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = ind.code[:31]
    sheet.append(["年度", "種別", "値", "時点", "概数", "原文", "系列", "期間", "文字", "備考"])
    for o in ind.observations:
        row = [o.fy, o.kind, _number(o.value), o.as_of, o.approximate, o.source_text, o.series, o.period, o.text,
               o.note]  # fmt: skip
        sheet.append(xlsx_row(sheet, row))  # a source text beginning '=' stays text
        sheet.cell(row=sheet.max_row, column=3).number_format = number_format(ind, o.approximate)
    sheet.append([])
    sheet.append(["目標区分", "目標年度", "目標値", "合計期間の開始年度", "原文", "系列", "種類", "演算子", "文字",
                  "年度の記載", "改訂", "備考"])  # fmt: skip
    for t in ind.targets:
        row = [t.horizon, t.fy, _number(t.value), t.period_start_fy, t.source_text, t.series, t.kind, t.operator or "",
               t.text, t.year_stated, t.revision or "", t.note]  # fmt: skip
        sheet.append(xlsx_row(sheet, row))
    if ind.baselines:
        sheet.append([])
        sheet.append(["基準値", "年度", "値", "時点", "概数", "原文", "系列", "期間", "文字", "改訂", "備考"])
        for b in ind.baselines:
            row = [b.label, b.fy, _number(b.value), b.as_of, b.approximate, b.source_text, b.series, b.period, b.text,
                   b.revision or "", b.note]  # fmt: skip
            sheet.append(xlsx_row(sheet, row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
