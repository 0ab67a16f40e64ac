"""Checks on a yearly figure that staff enter, before it is saved.

Errors refuse the save and name the field; warnings ask the person entering to
confirm with a reason. The rules know the indicator's unit and measure and the
figures of its other years; they are the same for the web form, the bulk upload
and the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from . import plan as domain
from .fiscal import fiscal_year_bounds, format_date
from .labels import fy_label
from .quantities import format_number

# A change is unusual when it is larger than the largest year-to-year change seen
# so far times this factor, or, with less than two changes on record, larger than
# this share of the year before's value.
CHANGE_FACTOR = Decimal("1.5")
SHARE_WITHOUT_HISTORY = Decimal("0.5")

PERCENT_UNITS = ("%", "％")

MESSAGES = {
    "ja": {
        "value_required": "{kind}には値を入力してください。",
        "value_forbidden": "{kind}には値を入力しません（値を消すか、種別を実績・状況にしてください）。",
        "as_of_required": "状況（途中値）には時点の日付を入力してください。",
        "as_of_outside_year": "時点 {as_of} は{year}（{start}〜{end}）の外です。",
        "percent_range": "％の値は0〜100の範囲で入力してください（入力: {value}）。",
        "breakdown_sum": "内訳の合計 {total} が値 {value} と一致しません。",
        "cumulative_below_previous": "累計の値 {value} が{year}の {previous} を下回っています。",
        "cumulative_above_next": "累計の値 {value} が{year}の {next} を上回っています。",
        "fy_outside_plan": "{fy}は計画期間の外です。",
        "comment_required": "差戻しの理由を入力してください。",
        "unusual_change": "{year}の {previous} から {change} の変化は、これまでの変化の幅（±{limit}）を超えています。",
    },
    "en": {
        "value_required": "Enter a value for {kind}.",
        "value_forbidden": "{kind} takes no value (clear it, or choose actual or interim).",
        "as_of_required": "An interim value needs the date it was counted on.",
        "as_of_outside_year": "The as-of date {as_of} is outside {year} ({start} to {end}).",
        "percent_range": "A percentage must be between 0 and 100 (entered: {value}).",
        "breakdown_sum": "The breakdown adds up to {total}, not the value {value}.",
        "cumulative_below_previous": "The running total {value} is below {previous} of {year}.",
        "cumulative_above_next": "The running total {value} is above {next} of {year}.",
        "fy_outside_plan": "{fy} is outside the plan's years.",
        "comment_required": "Say why the figure goes back.",
        "unusual_change": "A change of {change} from {previous} in {year} is beyond this indicator's usual range (±{limit}).",
    },
}


@dataclass(frozen=True, slots=True)
class Problem:
    field: str  # the form field it belongs to: value, as_of, breakdown, kind
    code: str
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str = "ja") -> str:
        return MESSAGES[lang][self.code].format(**{k: _text(v, lang) for k, v in self.params.items()})


@dataclass(frozen=True, slots=True)
class Findings:
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()


def _text(value: object, lang: str) -> str:
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, tuple) and value and value[0] == "fy":
        return fy_label(value[1], lang)
    if isinstance(value, tuple) and value and value[0] == "kind":
        from .labels import OBSERVATION_KIND_LABELS

        return OBSERVATION_KIND_LABELS[lang][value[1]]
    if hasattr(value, "isoformat"):
        return format_date(value) if lang == "ja" else value.isoformat()
    return str(value)


def check_entry(
    indicator: domain.Indicator, entry: domain.Observation, others: Iterable[domain.Observation] = ()
) -> Findings:
    """Errors and warnings for ``entry``; ``others`` are the indicator's figures of the other years."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    has_value = entry.kind in (domain.ACTUAL, domain.INTERIM)
    kind = ("kind", entry.kind)
    if has_value and entry.value is None:
        errors.append(Problem("value", "value_required", {"kind": kind}))
    if not has_value and entry.value is not None:
        errors.append(Problem("value", "value_forbidden", {"kind": kind}))
    if entry.kind == domain.INTERIM and entry.as_of is None:
        errors.append(Problem("as_of", "as_of_required"))
    if entry.as_of is not None:
        start, end = fiscal_year_bounds(entry.fy)
        if not start <= entry.as_of <= end:
            errors.append(
                Problem(
                    "as_of",
                    "as_of_outside_year",
                    {"as_of": entry.as_of, "year": ("fy", entry.fy), "start": start, "end": end},
                )
            )
    value = entry.value
    if value is None or not has_value:
        return Findings(tuple(errors), tuple(warnings))
    if indicator.unit in PERCENT_UNITS and not Decimal(0) <= value <= Decimal(100):
        errors.append(Problem("value", "percent_range", {"value": value}))
    if entry.breakdown:
        total = sum((v for _, v in entry.breakdown), Decimal(0))
        if total != value:
            errors.append(Problem("breakdown", "breakdown_sum", {"total": total, "value": value}))
    history = sorted(
        (o for o in others if o.fy != entry.fy and o.value is not None and o.kind in (domain.ACTUAL, domain.INTERIM)),
        key=lambda o: o.fy,
    )  # fmt: skip
    before = [o for o in history if o.fy < entry.fy]
    after = [o for o in history if o.fy > entry.fy]
    if indicator.measure == domain.CUMULATIVE:
        if before and value < before[-1].value:
            errors.append(Problem("value", "cumulative_below_previous",
                                  {"value": value, "previous": before[-1].value, "year": ("fy", before[-1].fy)}))  # fmt: skip
        if after and after[0].kind == domain.ACTUAL and value > after[0].value:
            errors.append(Problem("value", "cumulative_above_next",
                                  {"value": value, "next": after[0].value, "year": ("fy", after[0].fy)}))  # fmt: skip
    if before and entry.kind == domain.ACTUAL and not errors:
        limit = usual_change(history, before[-1])
        change = value - before[-1].value
        if limit is not None and abs(change) > limit:
            warnings.append(Problem("value", "unusual_change", {
                "change": _signed(change), "previous": before[-1].value, "year": ("fy", before[-1].fy), "limit": limit,
            }))  # fmt: skip
    return Findings(tuple(errors), tuple(warnings))


def usual_change(history: list[domain.Observation], previous: domain.Observation) -> Decimal | None:
    """The largest change from ``previous`` that needs no confirmation, or None when anything goes."""
    actuals = [o for o in history if o.kind == domain.ACTUAL]
    changes = [abs(b.value - a.value) / (b.fy - a.fy) for a, b in pairwise(actuals)]
    if len(changes) >= 2:
        return (max(changes) * CHANGE_FACTOR).normalize()
    if previous.value:
        return (abs(previous.value) * SHARE_WITHOUT_HISTORY).normalize()
    return None


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + format_number(value)
