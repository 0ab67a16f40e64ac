"""Words a reader sees, in Japanese (first) and English: statuses, horizons, kinds, years."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

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


PROGRESS_WORSE = {"ja": "基準値より悪化", "en": "worse than the baseline", "easy": "はじめより わるい"}


def progress_label(progress: float | None, lang: str = "ja") -> str:
    """A progress rate as a reader sees it: a whole percentage (past 100 % as it is), '—' without one,
    and below zero no percentage (−283 % says nothing a reader can use): worse than the baseline,
    which the change beside it gives in points or in the unit."""
    if progress is None:
        return "—"
    if progress < 0:
        return PROGRESS_WORSE.get(lang, PROGRESS_WORSE["ja"])
    return f"{progress * 100:.0f}%"


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
    return _japanese_fy(fy, western)


@functools.lru_cache(maxsize=None, typed=True)  # typed: 2017.0 is not written as 2017 is
def _japanese_fy(fy: int, western: bool) -> str:
    """``format_fiscal_year`` once per year: an explanation names three or four years, and a plan of
    100,000 indicators would find the era of the same few years half a million times."""
    return format_fiscal_year(fy, western=western)


# --- units and amounts in English -----------------------------------------------------------

# A unit as the city writes it, in English: (singular, plural); a symbol stays as it is.
UNITS_EN: dict[str, tuple[str, str]] = {
    "団体": ("group", "groups"),
    "件": ("case", "cases"),
    "人": ("person", "people"),
    "名": ("person", "people"),
    "社": ("company", "companies"),
    "事業所": ("business", "businesses"),
    "世帯": ("household", "households"),
    "組": ("couple", "couples"),
    "回": ("time", "times"),
    "日": ("day", "days"),
    "年": ("year", "years"),
    "か月": ("month", "months"),
    "カ月": ("month", "months"),
    "箇所": ("place", "places"),
    "か所": ("place", "places"),
    "カ所": ("place", "places"),
    "ヵ所": ("place", "places"),
    "施設": ("facility", "facilities"),
    "校": ("school", "schools"),
    "園": ("nursery", "nurseries"),
    "冊": ("book", "books"),
    "台": ("vehicle", "vehicles"),
    "本": ("item", "items"),
    "個": ("item", "items"),
    "件数": ("case", "cases"),
    "事業": ("project", "projects"),
    "プロジェクト": ("project", "projects"),
    "自治会": ("residents' association", "residents' associations"),
    "町内会": ("neighbourhood association", "neighbourhood associations"),
    "協定": ("agreement", "agreements"),
    "ポイント": ("point", "points"),
    "点": ("point", "points"),
    "戸": ("dwelling", "dwellings"),
    "棟": ("building", "buildings"),
    "店": ("shop", "shops"),
    "店舗": ("shop", "shops"),
    "講座": ("course", "courses"),
    "イベント": ("event", "events"),
}
SYMBOLS = {"%": "%", "％": "%", "k㎡": " km²", "㎢": " km²", "km2": " km²", "ha": " ha", "m": " m", "km": " km",
           "t": " t", "kg": " kg", "kWh": " kWh", "円": "", "千円": "", "百万円": "", "億円": "", "万円": ""}  # fmt: skip
YEN_UNITS = {"円": 1, "千円": 1_000, "万円": 10_000, "百万円": 1_000_000, "億円": 100_000_000}


def unit_en(unit: str | None, value: Decimal | None = None) -> str:
    """The unit's English word (plural unless the value is one), '' for none; an unknown unit stays
    as the city wrote it (the page marks it Japanese)."""
    if not unit:
        return ""
    if unit in SYMBOLS:
        return SYMBOLS[unit].strip()
    words = UNITS_EN.get(unit)
    if words is None:
        return unit
    return words[0] if value is not None and abs(value) == 1 else words[1]


def _trim(value: Decimal, places: int) -> str:
    text = f"{value:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def yen_en(value: Decimal, unit: str = "円") -> str:
    """An amount of yen as English readers write it: ¥760 million, ¥1.2 billion, ¥35,000."""
    yen = value * YEN_UNITS.get(unit, 1)
    sign, size = ("−" if yen < 0 else ""), abs(yen)
    for name, scale in (("trillion", 10**12), ("billion", 10**9), ("million", 10**6)):
        if size >= scale:
            return f"{sign}¥{_trim(size / scale, 2 if size < scale * 10 else 1)} {name}"
    return f"{sign}¥{_trim(size, 0 if size == size.to_integral_value() else 2)}"


def format_value_en(value: Decimal, unit: str | None, places: int | None = None) -> str:
    """A value with its unit in English: '2,653 groups', '¥760 million', '32.4%', '7 projects'."""
    from .quantities import format_number

    if unit in YEN_UNITS:
        return yen_en(value, unit)
    number = format_number(value, places)
    if not unit:
        return number
    if unit in SYMBOLS:
        symbol = SYMBOLS[unit]
        return f"{number}{symbol}"
    return f"{number} {unit_en(unit, value)}"


def unit_known_en(unit: str | None) -> bool:
    """Whether the unit has an English spelling (else a page marks it Japanese)."""
    return not unit or unit in SYMBOLS or unit in UNITS_EN or unit in YEN_UNITS


# --- やさしい日本語 (easy Japanese): the public pages' fixed words ------------------------------

EASY = "easy"  # the page language of やさしい日本語 (its HTML lang is ja)

# What each status means, in easy Japanese (a city's own bands may carry their own: easy_ja)
STATUS_MEANINGS_EASY = {
    "achieved": "もくひょうの かずに とどきました",
    "on_track": "よていより はやく、または よていどおりに すすんで います",
    "roughly_on_track": "よていより すこし おそいですが、すすんで います",
    "behind": "すすんで いますが、よていより おそいです",
    "regressing": "はじめより わるく なりました",
    "missed": "もくひょうの としが すぎましたが、とどきませんでした",
    "no_data": "しらべた かずが まだ ないので、はんだん できません",
    "no_target": "もくひょうが ありません（さんこうの かずです）",
    "improving": "はじめより よく なって います",
    "flat": "はじめと あまり かわりません",
    "worsening": "はじめより わるく なって います",
    "a": "よていどおりに すすんで います",
    "b": "よていより おそいですが、よく なって いるか、かわりません",
    "c": "はじめより わるく なりました",
    "target_achieved": "もくひょうに とどきました",
    "substantial_progress": "おおきく すすみました",
    "moderate_progress": "すすんで いますが、もっと はやく する ひつようが あります",
    "limited_progress": "すこしだけ すすみました",
    "deterioration": "わるく なりました",
}
# Easy words for the tones, for a city's own bands that give none
TONE_WORDS_EASY = {
    "achieved": "とても よい",
    "good": "よい",
    "fair": "まあまあ",
    "poor": "おくれて いる",
    "bad": "わるい",
    "none": "はんだん しない",
}
