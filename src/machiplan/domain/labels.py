"""Words a reader sees, in Japanese (first) and English: statuses, horizons, kinds, years."""

from __future__ import annotations

import datetime as dt

from .fiscal import format_date, format_fiscal_year

LANGUAGES = ("ja", "en")

STATUS_LABELS = {
    "ja": {
        "achieved": "達成",
        "on_track": "順調",
        "roughly_on_track": "概ね順調",
        "behind": "遅れ",
        "regressing": "後退",
        "missed": "未達成",
        "no_data": "評価不能",
        "no_target": "目標なし",
    },
    "en": {
        "achieved": "Achieved",
        "on_track": "On track",
        "roughly_on_track": "Roughly on track",
        "behind": "Behind",
        "regressing": "Regressing",
        "missed": "Missed",
        "no_data": "No data",
        "no_target": "No target",
    },
}

HORIZON_LABELS = {
    "ja": {"plan": "計画目標", "action_plan": "アクションプラン", "vision": "戦略ビジョン"},
    "en": {"plan": "Plan target", "action_plan": "Action plan", "vision": "Strategic vision"},
}

OBSERVATION_KIND_LABELS = {
    "ja": {"actual": "実績", "interim": "状況", "forecast": "見込", "pending": "今後調査", "none": "—"},
    "en": {
        "actual": "Actual",
        "interim": "So far",
        "forecast": "Forecast",
        "pending": "To be surveyed",
        "none": "—",
    },
}

# A target's kind: the horizon's final target, or a waypoint on the way to it
TARGET_KIND_LABELS = {
    "ja": {"final": "最終目標", "midterm": "中間目標", "annual": "年度目標"},
    "en": {"final": "Final target", "midterm": "Mid-term target", "annual": "Yearly target"},
}

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")  # fmt: skip

NARRATIVE_KIND_LABELS = {
    "ja": {
        "results": "取組結果",
        "plan": "取組計画",
        "future": "今後に向けて",
        "issues": "課題",
        "effects": "効果発現要因",
        "direction": "施策の方向性",
    },
    "en": {
        "results": "Results",
        "plan": "Plans",
        "future": "Looking ahead",
        "issues": "Issues",
        "effects": "What made the difference",
        "direction": "Direction",
    },
}


def status_label(status: str, lang: str = "ja", scale=None) -> str:
    """A status in words: from the evaluation's ``scale`` (domain/methods.py) when given — a city's own
    bands carry their own words — else from the built-in methods' statuses, else its code."""
    if scale is not None:
        found = next((s for s in scale if s.code == status), None)
        if found is not None:
            return found.label(lang)
    if status in STATUS_LABELS[lang]:
        return STATUS_LABELS[lang][status]
    from .methods import BUILT_IN_STATUSES

    found = BUILT_IN_STATUSES.get(status)
    return found.label(lang) if found is not None else status


def horizon_label(horizon: str, lang: str = "ja", *, fallback: str | None = None) -> str:
    return HORIZON_LABELS[lang].get(horizon, fallback or horizon)


def kind_label(kind: str, lang: str = "ja") -> str:
    """A figure's kind in words for a table's cell: 実績, 状況, 見込, 今後調査, and 値なし (No value)
    where the sheet's '—' would say nothing."""
    if kind == "none":
        return "値なし" if lang == "ja" else "No value"
    return OBSERVATION_KIND_LABELS[lang].get(kind, kind)


def target_kind_label(kind: str, lang: str = "ja") -> str:
    return TARGET_KIND_LABELS[lang].get(kind, kind)


def date_label(day: dt.date, lang: str = "ja") -> str:
    """A date as a reader of the language writes it: 令和8年11月30日 (in 和暦, domain/fiscal.py's eras)
    in Japanese, 30 November 2026 in English."""
    if lang == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return format_date(day)


def fy_label(fy: int, lang: str = "ja", *, western: bool = False) -> str:
    """平成28年度 / 平成28年度 (2016) in Japanese; FY2016 in English."""
    if lang == "en":
        return f"FY{fy}"
    return format_fiscal_year(fy, western=western)
