"""Bulk entry: a template per department and year, an upload previewed row by row, applied at once.

The preview lists every change and every error by row and column. Applying
re-reads the file and saves every changed row as a draft in one transaction:
with any error, nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from machiplan.domain import plan as domain
from machiplan.domain import roles
from machiplan.domain.errors import MachiplanError
from machiplan.domain.fiscal import parse_date, parse_fiscal_year
from machiplan.domain.quantities import format_breakdown, parse_breakdown, parse_number
from machiplan.interchange import entry_sheet
from machiplan.plans.models import Indicator, Observation, Plan

from ..errors import NotAllowed
from ..models import BulkUpload, Entry
from . import entries
from .audit import stored_breakdown
from .people import staff_of

KIND_WORDS = {
    "実績": domain.ACTUAL, "actual": domain.ACTUAL,
    "状況": domain.INTERIM, "途中": domain.INTERIM, "interim": domain.INTERIM,
    "今後調査": domain.PENDING, "pending": domain.PENDING,
    "—": domain.NONE, "-": domain.NONE, "―": domain.NONE, "none": domain.NONE, "なし": domain.NONE,
}  # fmt: skip
# "―" (U+2015) rather than "—": Excel saves CSV in CP932, which has only the former.
KIND_NAMES = {domain.ACTUAL: "実績", domain.INTERIM: "状況", domain.PENDING: "今後調査", domain.NONE: "―"}
FIELD_COLUMN = {"value": "value", "as_of": "as_of", "breakdown": "breakdown", "kind": "kind", "fy": "fy"}
TRUE_WORDS = ("1", "○", "〇", "true", "yes", "はい", "約", "y")


def _visible(staff: roles.Staff, plan: Plan, department: str | None):
    rows = Indicator.objects.filter(plan=plan).select_related("department").order_by("order")
    if staff.role == roles.EDITOR:
        department = staff.department
    if department:
        rows = rows.filter(department__code=department)
    return rows


def template_rows(*, user, plan_code: str, fy: int, department: str | None = None) -> list[list[object]]:
    """The template's rows: each indicator of the department with its figure for ``fy`` as it stands."""
    staff = staff_of(user)
    if staff.role == roles.VIEWER:
        raise NotAllowed(f"{staff.username} (viewer) may not enter figures")
    plan = Plan.objects.get(code=plan_code)
    indicators = list(_visible(staff, plan, department))
    approved = {o.indicator_id: o for o in Observation.objects.filter(indicator__in=indicators, fy=fy)}
    working = {e.indicator_id: e for e in Entry.objects.filter(indicator__in=indicators, fy=fy)}
    rows = []
    for ind in indicators:
        current = working.get(ind.pk) or approved.get(ind.pk)
        revision = working[ind.pk].revision if ind.pk in working else 0
        rows.append([
            ind.code, ind.name, ind.unit, fy,
            KIND_NAMES[current.kind] if current else "",
            "" if current is None or current.value is None else format(current.value.normalize(), "f"),
            current.as_of.isoformat() if current and current.as_of else "",
            "○" if current and current.approximate else "",
            format_breakdown(stored_breakdown(current.breakdown)) if current else "",
            current.note if current else "",
            getattr(current, "data_source", "") if current else "",
            "", revision,
        ])  # fmt: skip
    return rows


@dataclass
class RowResult:
    number: int
    indicator: str = ""
    fy: int | None = None
    old: object = None  # the Entry or Observation it replaces
    new: entries.Figure | None = None
    revision: int = 0
    reason: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, message)
    warnings: list[str] = field(default_factory=list)
    unchanged: bool = False
    row: Indicator | None = None


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
    staff = staff_of(user)
    if staff.role == roles.VIEWER:
        raise NotAllowed(f"{staff.username} (viewer) may not enter figures")
    BulkUpload.objects.filter(created_at__lt=timezone.now() - timezone.timedelta(days=1)).delete()
    return BulkUpload.objects.create(
        user=user, plan=Plan.objects.get(code=plan_code), filename=filename[:200], content=content
    )


def preview(*, user, upload: BulkUpload, lang: str = "ja") -> Preview:
    """Every row of the upload, read and checked as if it were saved, without saving anything."""
    staff = staff_of(user)
    try:
        rows = entry_sheet.read_rows(bytes(upload.content), name=upload.filename)
    except MachiplanError as exc:
        return Preview(rows=[], file_error=str(exc))
    plan = upload.plan
    by_code = {i.code: i for i in Indicator.objects.filter(plan=plan).select_related("plan", "department")}
    results, seen = [], {}
    for row in rows:
        result = _read_row(row, by_code, staff, lang)
        key = (result.indicator, result.fy)
        if not result.errors and key in seen:
            result.errors.append((entry_sheet.HEADER_OF["indicator"], _t(lang, "duplicate", row=seen[key])))
        seen.setdefault(key, row.number)
        results.append(result)
    return Preview(rows=results)


def _read_row(
    row: entry_sheet.Row, by_code: dict[str, Indicator], staff: roles.Staff, lang: str
) -> RowResult:
    cells = row.cells
    result = RowResult(number=row.number, indicator=cells.get("indicator", ""))
    col = entry_sheet.HEADER_OF

    def error(key: str, message: str) -> None:
        result.errors.append((col[key], message))

    ind = by_code.get(result.indicator)
    if ind is None:
        error("indicator", _t(lang, "no_indicator", code=result.indicator or "（空欄）"))
        return result
    result.row = ind
    if not roles.can_enter(staff, ind.department.code if ind.department else None):
        error("indicator", _t(lang, "not_yours", code=ind.code))
        return result
    try:
        result.fy = parse_fiscal_year(cells.get("fy", ""))
    except MachiplanError:
        error("fy", _t(lang, "bad_fy", text=cells.get("fy", "")))
        return result
    kind_text, value_text = cells.get("kind", ""), cells.get("value", "")
    if not kind_text and not value_text:
        result.unchanged = True  # a row left blank: nothing to enter for it
        return result
    kind = KIND_WORDS.get(kind_text.casefold()) if kind_text else domain.ACTUAL
    if kind is None:
        error("kind", _t(lang, "bad_kind", text=kind_text))
    value = as_of = None
    breakdown: tuple = ()
    try:
        value = parse_number(value_text) if value_text else None
    except MachiplanError:
        error("value", _t(lang, "bad_number", text=value_text))
    try:
        as_of = parse_date(cells["as_of"]) if cells.get("as_of") else None
    except MachiplanError:
        error("as_of", _t(lang, "bad_date", text=cells.get("as_of", "")))
    try:
        breakdown = parse_breakdown(cells.get("breakdown", ""))
    except MachiplanError:
        error("breakdown", _t(lang, "bad_breakdown", text=cells.get("breakdown", "")))
    try:
        result.revision = int(cells.get("revision") or 0)
    except ValueError:
        error("revision", _t(lang, "bad_revision"))
    if result.errors:
        return result
    figure = entries.Figure(
        kind=kind, value=value, as_of=as_of, approximate=cells.get("approximate", "").casefold() in TRUE_WORDS,
        breakdown=breakdown, note=cells.get("note", ""), data_source=cells.get("data_source", ""),
    )  # fmt: skip
    result.new, result.reason = figure, cells.get("reason", "")
    entry = Entry.objects.filter(indicator=ind, fy=result.fy).first()
    result.old = entry or Observation.objects.filter(indicator=ind, fy=result.fy).first()
    if (entry.revision if entry else 0) != result.revision:
        error(
            "revision",
            _t(lang, "stale", who=entry.entered_by.get_username() if entry and entry.entered_by else "?"),
        )
        return result
    if result.old is not None and _same(result.old, figure):
        result.unchanged = True
        return result
    findings = entries.check_figure(ind, result.fy, figure)
    for problem in findings.errors:
        error(FIELD_COLUMN.get(problem.field, "value"), problem.message(lang))
    result.warnings = [p.message(lang) for p in findings.warnings]
    if result.warnings and not result.reason.strip():
        error("reason", _t(lang, "reason_needed", warning=" ".join(result.warnings)))
    return result


def _same(old, new: entries.Figure) -> bool:
    old_breakdown = stored_breakdown(old.breakdown)
    return (
        old.kind == new.kind and (old.value is None) == (new.value is None)
        and (old.value is None or old.value.normalize() == new.value.normalize())
        and old.as_of == new.as_of and bool(old.approximate) == new.approximate
        and old_breakdown == tuple(new.breakdown)
        and (old.note or "") == new.note and getattr(old, "data_source", new.data_source) == new.data_source
    )  # fmt: skip


class BulkRefused(MachiplanError):
    def __init__(self, result: Preview) -> None:
        super().__init__(f"{len(result.errors)} errors in the upload: nothing was saved")
        self.preview = result


def apply(*, user, upload: BulkUpload, submit: bool = False, lang: str = "ja") -> int:
    """Save every change of the upload as a draft (and submit it, if asked) in one transaction."""
    with transaction.atomic():
        upload = BulkUpload.objects.select_for_update().get(pk=upload.pk)
        if upload.applied_at is not None:
            raise MachiplanError("this upload was already saved")
        result = preview(user=user, upload=upload, lang=lang)
        if result.errors:
            raise BulkRefused(result)
        for r in result.changes:
            entry = entries.entry_save(
                user=user, plan_code=upload.plan.code, indicator_code=r.indicator, fy=r.fy, figure=r.new,
                revision=r.revision, reason=r.reason, via="bulk",
            )  # fmt: skip
            if submit:
                entries.entry_submit(user=user, plan_code=upload.plan.code, indicator_code=r.indicator, fy=r.fy,
                                     revision=entry.revision, via="bulk")  # fmt: skip
        upload.applied_at = timezone.now()
        upload.save(update_fields=["applied_at"])
        return len(result.changes)


MESSAGES = {
    "ja": {
        "no_indicator": "指標コード {code} はこの計画にありません。",
        "not_yours": "指標 {code} はほかの部署の担当です。",
        "bad_fy": "年度「{text}」を読めません（例: 2024、R6、令和6年度）。",
        "bad_kind": "種別「{text}」を読めません（実績・状況・今後調査・— のいずれか）。",
        "bad_number": "値「{text}」は数値ではありません。",
        "bad_date": "時点「{text}」を日付として読めません（例: 2024-09-30、R6.9.30）。",
        "bad_breakdown": "内訳「{text}」を読めません（例: 認定9、仮認定5）。",
        "bad_revision": "版の欄は変更しないでください。",
        "stale": "様式のダウンロード後に {who} さんがこの値を変更しました。新しい様式で入力し直してください。",
        "reason_needed": "確認が必要です: {warning} 正しい場合は確認理由の欄に理由を書いてください。",
        "duplicate": "同じ指標・年度が {row} 行目にもあります。",
    },
    "en": {
        "no_indicator": "There is no indicator {code} in this plan.",
        "not_yours": "Indicator {code} belongs to another department.",
        "bad_fy": "Cannot read the year {text!r} (e.g. 2024, R6, 令和6年度).",
        "bad_kind": "Cannot read the kind {text!r} (実績, 状況, 今後調査 or —).",
        "bad_number": "The value {text!r} is not a number.",
        "bad_date": "Cannot read the as-of date {text!r} (e.g. 2024-09-30).",
        "bad_breakdown": "Cannot read the breakdown {text!r} (e.g. 認定9、仮認定5).",
        "bad_revision": "Leave the revision column as it was downloaded.",
        "stale": "{who} changed this figure after the template was downloaded: enter it again in a new template.",
        "reason_needed": "Needs confirming: {warning} If the figure is right, give the reason in the reason column.",
        "duplicate": "The same indicator and year are also on row {row}.",
    },
}


def _t(lang: str, key: str, **params) -> str:
    return MESSAGES[lang][key].format(**params)
