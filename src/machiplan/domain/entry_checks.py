"""The rules of a yearly figure, one definition for every way it comes in.

The web form, the bulk upload and the API call ``check_entry`` through the staff
services (``staff/services/entries.py: check_figure``); ``validation.check_plan``
calls it for every observation of a plan read from a package or a sheet. So
whatever one way refuses, every way refuses with the same message (Japanese on
the staff pages, English on the command line), and whatever one way only warns
about, every way warns about: the staff pages and the API ask for a reason,
``load`` and ``import-sheet`` print the warning.

Errors refuse the figure and name the field; warnings ask the person entering to
confirm with a reason. The rules know the indicator's unit and measure and the
figures of its other years.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from operator import attrgetter

from . import plan as domain
from .figures import MAX_SAMPLE_SIZE
from .fiscal import FIRST_FY, LAST_FY, SHOWA, format_date, fy_in_range, year_bounds
from .labels import fy_label
from .quantities import format_number

# A change is unusual when it is larger than the largest year-to-year change seen
# so far times this factor, or, with less than two changes on record, larger than
# this share of the year before's value.
CHANGE_FACTOR = Decimal("1.5")
SHARE_WITHOUT_HISTORY = Decimal("0.5")

PERCENT_UNITS = ("%", "％")
_FY = attrgetter("fy")
_VALUED = domain.VALUE_KINDS  # 実績, 状況 and 見込 carry a figure

# A plan's figures may be for the ten years before it (baselines) to the year after it
# (when its last year's actuals come in).
YEARS_BEFORE_PLAN = 10

# Numbers are kept exactly, or refused: never rounded. The database columns are
# DecimalField(max_digits=24, decimal_places=6) (plans/models.py), and SQLite keeps
# 15 significant digits of them; so a number is below 10^15 (1,000兆) in size, with at
# most 6 decimals and 15 significant digits.
MAX_DIGITS = 15
MAX_PLACES = 6

# Characters no text may hold: control characters other than tab and line breaks (the
# spreadsheet formats cannot hold them, PostgreSQL refuses NUL) and lone surrogates
# (not text at all).
_FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

MESSAGES = {
    "ja": {
        "value_required": "{kind}には値を入力してください。",
        "value_forbidden": "{kind}には値を入力しません（値を消すか、種別を実績・状況・見込にしてください）。",
        "kind_unknown": "種別「{kind}」はありません（実績・状況・見込・今後調査・— のいずれか）。",
        "state_required": "{kind}には状態（設置、策定済など）を入力してください。",
        "state_no_value": "状態で表す指標には数値を入力しません（状態の欄に書いてください）。",
        "period_unknown": "期間「{period}」はありません（年度 fy か暦年 cy）。",
        "as_of_missing": "状況（途中値）に時点の日付がありません。わかる場合は入力してください（日付がないと年度末の見込みを出しません）。",
        "as_of_outside_year": "時点 {as_of} は{year}（{start}〜{end}）の外です。",
        "percent_range": "％の値は0〜100の範囲で入力してください（入力: {value}）。",
        "number_not_finite": "数値を入力してください（NaN や無限大は使えません）。",
        "number_precision": "{value} はそのままでは保存できません（絶対値1,000兆未満、小数点以下6桁まで、有効数字15桁までの数値にしてください）。",
        "breakdown_sum": "内訳の合計 {total} が値 {value} と一致しません。",
        "breakdown_label": "内訳の各項目には名前を付けてください。",
        "text_forbidden": "制御文字（改行・タブを除く）は使えません。",
        "text_too_long": "{limit}文字以内で入力してください（{length}文字あります）。",
        "cumulative_below_previous": "累計の値 {value} が{year}の {previous} を下回っています。",
        "cumulative_above_next": "累計の値 {value} が{year}の {next} を上回っています。",
        "fy_range": "{fy}年度は扱えません（{first}〜{last}年度の範囲です）。",
        "fy_outside_plan": "{fy}は計画期間の外です。",
        "comment_required": "差戻しの理由を入力してください。",
        "unusual_change": "{year}の {previous}{unit} から {change}{change_unit} の変化は、これまでの変化の幅（±{limit}{change_unit}）を超えています。",
        "sample_size_range": "回答数は1〜100,000,000の整数で入力してください（入力: {value}）。",
        "margin_range": "誤差は0より大きい値で入力してください（％の指標は50ポイントまで。入力: {value}）。",
        "design_effect_range": "デザイン効果は0より大きく100以下で入力してください（入力: {value}）。",
        "design_effect_alone": "デザイン効果は回答数とともに入力してください。",
        "sample_without_value": "回答数・誤差は値のある実績・状況・見込にだけ入力します。",
        "sample_needs_share": "回答数から誤差を計算できるのは％の指標だけです。誤差（±）を入力してください。",
        "sample_not_survey": "この指標はアンケート指標ではないため、回答数・誤差は評価に使いません。",
    },
    "en": {
        "value_required": "Enter a value for {kind}.",
        "value_forbidden": "{kind} takes no value (clear it, or choose actual, interim or forecast).",
        "kind_unknown": "There is no kind {kind!r} (actual, interim, forecast, pending or none).",
        "state_required": "Enter the state for {kind} (established, adopted …).",
        "state_no_value": "This indicator's values are states: write the state, not a number.",
        "period_unknown": "There is no period {period!r} (fy for a fiscal year, cy for a calendar year).",
        "as_of_missing": "This interim value has no as-of date: enter the date it was counted on if known (without one, no year-end projection is made).",
        "as_of_outside_year": "The as-of date {as_of} is outside {year} ({start} to {end}).",
        "percent_range": "A percentage must be between 0 and 100 (entered: {value}).",
        "number_not_finite": "Enter a number (not NaN or infinity).",
        "number_precision": "{value} cannot be kept exactly: a number must be less than 10^15 (1,000兆) in size, with at most 6 decimals and 15 significant digits.",
        "breakdown_sum": "The breakdown adds up to {total}, not the value {value}.",
        "breakdown_label": "Each part of a breakdown needs a label.",
        "text_forbidden": "Control characters (other than tabs and line breaks) cannot be kept.",
        "text_too_long": "At most {limit} characters (this has {length}).",
        "cumulative_below_previous": "The running total {value} is below {previous} of {year}.",
        "cumulative_above_next": "The running total {value} is above {next} of {year}.",
        "fy_range": "FY{fy} is outside the years machiplan keeps ({first} to {last}).",
        "fy_outside_plan": "{fy} is outside the plan's years.",
        "comment_required": "Say why the figure goes back.",
        "unusual_change": "A change of {change}{change_unit} from {previous}{unit} in {year} is beyond this indicator's usual range (±{limit}{change_unit}).",
        "sample_size_range": "The sample size must be a whole number from 1 to 100,000,000 (entered: {value}).",
        "margin_range": "The margin of error must be more than 0 (at most 50 points for a percentage; entered: {value}).",
        "design_effect_range": "The design effect must be more than 0 and at most 100 (entered: {value}).",
        "design_effect_alone": "A design effect needs the sample size it applies to.",
        "sample_without_value": "A sample size or margin of error goes with a figure that has a value (actual, interim or forecast).",
        "sample_needs_share": "A margin of error follows from the sample size only for a percentage: enter the margin (±).",
        "sample_not_survey": "This indicator is not a survey indicator: its sample size and margin of error are not used in the evaluation.",
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
        return number_text(value)
    if isinstance(value, tuple) and value and value[0] == "fy":
        return fy_label(value[1], lang) if fy_in_range(value[1]) else f"FY{value[1]}"
    if isinstance(value, tuple) and value and value[0] == "change_unit":
        return change_unit(value[1], lang)
    if isinstance(value, tuple) and value and value[0] == "kind":
        from .labels import OBSERVATION_KIND_LABELS

        return OBSERVATION_KIND_LABELS[lang].get(value[1], str(value[1]))
    if hasattr(value, "isoformat"):
        return format_date(value) if lang == "ja" and value >= SHOWA.start else value.isoformat()
    return str(value)


def number_text(value: Decimal) -> str:
    """A number as a message shows it: '2,684', or '1e+999999' for one too long to write out."""
    if not value.is_finite():
        return str(value)
    if value.adjusted() < 20 and value.as_tuple().exponent >= -20:  # type: ignore[operator]
        return format_number(value)
    return f"{value:.6g}"


def number_fits(value: Decimal) -> bool:
    """Whether ``value`` is kept exactly: finite, below 10^15, at most 6 decimals and 15 significant digits."""
    if not value.is_finite():
        return False
    if not value:
        return True  # zero, however written
    adjusted = value.adjusted()
    if adjusted >= MAX_DIGITS:
        return False
    _, digits, exponent = value.as_tuple()
    if -exponent <= MAX_PLACES and adjusted - exponent < MAX_DIGITS:  # type: ignore[operator]
        return True  # as written, so without its trailing zeros too: most numbers
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0")) if digits[-1] == 0 else 0
    exponent += zeros  # type: ignore[operator]
    return -exponent <= MAX_PLACES and adjusted - exponent < MAX_DIGITS  # type: ignore[operator]


def number_problem(value: Decimal, field: str = "value") -> Problem | None:
    """The rule every number machiplan keeps follows (figures, breakdown parts, targets)."""
    if number_fits(value):
        return None
    return Problem(
        field, "number_not_finite" if not value.is_finite() else "number_precision", {"value": value}
    )


def value_problems(value: Decimal, unit: str | None, field: str = "value") -> list[Problem]:
    """The rules of a value in an indicator's unit: a figure's or a target's."""
    if problem := number_problem(value, field):
        return [problem]
    if unit in PERCENT_UNITS and not Decimal(0) <= value <= Decimal(100):
        return [Problem(field, "percent_range", {"value": value})]
    return []


def text_problem(text: str, field: str) -> Problem | None:
    """Text holds no control character but tab and line breaks (notes, sources, labels, names)."""
    return Problem(field, "text_forbidden") if _FORBIDDEN_CHARACTERS.search(text) else None


def length_problem(text: str, limit: int | None, field: str) -> Problem | None:
    """Text fits its column (``limit``: the column's max_length)."""
    if limit is None or len(text) <= limit:
        return None
    return Problem(field, "text_too_long", {"limit": limit, "length": len(text)})


def fy_problem(fy: int, years: tuple[int, int] | None = None, field: str = "fy") -> Problem | None:
    """A figure's year is one machiplan keeps and, for a plan (``years``: ``figure_years``), one of its own."""
    if not fy_in_range(fy):
        return Problem(field, "fy_range", {"fy": fy, "first": FIRST_FY, "last": LAST_FY})
    if years is not None and not years[0] <= fy <= years[1]:
        return Problem(field, "fy_outside_plan", {"fy": ("fy", fy)})
    return None


def figure_years(start_fy: int, end_fy: int) -> tuple[int, int]:
    """The years a plan's figures may be for: ten years before it to the year after it."""
    return max(FIRST_FY, start_fy - YEARS_BEFORE_PLAN), min(LAST_FY, end_fy + 1)


class FigureHistory(list[domain.Observation]):
    """The figures an entered one is compared with, by year (``figure_history``; not to be
    changed), with the yearly changes between their actual values worked out once: ``check_plan``
    asks for the usual change of every year of a series."""

    __slots__ = ("_actuals", "_largest_before", "_largest_from", "_places")

    def usual_change_without(self, fy: int, previous: domain.Observation) -> Decimal | None:
        """``usual_change`` as these figures but those of year ``fy`` have it (a figure is not
        compared with itself).

        Asked once for every figure of a package (a million), it looks up what it needs rather than
        making the list of changes without the year each time: the largest change before and from each
        place is worked out with the history's changes, and the largest of the changes left is the
        largest of those and of the one across the year. ``max`` would give the first of equal changes:
        so do these, though ``normalize`` makes equal changes the same limit whatever their exponents."""
        # worked out on the first question: a history made only to find the year before is never asked
        if not hasattr(self, "_places"):
            self._work_out_changes()
        actuals, before, after = self._actuals, self._largest_before, self._largest_from
        count = len(before) - 1  # the number of changes
        place = self._places.get(fy)
        if place is None:
            return _usual_change(count, before[count], previous)
        first, last = place  # the year's actuals are next to each other: sorted by year
        kept_before = max(first - 1, 0)  # changes[:kept_before] do not touch the year
        largest = before[kept_before]
        kept = kept_before
        if first > 0 and last + 1 < len(actuals):
            across = _change(actuals[first - 1], actuals[last + 1])
            kept += 1
            if largest is None or across > largest:
                largest = across
        if last + 1 < count:  # changes[last + 1:] do not touch the year either
            kept += count - last - 1
            later = after[last + 1]
            if largest is None or later > largest:
                largest = later
        return _usual_change(kept, largest, previous)

    def _work_out_changes(self) -> None:
        """The actual figures, where each year's are among them, and the largest change before each
        place (``_largest_before[i]``: of the first ``i`` changes) and from each (``_largest_from[i]``)."""
        self._actuals = actuals = [o for o in self if o.kind == domain.ACTUAL]
        changes = [_change(a, b) for a, b in pairwise(actuals)]
        places: dict[int, tuple[int, int]] = {}
        for k, o in enumerate(actuals):
            places[o.fy] = (places[o.fy][0] if o.fy in places else k, k)
        before: list[Decimal | None] = [None]
        for change in changes:
            largest = before[-1]
            before.append(change if largest is None or change > largest else largest)
        after: list[Decimal | None] = [None] * (len(changes) + 1)
        for k in range(len(changes) - 1, -1, -1):
            largest = after[k + 1]
            after[k] = changes[k] if largest is None or changes[k] >= largest else largest
        self._places, self._largest_before, self._largest_from = places, before, after


def figure_history(observations: Iterable[domain.Observation]) -> FigureHistory:
    """The figures an entered one is compared with, by year: those with a value that can be compared."""
    return FigureHistory(sorted(
        (o for o in observations if o.kind in _VALUED and o.value is not None and o.value.is_finite()
         and fy_in_range(o.fy)),
        key=_FY,
    ))  # fmt: skip


def check_entry(
    indicator: domain.Indicator,
    entry: domain.Observation,
    others: Iterable[domain.Observation] = (),
    *,
    years: tuple[int, int] | None = None,
    history: FigureHistory | None = None,
) -> Findings:
    """Errors and warnings for ``entry``; ``others`` are the indicator's figures of the other years,
    ``years`` the plan's years for figures (``figure_years``), when known. A caller checking every
    figure of an indicator passes ``history=figure_history(its figures)``, computed once."""
    fy = entry.fy
    if problem := fy_problem(fy, years):
        return Findings((problem,))  # the other messages name the year
    errors: list[Problem] = []
    warnings: list[Problem] = []
    kind = entry.kind
    if kind not in domain.OBSERVATION_KINDS:
        errors.append(Problem("kind", "kind_unknown", {"kind": kind}))
    if entry.period not in domain.PERIODS:
        errors.append(Problem("period", "period_unknown", {"period": entry.period}))
    has_value = kind in _VALUED
    value = entry.value
    if indicator.value_type == domain.STATE:  # a milestone: its figure is a state in words
        if value is not None:
            errors.append(Problem("value", "state_no_value"))
        if has_value and not entry.text.strip():
            errors.append(Problem("text", "state_required", {"kind": ("kind", kind)}))
        value = None
    elif has_value and value is None:
        errors.append(Problem("value", "value_required", {"kind": ("kind", kind)}))
    if not has_value and value is not None:
        errors.append(Problem("value", "value_forbidden", {"kind": ("kind", kind)}))
    if value is not None and (found := value_problems(value, indicator.unit)):
        errors.extend(found)
        value = None  # nothing more to compare it with
    if kind == domain.INTERIM and entry.as_of is None:
        warnings.append(Problem("as_of", "as_of_missing"))
    if entry.as_of is not None and entry.period in domain.PERIODS:
        start, end = year_bounds(fy, entry.period)
        if not start <= entry.as_of <= end:
            errors.append(
                Problem(
                    "as_of",
                    "as_of_outside_year",
                    {"as_of": entry.as_of, "year": ("fy", fy), "start": start, "end": end},
                )
            )
    for name in ("text", "series"):
        if getattr(entry, name) and (problem := text_problem(getattr(entry, name), name)):
            errors.append(problem)
    if entry.breakdown:
        errors.extend(_breakdown_problems(entry.breakdown, value if has_value else None))
    if entry.note and (problem := text_problem(entry.note, "note")):
        errors.append(problem)
    sample_errors, sample_warnings = sample_problems(
        indicator, entry, has_value=value is not None and has_value
    )
    errors.extend(sample_errors)
    warnings.extend(sample_warnings)
    if value is None or not has_value:
        return Findings(tuple(errors), tuple(warnings))
    if history is None:
        history = figure_history(others)
    previous, following = neighbours(history, fy)
    if indicator.measure == domain.CUMULATIVE:
        if previous and value < previous.value:
            errors.append(Problem("value", "cumulative_below_previous",
                                  {"value": value, "previous": previous.value, "year": ("fy", previous.fy)}))  # fmt: skip
        if following and following.kind == domain.ACTUAL and value > following.value:
            errors.append(Problem("value", "cumulative_above_next",
                                  {"value": value, "next": following.value, "year": ("fy", following.fy)}))  # fmt: skip
    if previous and kind == domain.ACTUAL and not errors:
        limit = history.usual_change_without(fy, previous)
        change = value - previous.value
        if limit is not None and abs(change) > limit:
            warnings.append(Problem("value", "unusual_change", {
                "change": _signed(change), "previous": previous.value, "year": ("fy", previous.fy), "limit": limit,
                "unit": indicator.unit or "", "change_unit": ("change_unit", indicator.unit),
            }))  # fmt: skip
    return Findings(tuple(errors), tuple(warnings))


def neighbours(
    history: list[domain.Observation], fy: int
) -> tuple[domain.Observation | None, domain.Observation | None]:
    """The figures a year's figure is compared with (``history``: ``figure_history``): the nearest
    earlier one — "the year before", as every message and page calls it — and the nearest later one."""
    previous = following = None
    for o in history:
        if o.fy < fy:
            previous = o
        elif o.fy > fy:
            following = o
            break
    return previous, following


@dataclass(frozen=True, slots=True)
class UsualRange:
    """What ``check_entry`` takes as usual for an actual value of a year: the figure of the year before
    (the nearest earlier one of the same series) and the change from it that needs no confirmation."""

    previous: domain.Observation
    limit: Decimal | None  # None: any value goes without a warning
    low: Decimal | None = None  # the usual values, as far as the rules bound them
    high: Decimal | None = None


def usual_range(
    indicator: domain.Indicator, fy: int, others: Iterable[domain.Observation]
) -> UsualRange | None:
    """The year before's figure and the range of actual values ``check_entry`` will not warn about
    (nor refuse: a running total never goes below the year before, a % stays within 0–100); None when
    there is no earlier figure to compare with, or the indicator's values are states."""
    if indicator.value_type == domain.STATE:
        return None
    history = figure_history(others)
    previous, _ = neighbours(history, fy)
    if previous is None:
        return None
    limit = history.usual_change_without(fy, previous)
    if limit is None:
        return UsualRange(previous, None)
    low, high = previous.value - limit, previous.value + limit
    if indicator.measure == domain.CUMULATIVE:
        low = max(low, previous.value)
    if indicator.unit in PERCENT_UNITS:
        low, high = max(low, Decimal(0)), min(high, Decimal(100))
    return UsualRange(previous, limit, low, high)


def change_from(previous: domain.Observation | None, value: Decimal | None) -> Decimal | None:
    """How much ``value`` differs from the year before's figure (None when either has no number)."""
    if previous is None or previous.value is None or value is None:
        return None
    return value - previous.value


POINTS = {"ja": "ポイント", "en": " points"}


def change_unit(unit: str | None, lang: str = "ja") -> str:
    """The unit a change of a value is written in: a share's (%) in points (ポイント), any other's in
    the value's own unit."""
    return POINTS[lang] if unit in PERCENT_UNITS else (unit or "")


def signed_number(value: Decimal) -> str:
    """A change as the messages write it: '+61.7', '-3', '0'."""
    return _signed(value)


MAX_MARGIN_POINTS = Decimal(50)
MAX_DESIGN_EFFECT = Decimal(100)


def sample_problems(
    indicator: domain.Indicator, figure: domain.Observation | domain.Baseline, *, has_value: bool
) -> tuple[list[Problem], list[Problem]]:
    """The rules of a survey's own error (回答数, 誤差, デザイン効果) on a figure or a baseline:
    errors, then warnings."""
    n, margin, deff = figure.sample_size, figure.margin, figure.design_effect
    if n is None and margin is None and deff is None:
        return [], []
    errors: list[Problem] = []
    if not has_value:
        return [Problem("sample_size" if n is not None else "margin", "sample_without_value")], []
    if n is not None and (isinstance(n, bool) or not 1 <= n <= MAX_SAMPLE_SIZE):
        errors.append(Problem("sample_size", "sample_size_range", {"value": n}))
    if margin is not None:
        percent = indicator.unit in PERCENT_UNITS
        if (problem := number_problem(margin, "margin")) is not None:
            errors.append(problem)
        elif not (margin > 0 and (not percent or margin <= MAX_MARGIN_POINTS)):
            errors.append(Problem("margin", "margin_range", {"value": margin}))
    if deff is not None:
        if (problem := number_problem(deff, "design_effect")) is not None:
            errors.append(problem)
        elif not 0 < deff <= MAX_DESIGN_EFFECT:
            errors.append(Problem("design_effect", "design_effect_range", {"value": deff}))
        elif n is None:
            errors.append(Problem("design_effect", "design_effect_alone"))
    if n is not None and margin is None and indicator.unit not in PERCENT_UNITS:
        errors.append(Problem("margin", "sample_needs_share"))
    if errors:
        return errors[:1], []
    warnings = (
        []
        if indicator.survey
        else [Problem("sample_size" if n is not None else "margin", "sample_not_survey")]
    )
    return [], warnings


def _breakdown_problems(parts: Iterable[tuple[str, Decimal]], value: Decimal | None) -> list[Problem]:
    errors: list[Problem] = []
    for label, number in parts:
        if not label.strip():
            errors.append(Problem("breakdown", "breakdown_label"))
        elif problem := text_problem(label, "breakdown"):
            errors.append(problem)
        if problem := number_problem(number, "breakdown"):
            errors.append(problem)
        if errors:
            return errors[:1]
    if parts and value is not None:
        total = sum((v for _, v in parts), Decimal(0))
        if total != value:
            errors.append(Problem("breakdown", "breakdown_sum", {"total": total, "value": value}))
    return errors


def _change(a: domain.Observation, b: domain.Observation) -> Decimal:
    """The change a year from actual ``a`` to the next actual ``b``."""
    return abs(b.value - a.value) / (b.fy - a.fy)  # type: ignore[operator]


def usual_change(changes: list[Decimal], previous: domain.Observation) -> Decimal | None:
    """The largest change from ``previous`` that needs no confirmation, or None when anything goes;
    ``changes``: the yearly changes between the actual values on record, one after the other."""
    return _usual_change(len(changes), max(changes, default=None), previous)


def _usual_change(count: int, largest: Decimal | None, previous: domain.Observation) -> Decimal | None:
    """``usual_change`` of ``count`` changes, the largest of them ``largest``."""
    if count >= 2:
        return (largest * CHANGE_FACTOR).normalize()  # type: ignore[operator]
    if previous.value:
        return (abs(previous.value) * SHARE_WITHOUT_HISTORY).normalize()
    return None


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + format_number(value)
