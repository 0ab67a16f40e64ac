"""Bulk entry: a template per department and year, an upload previewed row by row, applied at once.

The preview lists every change and every error by row and column. Applying
re-reads the file and saves every changed row as a draft in one transaction:
with any error, nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from machiplan.domain import figures, roles
from machiplan.domain import plan as domain
from machiplan.domain.errors import MachiplanError
from machiplan.domain.fiscal import parse_date, parse_fiscal_year
from machiplan.domain.quantities import (
    format_breakdown,
    parse_breakdown,
    parse_number,
    parse_value,
    parse_whole_number,
)
from machiplan.interchange import entry_sheet
from machiplan.interchange.files import display_path
from machiplan.plans.models import Indicator, Observation, Plan

from .. import policy, selectors
from ..errors import Conflict, NotFound, Refused
from ..models import BulkUpload, Entry
from . import entries
from .audit import plain_decimal, stored_breakdown

KIND_WORDS = {
    **{word.casefold(): kind for kind, word in entry_sheet.KIND_NAMES.items()},
    **{kind: kind for kind in domain.OBSERVATION_KINDS},
    "途中": domain.INTERIM, "状況（途中値）": domain.INTERIM, "—": domain.NONE, "-": domain.NONE, "なし": domain.NONE,
}  # fmt: skip
PERIOD_WORDS = {
    **{word: period for period, word in entry_sheet.PERIOD_NAMES.items()},
    **{period: period for period in domain.PERIODS},
}
TRUE_WORDS = ("1", "○", "〇", "true", "yes", "はい", "約", "y")


def _plan(staff: roles.Staff, plan_code: str) -> tuple[Plan, roles.Reach]:
    plan, found = policy.plan_for(staff, plan_code)
    policy.require(found.can_enter_any, f"{staff.username} may not enter figures of plan {plan_code!r}")
    return plan, found


def _visible(found: roles.Reach, plan: Plan, department: str | None):
    rows = policy.indicators(found, Indicator.objects.filter(plan=plan).select_related("department"))
    if department:
        rows = rows.filter(department__code=department)
    return rows.order_by("order")


def template_rows(*, user, plan_code: str, fy: int, department: str | None = None) -> list[list[object]]:
    """The template's rows (in ``entry_sheet.COLUMNS`` order): each indicator of the department, for each
    of its series, with its figure for ``fy`` as it stands and the year before's published figure to
    compare with. An editor gets their own department's."""
    staff = policy.staff_of(user)
    plan, found = _plan(staff, plan_code)
    indicators = list(_visible(found, plan, department))
    approved = {
        (o.indicator_id, o.series, o.fy): o
        for o in Observation.objects.filter(indicator__in=indicators, fy__in=[fy - 1, fy])
    }
    working = {(e.indicator_id, e.series): e for e in Entry.objects.filter(indicator__in=indicators, fy=fy)}
    rows = []
    series_shown = selectors.figure_series(indicators)
    for ind in indicators:
        for series in series_shown[ind.pk]:
            entry = working.get((ind.pk, series))
            current = entry or approved.get((ind.pk, series, fy))
            previous = approved.get((ind.pk, series, fy - 1))
            cells = {
                "indicator": ind.code, "name": ind.name, "unit": ind.unit, "series": series, "fy": fy,
                "previous": plain_decimal(previous.value) if previous and previous.value is not None
                else (previous.text if previous else ""),
                "revision": entry.revision if entry else 0,
            }  # fmt: skip
            if current is not None:
                cells.update(_cells(current))
            rows.append([cells.get(key, "") for key in entry_sheet.KEYS])
    return rows


def _cells(figure) -> dict[str, object]:
    """A figure (an Entry or an Observation) as the template writes it."""
    return {
        "period": entry_sheet.PERIOD_NAMES[figure.period], "kind": entry_sheet.KIND_NAMES[figure.kind],
        "value": "" if figure.value is None else plain_decimal(figure.value), "text": figure.text,
        "as_of": figure.as_of.isoformat() if figure.as_of else "", "approximate": "○" if figure.approximate else "",
        "breakdown": format_breakdown(stored_breakdown(figure.breakdown)), "note": figure.note,
        **{f.name: _cell(getattr(figure, f.name)) for f in figures.SAMPLE_FIELDS},
        "data_source": getattr(figure, "data_source", ""),
    }  # fmt: skip


@dataclass
class RowResult:
    number: int
    indicator: str = ""
    series: str = ""
    fy: int | None = None
    old: object = None  # the Entry or Observation it replaces
    new: object = None  # an entries.Figure
    revision: int = 0
    reason: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, message)
    warnings: list[str] = field(default_factory=list)
    unchanged: bool = False
    row: Indicator | None = None
    prepared: entries.Prepared | None = None


@dataclass
class Preview:
    rows: list[RowResult]
    file_error: str = ""

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        found = [(0, "", self.file_error)] if self.file_error else []
        return found + [(r.number, column, message) for r in self.rows for column, message in r.errors]

    @property
    def changes(self) -> list[RowResult]:
        return [r for r in self.rows if not r.errors and not r.unchanged]


def upload_store(*, user, plan_code: str, filename: str, content: bytes) -> BulkUpload:
    plan, _ = _plan(policy.staff_of(user), plan_code)
    if len(content) > entry_sheet.MAX_FILE_BYTES:  # the page says so before; any other caller is told here
        raise MachiplanError(
            f"too large: {len(content):,} bytes (at most {entry_sheet.MAX_FILE_BYTES // (1024 * 1024)} MB)",
            where=display_path(filename)[:200],
        )
    BulkUpload.objects.filter(created_at__lt=timezone.now() - timezone.timedelta(days=1)).delete()
    return BulkUpload.objects.create(
        user=user, plan=plan, filename=display_path(filename)[:200], content=content
    )


def preview(*, user, upload: BulkUpload, lang: str = "ja", lock: bool = False) -> Preview:
    """Every row of the upload, read and checked exactly as a save checks it, without saving anything."""
    staff = policy.staff_of(user)
    _, found = _plan(staff, upload.plan.code)
    try:
        rows = entry_sheet.read_rows(bytes(upload.content), name=upload.filename)
    except MachiplanError as exc:
        return Preview(rows=[], file_error=str(exc))
    by_code = {
        i.code: i for i in Indicator.objects.filter(plan=upload.plan).select_related("plan", "department")
    }
    wanted = {by_code[r.cells["indicator"]].pk for r in rows if r.cells.get("indicator") in by_code}
    context = entries.Context.load(sorted(wanted), lock=lock)
    results, seen = [], {}
    for row in rows:
        result = _read_row(row, by_code, found, lang)
        key = (result.indicator, result.series, result.fy)
        if not result.errors and not result.unchanged and key in seen:
            result.errors.append((entry_sheet.HEADER_OF["indicator"], _t(lang, "duplicate", row=seen[key])))
        elif not result.errors and not result.unchanged:
            seen[key] = row.number
            _check(result, user, staff, context, lang)
        results.append(result)
    return Preview(rows=results)


def _check(result: RowResult, user, staff: roles.Staff, context: entries.Context, lang: str) -> None:
    """The save's own checks (role, revision, workflow, figure); the prepared save is kept for apply."""
    key = (result.row.pk, result.series, result.fy)
    current = context.entries.get(key)
    result.old = current or context.approved.get(key)
    stale = current is not None and current.revision != result.revision  # prepare_save says so below
    if not stale and result.old is not None and _same(result.old, result.new):
        result.unchanged = True
        return
    column = entry_sheet.HEADER_OF
    try:
        result.prepared = entries.prepare_save(
            staff=staff, user=user, row=result.row, series=result.series, fy=result.fy, figure=result.new,
            revision=result.revision, reason=result.reason, via="bulk", context=context,
        )  # fmt: skip
        result.warnings = [p.message(lang) for p in result.prepared.warnings]
    except Conflict:
        who = current.entered_by.get_username() if current and current.entered_by else "?"
        result.errors.append((column["revision"], _t(lang, "stale", who=who)))
    except Refused as exc:
        for problem in exc.findings.errors:
            name = problem.field if problem.field in column else "value"
            result.errors.append((column[name], problem.message(lang)))
        if exc.needs_reason:
            warning = " ".join(p.message(lang) for p in exc.findings.warnings)
            result.errors.append((column["reason"], _t(lang, "reason_needed", warning=warning)))
    except NotFound:  # a series the indicator does not have
        result.errors.append(
            (column["series"], _t(lang, "no_series", series=result.series, code=result.indicator))
        )
    except MachiplanError as exc:  # a workflow step the figure's state does not allow
        result.errors.append((column["indicator"], exc.message))


def _read_row(
    row: entry_sheet.Row, by_code: dict[str, Indicator], found: roles.Reach, lang: str
) -> RowResult:
    """One row's cells as a figure, or its errors by column (reading only: no checks against the data)."""
    cells = row.cells
    result = RowResult(
        number=row.number, indicator=cells.get("indicator", ""), series=cells.get("series", "")
    )
    col = entry_sheet.HEADER_OF

    def error(key: str, message: str) -> None:
        result.errors.append((col[key], message))

    if row.problems:  # cells the file does not hold as text: a formula without its result, a novel
        for key, problem in row.problems.items():
            error(key, _t(lang, problem, column=col[key]))
        return result
    ind = by_code.get(result.indicator)
    if ind is None:
        error("indicator", _t(lang, "no_indicator", code=result.indicator or "（空欄）"))
        return result
    result.row = ind
    if not found.can_enter(policy.department_of(ind)):
        error("indicator", _t(lang, "not_yours", code=ind.code))
        return result
    try:
        result.fy = parse_fiscal_year(cells.get("fy", ""))
    except MachiplanError:
        error("fy", _t(lang, "bad_fy", text=cells.get("fy", "")))
        return result
    kind_text, value_text, text = cells.get("kind", ""), cells.get("value", ""), cells.get("text", "")
    if not kind_text and not value_text and not text:
        result.unchanged = True  # a row left blank: nothing to enter for it
        return result
    kind = KIND_WORDS.get(kind_text.casefold()) if kind_text else domain.ACTUAL
    if kind is None:
        error("kind", _t(lang, "bad_kind", text=kind_text))
    period_text = cells.get("period", "")
    period = PERIOD_WORDS.get(period_text.casefold()) if period_text else domain.FISCAL_YEAR
    if period is None:
        error("period", _t(lang, "bad_period", text=period_text))
    value = as_of = None
    breakdown: tuple = ()
    try:
        value = parse_value(value_text, ind.unit) if value_text else None
    except MachiplanError:
        error("value", _t(lang, "bad_number", text=value_text))
    try:
        as_of = parse_date(cells["as_of"]) if cells.get("as_of") else None
    except MachiplanError:
        serial = _excel_date(cells["as_of"])
        if serial is not None:
            error("as_of", _t(lang, "date_serial", text=cells["as_of"], date=serial.isoformat()))
        else:
            error("as_of", _t(lang, "bad_date", text=cells.get("as_of", "")))
    try:
        breakdown = parse_breakdown(cells.get("breakdown", ""))
    except MachiplanError:
        error("breakdown", _t(lang, "bad_breakdown", text=cells.get("breakdown", "")))
    sample = {}
    for spec in figures.SAMPLE_FIELDS:  # 回答数, 誤差, デザイン効果
        raw = cells.get(spec.name, "")
        try:
            whole = spec.type == "int"
            sample[spec.name] = (parse_whole_number(raw) if whole else parse_number(raw)) if raw else None
        except MachiplanError:
            error(
                spec.name,
                _t(
                    lang, "bad_whole_number" if whole else "bad_field_number", column=col[spec.name], text=raw
                ),
            )
    try:
        result.revision = int(cells.get("revision") or 0)
    except ValueError:
        error("revision", _t(lang, "bad_revision"))
    if not result.errors:
        result.new = entries.Figure(
            kind=kind, value=value, period=period, text=text, as_of=as_of,
            approximate=cells.get("approximate", "").casefold() in TRUE_WORDS, breakdown=breakdown,
            note=cells.get("note", ""), data_source=cells.get("data_source", ""), **sample,
        )  # fmt: skip
        result.reason = cells.get("reason", "")
    return result


def _excel_date(text: str) -> dt.date | None:
    """The day an Excel date serial number stands for (43008 -> 2017-09-30), for a cell not formatted as a date."""
    if not re.fullmatch(r"\d{5}(?:\.\d+)?", text):  # 10000 (1927) .. 99999 (2173)
        return None
    return dt.date(1899, 12, 30) + dt.timedelta(
        days=int(float(text))
    )  # Excel's day 0, its 1900 leap day included


def _same(old, new) -> bool:
    return (
        old.kind == new.kind and (old.value is None) == (new.value is None)
        and (old.value is None or old.value.normalize() == new.value.normalize())
        and old.period == new.period and (old.text or "") == new.text
        and old.as_of == new.as_of and bool(old.approximate) == new.approximate
        and stored_breakdown(old.breakdown) == tuple(new.breakdown)
        and (old.note or "") == new.note and getattr(old, "data_source", new.data_source) == new.data_source
        and all(_same_number(getattr(old, f.name), getattr(new, f.name)) for f in figures.SAMPLE_FIELDS)
    )  # fmt: skip


def _same_number(a, b) -> bool:
    return (a is None) == (b is None) and (
        a is None or Decimal(str(a)).normalize() == Decimal(str(b)).normalize()
    )


def _cell(value) -> object:
    return "" if value is None else plain_decimal(value)


class BulkRefused(MachiplanError):
    def __init__(self, result: Preview) -> None:
        super().__init__(f"{len(result.errors)} errors in the upload: nothing was saved")
        self.preview = result


def apply(*, user, upload: BulkUpload, submit: bool = False, lang: str = "ja") -> int:
    """Save every change of the upload as a draft (and submit them, if asked) in one transaction.

    The upload is checked again under lock, exactly as the preview did: with any
    error, nothing is saved.
    """
    with transaction.atomic():
        upload = BulkUpload.objects.select_for_update().select_related("plan").get(pk=upload.pk)
        if upload.applied_at is not None:
            raise MachiplanError("this upload was already saved")
        result = preview(user=user, upload=upload, lang=lang, lock=True)
        if result.errors:
            raise BulkRefused(result)
        prepared = [r.prepared for r in result.changes]
        group = entries.persist(prepared)  # one upload, one group of rows in the trail
        if submit:
            entries.entries_submit(staff=policy.staff_of(user), prepared=prepared, via="bulk", group=group)
        upload.applied_at = timezone.now()
        upload.save(update_fields=["applied_at"])
        return len(prepared)


MESSAGES = {
    "ja": {
        "no_indicator": "指標コード {code} はこの計画にありません。",
        "not_yours": "指標 {code} はほかの部署の担当です。",
        "bad_fy": "年度「{text}」を読めません（例: 2024、R6、令和6年度）。",
        "bad_kind": "種別「{text}」を読めません（実績・状況・見込・今後調査・― のいずれか）。",
        "bad_period": "期間「{text}」を読めません（年度・暦年 のいずれか）。",
        "no_series": "指標 {code} に系列「{series}」はありません。",
        "bad_number": "値「{text}」は数値ではありません。",
        "bad_field_number": "{column}「{text}」は数値ではありません。",
        "bad_whole_number": "{column}「{text}」は整数ではありません。",
        "bad_date": "時点「{text}」を日付として読めません（例: 2024-09-30、R6.9.30）。",
        "bad_breakdown": "内訳「{text}」を読めません（例: 認定9、仮認定5）。",
        "bad_revision": "版の欄は変更しないでください。",
        "stale": "様式のダウンロード後に {who} さんがこの値を変更しました。新しい様式で入力し直してください。",
        "reason_needed": "確認が必要です: {warning} 正しい場合は確認理由の欄に理由を書いてください。",
        "duplicate": "同じ指標・系列・年度が {row} 行目にもあります。",
        "date_serial": "時点「{text}」は Excel の日付のシリアル値です（{date}）。セルの表示形式を日付にするか、{date} のように入力してください。",
        "formula": "{column}の欄の数式の計算結果がファイルに保存されていません。Excel で開いて保存し直すか、値を直接入力してください。",
        "too_long": "{column}の欄が長すぎます（1,000 文字まで）。",
    },
    "en": {
        "no_indicator": "There is no indicator {code} in this plan.",
        "not_yours": "Indicator {code} belongs to another department.",
        "bad_fy": "Cannot read the year {text!r} (e.g. 2024, R6, 令和6年度).",
        "bad_kind": "Cannot read the kind {text!r} (実績, 状況, 見込, 今後調査 or ―).",
        "bad_period": "Cannot read the period {text!r} (年度 or 暦年).",
        "no_series": "Indicator {code} has no series {series!r}.",
        "bad_number": "The value {text!r} is not a number.",
        "bad_field_number": "{column} {text!r} is not a number.",
        "bad_whole_number": "{column} {text!r} is not a whole number.",
        "bad_date": "Cannot read the as-of date {text!r} (e.g. 2024-09-30).",
        "bad_breakdown": "Cannot read the breakdown {text!r} (e.g. 認定9、仮認定5).",
        "bad_revision": "Leave the revision column as it was downloaded.",
        "stale": "{who} changed this figure after the template was downloaded: enter it again in a new template.",
        "reason_needed": "Needs confirming: {warning} If the figure is right, give the reason in the reason column.",
        "duplicate": "The same indicator, series and year are also on row {row}.",
        "date_serial": "The as-of date {text!r} is an Excel date serial number ({date}): format the cell as a date, or type {date}.",
        "formula": "The {column} cell holds a formula whose result is not saved in the file: open and save it in Excel, or type the value.",
        "too_long": "The {column} cell is too long (at most 1,000 characters).",
    },
}


def _t(lang: str, key: str, **params) -> str:
    """A message in the person's language; a cell quoted in it is one line and cut short (each error is a line)."""
    return MESSAGES[lang][key].format(
        **{k: _quoted(v) if isinstance(v, str) else v for k, v in params.items()}
    )


def _quoted(text: str, limit: int = 60) -> str:
    text = re.sub(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+", " ", text)
    return text if len(text) <= limit else text[:limit] + "…"
