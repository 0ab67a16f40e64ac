"""An indicator's figures as CSV and XLSX: every cell a spreadsheet would run as a formula made
safe (interchange/spreadsheet_safety.py), the existing columns first, then the general model's
series, period and text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from machiplan.domain.fiscal import format_fiscal_year
from machiplan.domain.plan import Indicator, Plan
from machiplan.interchange.spreadsheet_safety import csv_row, format_text, xlsx_row

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
    # the report's observations.csv names them 系列, 年区分 and 文字値 since the general model
    same = {"系列": "系列", "期間": "年区分", "文字": "文字値"}
    extra = [c for c in EXTRA_COLUMNS if c not in header and same[c] not in header]
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
    return f"{prefix}{digits}{format_text(ind.unit)}" if ind.unit else f"{prefix}{digits}"


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


# --- the whole plan: the report's PDF and workbook, the open data as a ZIP --------------------

PLAN_FILES = {  # name -> (content type, the report format that makes it)
    "report.pdf": ("application/pdf", "pdf"),
    "report.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "opendata.zip": ("application/zip", "csv"),
}

# Every column of the open-data CSV files: (Japanese name, English name, what it holds in English)
COLUMNS: dict[str, tuple[str, str]] = {
    "全国地方公共団体コード": (
        "municipality_code",
        "The municipality's national code (6 digits with check digit)",
    ),
    "ID": ("id", "The row's identifier: plan, indicator, year (and series)"),
    "地方公共団体名": ("municipality", "The municipality's name"),
    "計画コード": ("plan_code", "The plan's code"),
    "計画名": ("plan", "The plan's title"),
    "基本目標": ("top_node", "The code of the top node (基本目標) the row belongs to"),
    "指標コード": ("indicator_code", "The indicator's code"),
    "分類": ("category", "The indicator's category, as the plan writes it"),
    "指標名": ("indicator", "The indicator's name"),
    "単位": ("unit", "The unit, as the city writes it"),
    "年度": ("fy", "The fiscal year (April to March), Western"),
    "年度_和暦": ("fy_japanese", "The fiscal year in the Japanese era"),
    "種別": ("kind", "actual, interim (so far), forecast, pending (to be surveyed) or none"),
    "値": ("value", "The figure, as a plain number"),
    "時点": ("as_of", "The date a figure so far stands at (YYYY-MM-DD)"),
    "概数": ("approximate", "1 when the city gave it as approximate (約)"),
    "内訳": ("breakdown", "The parts that add up to the value: label=number;…"),
    "原文": ("source_text", "The cell as the city's document wrote it"),
    "備考": ("note", "A note"),
    "出典": ("source", "Where the row came from (file and line)"),
    "系列": ("series", "The series (小学6年生, 男性 …); empty for the indicator's own figures"),
    "年区分": ("period", "fy (fiscal year) or cy (calendar year)"),
    "文字値": ("text", "A state in words (設置), or words given instead of a figure"),
    "体系コード": ("node_code", "The code of the node the indicator hangs on (its home)"),
    "体系コード_一覧": ("node_codes", "Every node the indicator hangs on"),
    "目標区分": ("horizon", "Whose target: plan, action_plan, vision …"),
    "目標区分_名称": ("horizon_name", "The horizon's name"),
    "目標年度": ("target_fy", "The target's year"),
    "目標年度_和暦": ("target_fy_japanese", "The target's year in the Japanese era"),
    "目標値": ("target", "The target value"),
    "合計期間_開始年度": ("period_start_fy", "For a target summed over a period: its first year"),
    "目標種類": ("target_kind", "final, midterm (中間目標) or annual (年度別目標)"),
    "条件": ("operator", "at_least (以上), at_most (以下) or maintain (維持)"),
    "年度明記": ("year_stated", "Whether the document states the target's year"),
    "改定": ("revision", "The revision that set or corrected it"),
    "評価年度": ("evaluation_fy", "The year evaluated"),
    "評価": ("status", "The status code (or the city's grade)"),
    "評価_名称": ("status_name", "The status in words"),
    "進捗率": ("progress", "(latest − baseline) ÷ (target − baseline), as a ratio"),
    "経過率": ("pace", "The share of the time to the target passed, as a ratio"),
    "基準_年度": ("baseline_fy", "The baseline's year"),
    "基準_値": ("baseline", "The baseline value"),
    "最新実績_年度": ("latest_fy", "The latest actual's year"),
    "最新実績_値": ("latest", "The latest actual value"),
    "注意": ("flags", "Flags to check (break_suspected, stale …)"),
    "説明": ("explanation", "The evaluation in a sentence"),
    "目標_文字値": ("target_text", "A target in words"),
    "最新_状態": ("latest_state", "A milestone's latest state"),
    "市の評価": ("city_rating", "The city's own rating of the year"),
    "市の評価_一致": ("city_rating_agrees", "Whether it agrees with the status"),
    "名称": ("label", "Its name (初期値, 基準値 …; what a cost is)"),
    "対象": ("subject", "plan, node or indicator"),
    "体系名": ("node", "The node's name"),
    "開始年度": ("start_fy", "First year"),
    "終了年度": ("end_fy", "Last year"),
    "区分": ("basis", "planned or actual"),
    "区分_名称": ("basis_name", "計画 or 実績"),
    "会計": ("account", "The account (一般, 特別 …)"),
    "事業費": ("amount", "Cost, in the unit"),
    "一般財源": ("general_revenue", "Of which general revenue, in the unit"),
    "事業数": ("projects", "Number of projects"),
    "事業費_円": ("amount_yen", "Cost in yen"),
    "一般財源_円": ("general_revenue_yen", "General revenue in yen"),
    "評価の種類": ("scale", "The city's rating scale (key)"),
    "評価の種類_名称": ("scale_name", "The rating scale's name"),
    "評価_意味": ("grade_meaning", "What the grade means"),
    "この方法の評価": ("status_here", "machiplan's status beside it"),
    "一致": ("agrees", "Whether they agree"),
    "主体": ("body", "internal, committee, council or public"),
    "主体_名称": ("body_name_type", "The kind of body in words"),
    "主体名": ("body_name", "The body's name"),
    "日付": ("date", "The date"),
    "本文": ("text", "What it said"),
    "指標数": ("count", "Number of indicators"),
}
COLUMNS_JA = {  # the Japanese description where the column's name alone does not say it
    "種別": "実績（actual）、状況（interim：年度途中の値）、見込（forecast）、今後調査（pending）、—（none）",
    "値": "数値（桁区切りなし）",
    "時点": "年度途中の値の時点（YYYY-MM-DD）",
    "概数": "約・推計のとき 1",
    "進捗率": "（最新実績 − 基準値）÷（目標値 − 基準値）、比率",
    "経過率": "目標年度までに経過した期間の割合、比率",
    "注意": "確認が必要な点（調査の変更の疑いなど）",
}


def _readme(plan: Plan, files: list[tuple[str, list[str]]], licence: tuple[str, str], version: str) -> str:
    name, url = licence
    lines = [
        f"# {plan.municipality.name} {plan.title} — オープンデータ / Open data",
        "",
        f"計画コード / Plan code: {plan.code}  ",
        f"作成 / Made: {version[:19]} (承認済みの数値のみ / approved figures only)  ",
        f"ライセンス / Licence: {name}" + (f" ({url})" if url else ""),
        "",
        f"このデータは {name} で提供します。出典として「{plan.municipality.name}「{plan.title}」の進捗データ」と記してください。",
        f"These data are published under {name}. Please credit: {plan.municipality.name}, progress data of {plan.title_en or plan.title}.",
        "",
        "文字コードは UTF-8（BOM付き）、改行は CRLF です。数式として実行されうる文字列は引用符付きの文字列です。",
        "Files are UTF-8 with a BOM and CRLF line ends; a text a spreadsheet would run as a formula is quoted.",
        "",
        "## 列の説明 / Columns",
    ]
    for file, header in files:
        lines += ["", f"### {file}", "", "| 列 / column | English | 説明 / description |", "|---|---|---|"]
        for col in header:
            en, what = COLUMNS.get(col, (col, ""))
            ja = COLUMNS_JA.get(col, "")
            lines.append(f"| {col} | {en} | {ja + ' / ' if ja else ''}{what} |")
    return "\r\n".join(lines) + "\r\n"


def plan_file(plan: Plan, name: str, version: str) -> bytes:
    """One of the whole plan's downloads, made from the approved figures (``plan``) by the report's
    renderers; the ZIP holds the report's CSV files and a README with the column dictionary (in
    Japanese and English) and the licence."""
    import tempfile
    import zipfile
    from pathlib import Path

    from machiplan.reports.model import build_report
    from machiplan.reports.writer import write_report

    _, fmt = PLAN_FILES[name]
    with tempfile.TemporaryDirectory(prefix="machiplan-download-") as scratch:
        out = Path(scratch) / "out"
        report = build_report(plan, lang="ja", charts=fmt == "pdf")
        paths = write_report(report, out, [fmt])
        if fmt != "csv":
            return (out / name).read_bytes()
        from .pages import data_licence

        files = []
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(paths, key=lambda p: p.name):
                text = path.read_text(encoding="utf-8-sig")
                header = next(csv.reader(io.StringIO(text)), [])
                files.append((path.name, header))
                archive.writestr(f"{plan.code}/{path.name}", path.read_bytes())
            archive.writestr(
                f"{plan.code}/README.md", _readme(plan, files, data_licence(), version).encode("utf-8")
            )
        return buffer.getvalue()


def plan_downloads(plan: Plan, lang: str) -> tuple[tuple[str, str, str], ...]:
    """The whole plan's downloads: (label, url, file name)."""
    from django.urls import reverse

    from .text import WEB_TEXT

    w = WEB_TEXT[lang]
    labels = {
        "report.pdf": w["report_pdf"],
        "report.xlsx": w["report_xlsx"],
        "opendata.zip": w["opendata_zip"],
    }
    return tuple(
        (labels[name], reverse("web:plan-download", args=[plan.code, name]), f"{plan.code}-{name}")
        for name in PLAN_FILES
    )
