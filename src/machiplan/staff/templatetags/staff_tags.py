"""Template filters for the staff pages: states, roles, figures and audit values in words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from machiplan.domain import plan as domain
from machiplan.domain.labels import fy_label
from machiplan.reports.model import observation_text
from machiplan.web.templatetags.web_tags import paren

from ..text import TEXT

register = template.Library()
register.filter("paren", paren)  # （…） on a Japanese page, (…) on an English one: the public pages' filter


@register.filter
def fy_western(fy: int, lang: str = "ja") -> str:
    return fy_label(int(fy), lang, western=True)


@register.filter
def state_label(state: str, lang: str = "ja") -> str:
    return TEXT[lang].get("submitted" if state == "submitted" else state, state)


@register.filter
def action_label(action: str, lang: str = "ja") -> str:
    return TEXT[lang].get(f"{action}_action", TEXT[lang].get(action, action))


@register.filter
def role_label(role: str | None, lang: str = "ja") -> str:
    return TEXT[lang].get(f"role_{role}", role or "")


@register.filter
def series_label(series: str, lang: str = "ja") -> str:
    """A series by name; the indicator's own figures ('') as such."""
    return series or TEXT[lang]["own_series"]


def _indicator(row) -> domain.Indicator:
    return domain.Indicator(code=row.code, name=row.name, unit=row.unit or None)


@register.simple_tag
def figure(obj, row, lang: str = "ja") -> str:
    """An Entry, an Observation or an audit snapshot, written as the sheet would print it."""
    if obj is None:
        return "—"
    if isinstance(obj, dict):
        if "kind" not in obj:
            return ", ".join(f"{k}: {v}" for k, v in obj.items())
        obj = _from_snapshot(obj)
    obs = domain.Observation(
        fy=0, kind=obj.kind, value=None if obj.value is None else Decimal(str(obj.value)).normalize(),
        as_of=obj.as_of, approximate=obj.approximate, text=obj.text or "",
        breakdown=tuple((label, Decimal(str(v))) for label, v in obj.breakdown),
    )  # fmt: skip
    if obj.period == domain.CALENDAR_YEAR:
        return observation_text(obs, _indicator(row), lang) + (
            "（暦年）" if lang == "ja" else " (calendar year)"
        )
    return observation_text(obs, _indicator(row), lang)


class _Snapshot:
    def __init__(self, data: dict) -> None:
        self.kind = data.get("kind", "none")
        self.value = data.get("value")
        self.as_of = dt.date.fromisoformat(data["as_of"]) if data.get("as_of") else None
        self.approximate = bool(data.get("approximate"))
        self.breakdown = data.get("breakdown") or []
        self.text = data.get("text") or ""
        self.period = data.get("period") or domain.FISCAL_YEAR


def _from_snapshot(data: dict) -> _Snapshot:
    return _Snapshot(data)


@register.filter
def load_summary(data: dict, lang: str = "ja") -> str:
    """What a plan load brought in, in words."""
    if lang == "ja":
        text = f"実績等 {data.get('observations', 0):,}件・目標値 {data.get('targets', 0):,}件"
        return text + ("（計画を置き換え）" if data.get("replaced") else "")
    text = f"{data.get('observations', 0):,} figures, {data.get('targets', 0):,} targets"
    return text + (" (plan replaced)" if data.get("replaced") else "")


@register.simple_tag
def judged(evaluation, indicator, lang: str = "ja", plan=None) -> str:
    """The one-sentence explanation the public page gives; with the ``plan``, its statuses in the
    plan's words (a city's own bands), and a disagreement with the city's rating naming the city's
    scale (進捗状況), not its key."""
    from machiplan.domain.evaluation import plan_scale
    from machiplan.domain.explain import explain

    if plan is None:
        return explain(evaluation, indicator, lang)
    return explain(evaluation, indicator, lang, plan.rating_scales_by_key, plan_scale(plan))


@register.simple_tag
def status_text(status: str, lang: str = "ja", scale=None) -> str:
    """A status in words: from ``scale``, the plan's statuses (``Outlook.scale``), where a city's own
    bands carry their own."""
    from machiplan.domain.labels import status_label

    return status_label(status, lang, scale or None)


# --- numbers in the indicator's unit: the entry form's range, the review queue's changes -----------


def _decimal(value) -> Decimal:
    return Decimal(str(value)).normalize()


@register.simple_tag
def amount(value, row) -> str:
    """A number in the indicator's unit, as the sheet writes it: '2,684団体', '71.1%'."""
    from machiplan.domain.quantities import format_value

    return "—" if value is None else format_value(_decimal(value), row.unit or None)


@register.simple_tag
def change(value, row, lang: str = "ja") -> str:
    """A change from the year before, signed, in the unit a change is written in (a share's in points)."""
    from machiplan.domain.entry_checks import change_unit, signed_number

    return "—" if value is None else signed_number(_decimal(value)) + change_unit(row.unit or None, lang)


@register.simple_tag
def usual_help(usual, row, lang: str = "ja") -> str:
    """What the usual range means: a change beyond ±limit asks for a reason (domain/entry_checks.py)."""
    from machiplan.domain.entry_checks import change_unit
    from machiplan.domain.quantities import format_number

    limit = format_number(_decimal(usual.limit)) + change_unit(row.unit or None, lang)
    return TEXT[lang]["usual_range_help"].format(limit=limit)


@register.filter
def warning_text(warning: dict, lang: str = "ja") -> str:
    """A confirmed warning as it was shown, in the page's language."""
    return warning.get(lang) or warning.get("ja") or warning.get("code", "")


@register.simple_tag
def run_status(run, stalled, lang: str = "ja") -> str:
    """A generation's state in words: queued, running, done, failed — or stopped, when under way in the
    database but silent for too long (``stalled``: a flag, or the set of such runs' ids)."""
    if stalled is True or (not isinstance(stalled, bool) and stalled and run.pk in stalled):
        return TEXT[lang]["run_stalled"]
    return TEXT[lang][f"run_{run.state}"]


@register.simple_tag
def t_format(t: dict, key: str, **values) -> str:
    """A wording with its blanks filled: {% t_format t "version_n" n=3 %}."""
    return t[key].format(**values)


@register.simple_tag
def run_progress(run, stalled: bool, lang: str = "ja") -> str:
    """What a generation is doing, in words: '作成中：PDFを作成しています'."""
    said = run_status(run, stalled, lang)
    if run.state in ("queued", "running") and run.step and not stalled:
        step = TEXT[lang].get(f"step_{run.step}", run.step)
        said += f"：{step}" if lang == "ja" else f": {step}"
    return said
