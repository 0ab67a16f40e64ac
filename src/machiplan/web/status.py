"""Statuses as the public pages show them: a badge in the tone's colour with its icon, the legend
(凡例) with a line on what each status means, the headline sentence and the stacked status bars.

Every method has its own statuses (docs/evaluation.md, "Methods"); each status has a tone
(achieved, good, fair, poor, bad, none) that decides its colour and icon (``reports.charts.TONES``),
so a page reads alike whatever the plan's method, and never by colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from machiplan.domain import methods
from machiplan.domain.evaluation import Params, PlanEvaluation, merged_scale, override_params, plan_params
from machiplan.domain.labels import EASY, STATUS_MEANINGS_EASY, TONE_WORDS_EASY
from machiplan.domain.method_text import status_meanings
from machiplan.domain.plan import Plan
from machiplan.reports.charts import TONES

from .text import WEB_TEXT

# The headline's groups of tones: reached, moving as it should, falling short, not judged
GROUPS = (("achieved",), ("good", "fair"), ("poor", "bad"), ("none",))


class StatusView(str):
    """A status in the page's words (the string is its label); in a template, its badge.

    A ``str``, as Django's templates turn anything else into one before escaping it."""

    code: str
    label: str
    tone: str
    meaning: str

    def __new__(cls, code: str, label: str, tone: str, meaning: str) -> StatusView:
        self = super().__new__(cls, label)
        self.code, self.label, self.tone, self.meaning = code, label, tone, meaning
        return self

    @property
    def icon(self) -> str:
        return TONES[self.tone].icon

    def __html__(self) -> SafeString:
        return badge(self)


def badge(status: StatusView) -> SafeString:
    """The status in words, with its tone's icon (hidden from screen readers: the words say it)."""
    return format_html(
        '<span class="badge t-{}" data-status="{}"><span class="icon" aria-hidden="true">{}</span>{}</span>',
        status.tone,
        status.code,
        status.icon,
        status.label,
    )


def _label(s: methods.StatusDef, lang: str) -> str:
    if lang == EASY:
        return s.easy_ja or s.ja
    return s.en if lang == "en" else s.ja


class Scale:
    """The statuses a plan's evaluation can give, best first, with their words in the page's language."""

    def __init__(self, defs: Sequence[methods.StatusDef], params: Params, lang: str):
        self.lang = lang
        self.defs = tuple(defs)
        meanings = status_meanings(params, "en" if lang == "en" else "ja")
        self.views: dict[str, StatusView] = {}
        for s in defs:
            if lang == EASY:
                meaning = STATUS_MEANINGS_EASY.get(s.code) or TONE_WORDS_EASY.get(s.tone, "")
            else:
                meaning = meanings.get(s.code) or (s.means_en if lang == "en" else s.means_ja) or ""
            self.views[s.code] = StatusView(s.code, _label(s, lang), s.tone, meaning)

    def __call__(self, code: str) -> StatusView:
        found = self.views.get(code)
        if found is None:  # a status no scale names: its code, drawn as not judged
            from machiplan.domain.methods import BUILT_IN_STATUSES

            known = BUILT_IN_STATUSES.get(code)
            found = (
                StatusView(code, _label(known, self.lang), known.tone, "")
                if known
                else StatusView(code, code, "none", "")
            )
        return found

    def __iter__(self):
        return iter(self.views.values())

    @classmethod
    def of_evaluation(cls, evaluation: PlanEvaluation, lang: str) -> Scale:
        return cls(evaluation.scale, evaluation.params, lang)

    @classmethod
    def of_plan(cls, plan: Plan, lang: str) -> Scale:
        """The scale of a plan whose whole evaluation is not at hand (an indicator's page)."""
        params = plan_params(plan)
        return cls(merged_scale(params, override_params(plan, params).values()), params, lang)


@dataclass(frozen=True)
class Segment:
    status: StatusView
    count: int
    share: float  # of the total, 0–100

    @property
    def width(self) -> str:
        return f"{self.share:.2f}"

    @property
    def shows_icon(self) -> bool:
        return self.share >= 7


@dataclass(frozen=True)
class Bar:
    """One stacked bar of status counts: a top node's, or the whole plan's."""

    label: object  # the row's name (html-safe)
    url: str | None
    total: int
    segments: tuple[Segment, ...]
    counts_text: str  # the counts in words, for the bar's text alternative
    total_text: str = ""  # 15指標


def percent(n: int, total: int) -> int:
    return round(n * 100 / total) if total else 0


def bar(label: object, url: str | None, counts: Mapping[str, int], scale: Scale, lang: str) -> Bar:
    total = sum(counts.values())
    order = [s.code for s in scale]
    order += [c for c in counts if c not in order]
    segments = tuple(
        Segment(scale(code), counts[code], counts[code] * 100 / total) for code in order if counts.get(code)
    )
    sep = "、" if lang != "en" else ", "
    unit = WEB_TEXT[lang]["items_unit"]
    text = sep.join(f"{s.status.label} {s.count}{unit}" for s in segments)
    return Bar(label, url, total, segments, text, WEB_TEXT[lang]["bar_total"].format(total=total))


def headline(counts: Mapping[str, int], scale: Scale, lang: str, *, kind: str = "") -> str:
    """One sentence: 指標15項目のうち達成6項目（40%）、順調・概ね順調2項目（13%）… — the statuses grouped
    by tone (reached; moving as it should; falling short; not judged), each with its share."""
    w = WEB_TEXT[lang]
    total = sum(counts.values())
    if not total:
        return w["headline_none"]
    parts = []
    for tones in GROUPS:
        members = [s for s in scale if s.tone in tones and counts.get(s.code)]
        members += [
            scale(c) for c, n in counts.items() if n and c not in scale.views and scale(c).tone in tones
        ]
        n = sum(counts.get(s.code, 0) for s in members)
        if not n:
            continue
        names = w["or"].join(dict.fromkeys(s.label for s in members))
        if tones == ("none",):
            parts.append(w["headline_part_none"].format(names=names, n=n))
        else:
            parts.append(w["headline_part"].format(names=names, n=n, pct=percent(n, total)))
    kind = kind or w["indicators_word"]
    return w["headline"].format(kind=kind, total=total, parts=w["list_sep"].join(parts))


def legend_rows(scale: Scale, used: Iterable[str] | None = None) -> tuple[StatusView, ...]:
    """The legend: every status of the scale (or only those used, when given), best first."""
    wanted = set(used) if used is not None else None
    return tuple(s for s in scale if wanted is None or s.code in wanted)


def bar_html(b: Bar) -> SafeString:
    """The bar itself: hidden from screen readers, whose text is the counts beside it."""
    if not b.total:
        return mark_safe("")
    segments = format_html_join(
        "",
        '<span class="seg t-{}" style="width:{}%">{}</span>',
        (
            (
                s.status.tone,
                s.width,
                format_html('<span class="icon">{}</span>', s.status.icon) if s.shows_icon else "",
            )
            for s in b.segments
        ),
    )
    return format_html('<span class="stack" aria-hidden="true">{}</span>', segments)
