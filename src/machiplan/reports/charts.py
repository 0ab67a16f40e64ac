"""One chart per indicator, written directly as SVG: the public pages, the HTML report and the PDF
(WeasyPrint lays out inline SVG) share it.

What a chart shows: a title (the indicator's name) and its status; actual values as a line (a
missing year is a gap, never a zero), a value so far marked apart with its as-of date, the
indicator's own baseline, every target (the plan's, a higher plan's, 中間目標, 年度目標) as a
marked point, the plan's period shaded, the unit written horizontally above the value axis, and
years in 和暦 with the Western year. The value axis starts at zero, or says where it does not
(a zigzag on the axis and its first label), so a small change never looks like a large one.

Each chart is drawn twice: ``svg`` for a page or a printed report (640 units wide) and
``svg_narrow`` for a phone (360 units wide, every text at least 12 units: about 12 px on a 390 px
screen), so that no text is ever smaller than a reader can read. Each comes with a sentence that
describes it and its data as rows, for readers who cannot see it.

Statuses are drawn in the colour and icon of their tone (``TONES``): a palette that stays apart
under protanopia, deuteranopia and tritanopia (tests/web/test_palette.py checks it with the
Machado simulation), and an icon for each tone so that nothing is told by colour alone.

Written directly rather than through a plotting library: a chart costs well under a millisecond
(matplotlib took 81 ms), so a report of 1,000 indicators draws its charts in under a second
(docs/benchmarks.md).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from machiplan.domain import surveys
from machiplan.domain.evaluation import Evaluation
from machiplan.domain.fiscal import format_date, format_fiscal_year
from machiplan.domain.labels import format_value_en, fy_label, status_label, unit_en
from machiplan.domain.plan import (
    ACTUAL,
    CUMULATIVE,
    FINAL,
    FORECAST,
    INTERIM,
    MIDTERM,
    PLAN_HORIZON,
    Indicator,
    Plan,
    Target,
)
from machiplan.domain.quantities import format_value

# --- statuses: a colour and an icon per tone ---------------------------------------------------


@dataclass(frozen=True)
class Tone:
    """How a status of this tone is drawn: a fill (bars, badges), the text on it, an icon, a
    pattern for bars (CSS, over the fill) and a word for the icon (screen readers skip icons)."""

    fill: str
    ink: str  # the text and icon colour on the fill (contrast at least 4.5:1)
    icon: str
    pattern: str  # a CSS background-image over the fill, or ''
    text: str = "#1a1a1a"  # the tone's words on white (contrast at least 4.5:1)


# Blue to orange: apart under every kind of colour blindness, and in lightness for monochrome.
TONES: dict[str, Tone] = {
    "achieved": Tone("#08306b", "#ffffff", "★", "", "#08306b"),
    "good": Tone("#4a89c8", "#000000", "▲", "repeating-linear-gradient(45deg, rgba(255,255,255,.28) 0 3px, transparent 3px 8px)", "#1c5a96"),
    "fair": Tone("#a6cde8", "#000000", "◆", "radial-gradient(rgba(0,0,0,.28) 1.2px, transparent 1.6px) 0 0 / 6px 6px", "#2a6485"),
    "poor": Tone("#f4a259", "#000000", "▼", "repeating-linear-gradient(0deg, rgba(0,0,0,.22) 0 2px, transparent 2px 7px)", "#8a4b00"),
    "bad": Tone("#b4470c", "#ffffff", "×", "repeating-linear-gradient(45deg, rgba(255,255,255,.3) 0 2px, transparent 2px 7px), repeating-linear-gradient(-45deg, rgba(255,255,255,.3) 0 2px, transparent 2px 7px)", "#b4470c"),
    "none": Tone("#d9d9d9", "#000000", "－", "repeating-linear-gradient(135deg, rgba(0,0,0,.16) 0 1px, transparent 1px 6px)", "#4d4d4d"),
}  # fmt: skip


def tone_of(status: str, scale: Iterable | None = None) -> str:
    """The tone of a status: from the evaluation's scale (a city's own bands carry theirs), else the
    built-in methods'; an unknown status is drawn as none."""
    if scale is not None:
        found = next((s for s in scale if s.code == status), None)
        if found is not None:
            return found.tone
    from machiplan.domain.methods import BUILT_IN_STATUSES

    found = BUILT_IN_STATUSES.get(status)
    return found.tone if found is not None else "none"


# --- the chart -----------------------------------------------------------------------------------

FONT = "'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic','Meiryo',sans-serif"
INK, MUTED, GRID, AXIS = "#1a1a1a", "#4d4d4d", "#dddddd", "#4d4d4d"
ACTUAL_COLOR, INTERIM_COLOR, PERIOD_COLOR, BASELINE_COLOR = "#0b4680", "#a34a00", "#e8eef5", "#555555"
SERIES_COLORS = ("#0b4680", "#a34a00", "#2f6b2f", "#5b3a8a", "#006d6d", "#8a1111")
SERIES_DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")
TARGET_STYLES = {  # marker shape, colour, size
    PLAN_HORIZON: ("star", "#8a1111", 9.0),
    "action_plan": ("triangle", "#2f6b2f", 6.5),
    "vision": ("square", "#5b3a8a", 5.5),
}
OTHER_TARGET_STYLE = ("diamond", "#555555", 6.0)


@dataclass(frozen=True)
class Chart:
    svg: str  # for a page or the printed report: 640 units wide
    description: str
    rows: tuple[tuple[str, str, str], ...]  # year, what, value
    svg_narrow: str = ""  # the same chart drawn for a phone: 360 units wide, larger type
    title: str = ""


@dataclass
class _Mark:
    """One legend entry and what it draws."""

    gid: str
    label: str
    shape: str  # line | circle | star | triangle | square | diamond | plus | cross | hollow-diamond | hollow-square | band
    color: str
    points: list[tuple[int, float | None]] = field(default_factory=list)  # (year, value) — None: a gap
    size: float = 5.0
    dash: str = ""
    line: bool = False
    errors: dict[int, float] = field(default_factory=dict)  # year -> the survey's 95 % half-width, in points


@dataclass(frozen=True)
class _Layout:
    width: int
    title_size: float
    text_size: float
    tick_size: float
    max_ticks: int  # year labels at most; more years are labelled every other (or third) year
    left: float
    right: float


WIDE = _Layout(width=640, title_size=15, text_size=12, tick_size=11.5, max_ticks=14, left=58, right=16)
NARROW = _Layout(width=360, title_size=14, text_size=12, tick_size=12, max_ticks=6, left=52, right=10)


@functools.lru_cache(maxsize=4096)  # a plan's texts use a few hundred characters, each measured often
def _wide_char(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F", "A") and ord(ch) > 0x2000


def text_width(text: str, size: float) -> float:
    """An estimate of the width of a text in a sans-serif font: enough to lay out labels."""
    return sum(size if _wide_char(ch) else size * 0.58 for ch in text)


def wrap(text: str, size: float, width: float, lines: int = 3) -> list[str]:
    """The text cut into lines no wider than ``width`` (at spaces where it has them); the last line
    ends with … when the text does not fit."""
    out: list[str] = []
    rest = text.strip()
    while rest and len(out) < lines:
        if text_width(rest, size) <= width:
            out.append(rest)
            rest = ""
            break
        cut, used = 0, 0.0
        for n, ch in enumerate(rest):
            used += size if _wide_char(ch) else size * 0.58
            if used > width:
                break
            cut = n + 1
        space = rest.rfind(" ", 0, cut + 1)
        if space > cut // 2 and not _wide_char(rest[cut - 1 : cut] or "a"):
            cut = space
        cut = max(cut, 1)
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest and out:
        last = out[-1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        out[-1] = last + "…"
    return out


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _n(x: float) -> str:
    """A coordinate with one decimal, no trailing zero."""
    text = f"{x:.1f}"
    return text[:-2] if text[-1] == "0" else text  # its one decimal is the last character


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values from at most ``low`` to at least ``high``: 0, 500, 1,000 … (1, 2, 2.5, 5 × 10ⁿ)."""
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step + 1e-9) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _tick_text(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.6g}"


def _scale(indicator: Indicator, values: list[Decimal], lang: str) -> tuple[float, str]:
    """Yen in 億円 or 万円 (¥ million, ¥ billion in English) so the axis stays readable."""
    unit = indicator.unit or ""
    top = max((abs(v) for v in values), default=Decimal(0))
    yen = {"円": 1, "千円": 1_000, "百万円": 10**6, "億円": 10**8}.get(unit)
    if yen is not None:
        top *= yen
        if lang == "en":
            if top >= 10**9:
                return 10**9 / yen, "¥ billion"
            if top >= 10**6:
                return 10**6 / yen, "¥ million"
            return 1 / yen, "¥"
        if unit == "円" and top >= 10**8:
            return 1e8, "億円"
        if unit == "円" and top >= 10**4:
            return 1e4, "万円"
        return 1.0, unit
    if lang == "en":
        return 1.0, unit_en(unit) if unit else ""
    return 1.0, unit


def _target_level(indicator: Indicator, target: Target) -> Decimal | None:
    """Where a target sits on the value axis. A sum over a period of a running total sits at the
    total before the period plus the sum; a sum of per-year amounts has no point on this axis."""
    if target.value is None:
        return None
    if target.period_start_fy is None:
        return target.value
    if indicator.measure == CUMULATIVE:
        before = indicator.observation(target.period_start_fy - 1)
        if before is not None and before.value is not None:
            return before.value + target.value
    return None


def _value_text(value: Decimal, indicator: Indicator, lang: str) -> str:
    if lang == "en":
        return format_value_en(value, indicator.unit, indicator.display_places)
    return format_value(value, indicator.unit, indicator.display_places)


def indicator_name(indicator: Indicator, lang: str) -> str:
    return (indicator.name_en or indicator.name) if lang == "en" else indicator.name


def _year_lines(fy: int, start_fy: int, lang: str) -> list[str]:
    """A year's label, line by line: H29 / 2017; a Reiwa year of a plan written in Heisei (one
    starting in ``start_fy`` before 2019) as R4 (H34) / 2022."""
    if lang == "en":
        return [str(fy)]
    short = format_fiscal_year(fy, style="short")
    if start_fy < 2019 <= fy:
        short += f"(H{fy - 1988})"
    return [short, str(fy)]


def _x(fy: float, years: tuple[int, int], left: float, right: float) -> float:
    """Where a year sits across a plot from ``left`` to ``right`` showing ``years`` (first, last)."""
    first, last = years
    span = max(last - first, 1)
    return left + 12 + (fy - first) / span * (right - left - 24)


@functools.lru_cache(maxsize=256)
def _year_axis(
    years: tuple[int, int],
    left: float,
    right: float,
    plot_bottom: float,
    layout: _Layout,
    evaluation_fy: int,
    start_fy: int,
    lang: str,
) -> str:
    """The year axis's ticks and labels: every year, or every other (third …) when there are too
    many for the width. Most of a plan's charts share theirs, so each is made once."""
    first, last = years
    ks = layout.tick_size
    every = max(1, math.ceil((last - first + 1) / layout.max_ticks))
    labels = []
    for fy in range(first, last + 1):
        if (fy - first) % every and fy != evaluation_fy:
            continue
        xx = _x(fy, years, left, right)
        labels.append(f'<path d="M{_n(xx)} {_n(plot_bottom)}v4" stroke="{AXIS}"/>')
        for k, line in enumerate(_year_lines(fy, start_fy, lang)):
            labels.append(
                f'<text x="{_n(xx)}" y="{_n(plot_bottom + 6 + ks * (1.05 + 1.15 * k))}" font-size="{_n(ks)}" '
                f'text-anchor="middle" fill="{INK if k == 0 else MUTED}">{_esc(line)}</text>'
            )
    return "".join(labels)


def _marks(
    plan: Plan, indicator: Indicator, evaluation_fy: int, lang: str
) -> tuple[list[_Mark], tuple[int, int] | None, list[Decimal]]:
    """What the chart draws, in the legend's order: the plan's period, the actual lines, values so
    far and forecasts, baselines, targets. Also the raw values (for the axis)."""
    ja = lang != "en"
    observations = [o for o in indicator.observations if o.fy <= evaluation_fy]
    values: list[Decimal] = []
    marks: list[_Mark] = []
    used: set[str] = set()

    def gid(wanted: str) -> str:
        name, n = wanted, 2
        while name in used:
            name, n = f"{wanted}-{n}", n + 1
        used.add(name)
        return name

    def suffix(series: str) -> str:
        return "" if not series else (f"（{series}）" if ja else f" ({series})")

    series_order = ("", *indicator.series)
    for n, series in enumerate(series_order):
        points = sorted(
            (o.fy, o.value)
            for o in observations
            if o.series == series and o.kind == ACTUAL and o.value is not None
        )
        if not points:
            continue
        values += [v for _, v in points]
        errors = {
            o.fy: sample.half_width()
            for o in observations
            if o.series == series and o.kind == ACTUAL and (sample := surveys.sample_of(o, indicator.unit))
        }
        values += [v + Decimal(str(round(errors[fy], 6))) for fy, v in points if fy in errors]
        values += [
            max(v - Decimal(str(round(errors[fy], 6))), Decimal(0)) for fy, v in points if fy in errors
        ]
        marks.append(
            _Mark(gid("actual" if not series else f"actual-{n}"), ("実績" if ja else "Actual") + suffix(series), "circle",
                  SERIES_COLORS[n % len(SERIES_COLORS)], [(fy, float(v)) for fy, v in points], 3.2,
                  SERIES_DASHES[n % len(SERIES_DASHES)], line=True, errors=errors)
        )  # fmt: skip
    for obs in observations:
        if obs.kind in (INTERIM, FORECAST) and obs.value is not None:
            if obs.kind == FORECAST:
                label = "見込" if ja else "Forecast"
            else:
                when = ""
                if obs.as_of:
                    when = (format_date(obs.as_of, style="short") + "時点") if ja else f"as of {obs.as_of}"
                label = (f"途中値 {when}" if ja else f"So far, {when}").strip(" ,")
            n = series_order.index(obs.series) if obs.series in series_order else 0
            values.append(obs.value)
            marks.append(
                _Mark(gid(f"interim-{obs.fy}" + (f"-{n}" if obs.series else "")), label + suffix(obs.series),
                      "hollow-diamond", INTERIM_COLOR, [(obs.fy, float(obs.value))], 5.5)
            )  # fmt: skip
    for n, b in enumerate(x for x in indicator.baselines if x.fy is not None and x.value is not None):
        assert b.fy is not None and b.value is not None
        values.append(b.value)
        name = (b.label or "基準値") if ja else "Baseline"
        marks.append(_Mark(gid(f"baseline-{n}"), name + suffix(b.series), "hollow-square", BASELINE_COLOR,
                           [(b.fy, float(b.value))], 4.5))  # fmt: skip
    for target in indicator.targets:
        level = _target_level(indicator, target)
        if level is None:
            continue
        values.append(level)
        shape, color, size = TARGET_STYLES.get(target.horizon, OTHER_TARGET_STYLE)
        if target.kind != FINAL:  # a waypoint: 中間目標 a plus, 年度目標 a cross, smaller than the target
            shape, size = ("plus" if target.kind == MIDTERM else "cross"), 5.0
        from .model import horizon_name

        name = horizon_name(plan, target.horizon, target.kind, "ja" if ja else "en")
        summed = ""
        if target.period_start_fy is not None:
            summed = (
                f"（{fy_label(target.period_start_fy)}〜の計）"
                if ja
                else f" (sum from FY{target.period_start_fy})"
            )
        wanted = f"target-{target.horizon}"
        if target.kind != FINAL or target.series:
            wanted += f"-{target.kind}-{target.fy}"
        year = fy_label(target.fy, "ja" if ja else "en")
        marks.append(_Mark(gid(wanted), f"{name} {year}{summed}{suffix(target.series)}", shape, color,
                           [(target.fy, float(level))], size))  # fmt: skip
    if any(m.errors for m in marks):
        marks.append(
            _Mark(gid("survey-error"), "誤差範囲（95%）" if ja else "Sampling error (95%)", "error-bar", INK)
        )
    period = (plan.start_fy, plan.end_fy)
    return marks, period, values


def _shape(shape: str, x: float, y: float, size: float, color: str) -> str:
    """A marker centred on (x, y)."""
    s = size
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(s)}" fill="{color}"/>'
    if shape == "square":
        return (
            f'<rect x="{_n(x - s)}" y="{_n(y - s)}" width="{_n(2 * s)}" height="{_n(2 * s)}" fill="{color}"/>'
        )
    if shape == "hollow-square":
        return (f'<rect x="{_n(x - s)}" y="{_n(y - s)}" width="{_n(2 * s)}" height="{_n(2 * s)}" fill="#fff" '
                f'stroke="{color}" stroke-width="1.6"/>')  # fmt: skip
    if shape in ("diamond", "hollow-diamond"):
        d = f"M{_n(x)} {_n(y - s)}L{_n(x + s)} {_n(y)}L{_n(x)} {_n(y + s)}L{_n(x - s)} {_n(y)}Z"
        if shape == "diamond":
            return f'<path d="{d}" fill="{color}"/>'
        return f'<path d="{d}" fill="#fff" stroke="{color}" stroke-width="1.8"/>'
    if shape == "triangle":
        return (f'<path d="M{_n(x)} {_n(y - s)}L{_n(x + s)} {_n(y + s * 0.8)}L{_n(x - s)} {_n(y + s * 0.8)}Z" '
                f'fill="{color}"/>')  # fmt: skip
    if shape == "star":
        points = []
        for k in range(10):
            r = s if k % 2 == 0 else s * 0.45
            a = math.pi / 2 + k * math.pi / 5
            points.append(f"{_n(x + r * math.cos(a))} {_n(y - r * math.sin(a))}")
        return f'<path d="M{"L".join(points)}Z" fill="{color}"/>'
    if shape == "plus":
        w = s * 0.38
        return (f'<path d="M{_n(x - s)} {_n(y)}H{_n(x + s)}M{_n(x)} {_n(y - s)}V{_n(y + s)}" stroke="{color}" '
                f'stroke-width="{_n(w * 2)}"/>')  # fmt: skip
    if shape == "cross":
        return (f'<path d="M{_n(x - s)} {_n(y - s)}L{_n(x + s)} {_n(y + s)}M{_n(x + s)} {_n(y - s)}L{_n(x - s)} {_n(y + s)}" '
                f'stroke="{color}" stroke-width="2.4"/>')  # fmt: skip
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(s)}" fill="{color}"/>'


def _error_bar(x: float, top: float, foot: float, color: str) -> str:
    """A survey's 95 % interval: a vertical line with a cap at each end."""
    return (
        f'<path class="error-bar" d="M{_n(x)} {_n(top)}V{_n(foot)}M{_n(x - 4)} {_n(top)}H{_n(x + 4)}'
        f'M{_n(x - 4)} {_n(foot)}H{_n(x + 4)}" stroke="{color}" stroke-width="1.4" fill="none"/>'
    )


def _key(mark: _Mark, x: float, y: float) -> str:
    """The legend's swatch for a mark, 22 units wide, centred on y."""
    if mark.shape == "error-bar":
        return _error_bar(x + 11, y - 6, y + 6, mark.color)
    if mark.shape == "band":
        return (
            f'<rect x="{_n(x)}" y="{_n(y - 6)}" width="22" height="12" fill="{mark.color}" stroke="#b8c6d6"/>'
        )
    out = ""
    if mark.line:
        dash = f' stroke-dasharray="{mark.dash}"' if mark.dash else ""
        out += f'<path d="M{_n(x)} {_n(y)}H{_n(x + 22)}" stroke="{mark.color}" stroke-width="2.2"{dash}/>'
    return out + _shape(mark.shape, x + 11, y, min(mark.size, 6.5), mark.color)


def _legend_rows(labels: Sequence[str], size: float, width: float) -> list[list[int]]:
    """Legend entries packed into rows no wider than ``width``: indices per row."""
    rows: list[list[int]] = [[]]
    used = 0.0
    for n, label in enumerate(labels):
        need = 30 + text_width(label, size) + 18
        if rows[-1] and used + need > width:
            rows.append([])
            used = 0.0
        rows[-1].append(n)
        used += need
    return rows


def _draw(
    prefix: str,
    layout: _Layout,
    plan: Plan,
    title: str,
    subtitle: tuple[str, str, str],  # icon, words, colour
    marks: list[_Mark],
    period: tuple[int, int] | None,
    values: list[Decimal],
    unit_label: str,
    factor: float,
    years: tuple[int, int],
    evaluation_fy: int,
    lang: str,
    labelledby: bool,
) -> str:
    W = layout.width
    ts, fs, ks = layout.title_size, layout.text_size, layout.tick_size
    out: list[str] = []
    # the title, wrapped, and the status beneath it
    title_lines = wrap(title, ts, W - 16, 3)
    y = 6.0
    head = []
    for line in title_lines:
        y += ts * 1.25
        head.append(
            f'<text x="8" y="{_n(y)}" font-size="{_n(ts)}" font-weight="bold" fill="{INK}">{_esc(line)}</text>'
        )
    icon, words, tone_ink = subtitle
    if words:
        y += fs * 1.5
        head.append(
            f'<text x="8" y="{_n(y)}" font-size="{_n(fs)}" fill="{MUTED}">{_esc(words[0])}'
            f'<tspan fill="{tone_ink}" font-weight="bold">{_esc(icon)} {_esc(words[1])}</tspan></text>'
        )
    # the unit, horizontally, above the value axis
    y += fs * 1.6
    unit_y = y
    plot_top = y + 12
    plot_h = 150.0 if W >= 600 else 170.0
    plot_bottom = plot_top + plot_h
    left, right = layout.left, W - layout.right
    # the value axis
    scaled = [float(v) / factor for v in values]
    lo, hi = (min(scaled), max(scaled)) if scaled else (0.0, 1.0)
    broken = False
    if lo >= 0:
        if hi > 0 and (hi - lo) < 0.25 * hi:  # from zero every value would look the same: break the axis
            broken = True
        else:
            lo = 0.0
    ticks = nice_ticks(lo, hi if hi > lo else lo + 1, 5)
    if broken and len(ticks) > 1:  # room below the lowest value for the break mark
        step = ticks[1] - ticks[0]
        if lo - ticks[0] < step * 0.3:
            ticks.insert(0, round(ticks[0] - step, 10))
        if ticks[0] <= 0:
            ticks = [t for t in ticks if t >= 0]
            broken = ticks[0] > 0
    if hi < 0:
        ticks = [t for t in ticks if t <= 0] + ([0.0] if ticks[-1] < 0 else [])
    y_lo, y_hi = ticks[0], ticks[-1]
    # longest tick label decides the left margin
    tick_texts = [_tick_text(t) for t in ticks]
    left = max(left, 10 + max(text_width(t, ks) for t in tick_texts) + 8)
    first, last = years

    def X(fy: float) -> float:
        return _x(fy, years, left, right)

    def Y(v: float) -> float:
        return plot_bottom - (v - y_lo) / ((y_hi - y_lo) or 1) * plot_h

    body: list[str] = []
    unit_text = (
        f"（{unit_label}）" if lang != "en" and unit_label else (f"({unit_label})" if unit_label else "")
    )
    if unit_text:
        body.append(
            f'<text x="8" y="{_n(unit_y)}" font-size="{_n(fs)}" fill="{MUTED}">{_esc(unit_text)}</text>'
        )
    # the plan's period, shaded
    if period is not None:
        a, b = max(period[0], first), min(period[1], last)
        if a <= b:
            x0 = max(left, X(a - 0.5))
            x1 = min(right, X(b + 0.5))
            body.append(
                f'<g id="{prefix}plan-period"><rect x="{_n(x0)}" y="{_n(plot_top)}" width="{_n(x1 - x0)}" '
                f'height="{_n(plot_h)}" fill="{PERIOD_COLOR}"/></g>'
            )
    # grid and value labels
    grid = []
    for t, text in zip(ticks, tick_texts, strict=True):
        yy = Y(t)
        grid.append(
            f'<path d="M{_n(left)} {_n(yy)}H{_n(right)}" stroke="{GRID if t else AXIS}" stroke-width="{1 if t else 1.2}"/>'
        )
        grid.append(f'<text x="{_n(left - 6)}" y="{_n(yy + ks * 0.35)}" font-size="{_n(ks)}" text-anchor="end" fill="{INK}">{text}</text>')  # fmt: skip
    body.append(f'<g id="{prefix}grid">{"".join(grid)}</g>')
    axis = f'<path d="M{_n(left)} {_n(plot_top)}V{_n(plot_bottom)}" stroke="{AXIS}" stroke-width="1.2"/>'
    if broken:  # the axis does not start at zero: a zigzag at its foot says so
        zy = plot_bottom - 7
        axis += (
            f'<path d="M{_n(left - 6)} {_n(zy + 3)}L{_n(left - 2)} {_n(zy - 1)}L{_n(left + 2)} {_n(zy + 3)}'
            f'L{_n(left + 6)} {_n(zy - 1)}" fill="none" stroke="{AXIS}" stroke-width="1.4"/>'
        )
    body.append(f'<g id="{prefix}axis">{axis}</g>')
    axis_labels = _year_axis(years, left, right, plot_bottom, layout, evaluation_fy, plan.start_fy, lang)
    body.append(f'<g id="{prefix}years">{axis_labels}</g>')
    label_lines = len(_year_lines(first, plan.start_fy, lang))
    y = plot_bottom + 6 + ks * (1.05 + 1.15 * (label_lines - 1)) + 10
    # the data
    for mark in marks:
        pts = [(X(fy), Y(v / factor)) for fy, v in mark.points if v is not None]
        inner = []
        if mark.line:
            by_year = {fy: v for fy, v in mark.points}
            d, pen = [], False
            for fy in range(first, last + 1):
                v = by_year.get(fy)
                if v is None:
                    pen = False
                    continue
                d.append(f"{'L' if pen else 'M'} {_n(X(fy))} {_n(Y(v / factor))}")
                pen = True
            dash = f' stroke-dasharray="{mark.dash}"' if mark.dash else ""
            inner.append(
                f'<path d="{" ".join(d)}" fill="none" stroke="{mark.color}" stroke-width="2.2"{dash}/>'
            )
        for fy, v in mark.points:
            half = mark.errors.get(fy)
            if v is not None and half is not None:
                top, foot = Y((v + half) / factor), Y(max(v - half, 0.0) / factor)
                inner.append(_error_bar(X(fy), top, foot, mark.color))
        if mark.shape == "error-bar":
            continue  # a legend entry only: the bars are drawn with their series
        inner += [_shape(mark.shape, px, py, mark.size, mark.color) for px, py in pts]
        body.append(f'<g id="{prefix}{mark.gid}">{"".join(inner)}</g>')
    # the legend
    period_label = "計画期間" if lang != "en" else "Plan period"
    entries = [_Mark("period-key", period_label, "band", PERIOD_COLOR), *marks]
    rows = _legend_rows([e.label for e in entries], fs, W - 16)
    legend = []
    for row in rows:
        y += fs * 1.5
        x = 8.0
        for n in row:
            e = entries[n]
            legend.append(_key(e, x, y - fs * 0.35))
            legend.append(
                f'<text x="{_n(x + 28)}" y="{_n(y)}" font-size="{_n(fs)}" fill="{INK}">{_esc(e.label)}</text>'
            )
            x += 30 + text_width(e.label, fs) + 18
    body.append(f'<g id="{prefix}legend">{"".join(legend)}</g>')
    height = math.ceil(y + fs * 0.8)
    aria = (
        f' role="img" aria-labelledby="{prefix}title {prefix}desc"' if labelledby else ' aria-hidden="true"'
    )
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" width="{W}" height="{height}" '
        f'class="chart" font-family="{FONT}"{aria}>'
    )
    return "".join(out), "".join(head) + "".join(body), height


def indicator_chart(
    plan: Plan,
    indicator: Indicator,
    evaluation: Evaluation,
    evaluation_fy: int,
    lang: str = "ja",
    *,
    scale: Iterable | None = None,
    narrow: bool = True,
) -> Chart:
    """The indicator's chart, wide and narrow, with its description and data rows. ``scale``: the
    evaluation's statuses (``PlanEvaluation.scale``), for a city's own bands' words and tones.
    ``narrow=False`` leaves the phone's drawing out (``svg_narrow`` empty): a report shows only the
    wide one, and drawing is most of its charts' cost."""
    lang = "en" if lang == "en" else "ja"
    scale = tuple(scale) if scale is not None else None
    marks, period, values = _marks(plan, indicator, evaluation_fy, lang)
    observations = [o for o in indicator.observations if o.fy <= evaluation_fy]
    years = [o.fy for o in observations] + [t.fy for t in indicator.targets] + [plan.start_fy, plan.end_fy]
    years += [b.fy for b in indicator.baselines if b.fy is not None]
    span = (min(years), max(years))
    factor, unit_label = _scale(indicator, values, lang)
    status = evaluation.status
    icon_colour = TONES[tone_of(status, scale)].text
    words = ("評価：" if lang == "ja" else "Status: ", status_label(status, lang, scale))
    title = indicator_name(indicator, lang)
    description = describe(plan, indicator, evaluation, evaluation_fy, lang, scale=scale)
    prefix = f"chart-{indicator.code}-"
    layouts = ((WIDE, prefix), (NARROW, f"{prefix}n-")) if narrow else ((WIDE, prefix),)
    svgs = []
    for layout, pre in layouts:
        head, body, _ = _draw(pre, layout, plan, title, (TONES[tone_of(status, scale)].icon, words, icon_colour),
                              marks, period, values, unit_label, factor, span, evaluation_fy, lang, True)  # fmt: skip
        svgs.append(
            head
            + f'<title id="{pre}title">{_esc(title)}</title><desc id="{pre}desc">{_esc(description)}</desc>'
            + body
            + "</svg>"
        )
    return Chart(
        svg=svgs[0],
        description=description,
        rows=tuple(_rows(plan, indicator, evaluation_fy, lang)),
        svg_narrow=svgs[1] if narrow else "",
        title=title,
    )


def _target_name(plan: Plan, target: Target, lang: str) -> str:
    from .model import horizon_name

    return horizon_name(plan, target.horizon, target.kind, lang)


def describe(
    plan: Plan,
    indicator: Indicator,
    evaluation: Evaluation,
    evaluation_fy: int,
    lang: str,
    *,
    scale: Iterable | None = None,
) -> str:
    """The chart in a sentence: where the series starts and ends, the target, the status."""
    ja = lang != "en"
    lang = "ja" if ja else "en"
    name = indicator_name(indicator, lang)
    actuals = [
        o
        for o in indicator.observations
        if o.kind == ACTUAL and o.value is not None and o.fy <= evaluation_fy and o.series == ""
    ]
    if not actuals and indicator.series:  # figures in series only: describe the first that has any
        for series in indicator.series:
            actuals = [
                o
                for o in indicator.observations
                if o.kind == ACTUAL and o.value is not None and o.fy <= evaluation_fy and o.series == series
            ]
            if actuals:
                break
    parts = []
    if actuals:
        a, b = actuals[0], actuals[-1]
        assert a.value is not None and b.value is not None
        va, vb = _value_text(a.value, indicator, lang), _value_text(b.value, indicator, lang)
        if ja:
            parts.append(
                f"{name}の実績は{fy_label(a.fy)}の{va}から{fy_label(b.fy)}の{vb}"
                if a is not b
                else f"{name}の実績は{fy_label(a.fy)}の{va}"
            )
        else:
            parts.append(
                f"{name}: actual values from {va} in FY{a.fy} to {vb} in FY{b.fy}"
                if a is not b
                else f"{name}: {va} in FY{a.fy}"
            )
    else:
        parts.append(f"{name}の実績はまだない" if ja else f"{name}: no actual values yet")
    missing = [
        o.fy for o in indicator.observations if o.kind != ACTUAL and o.value is None and o.fy <= evaluation_fy
    ]
    if missing:
        years = "、".join(fy_label(y) for y in missing) if ja else ", ".join(f"FY{y}" for y in missing)
        parts.append(f"{years}は値なし" if ja else f"no value for {years}")
    for target in indicator.targets:
        if target.value is None:
            continue
        tname = _target_name(plan, target, lang)
        if target.series:
            tname += f"（{target.series}）" if ja else f" ({target.series})"
        value = _value_text(target.value, indicator, lang)
        if target.period_start_fy is not None:
            value += (
                f"（{fy_label(target.period_start_fy)}〜の合計）"
                if ja
                else f" (total from FY{target.period_start_fy})"
            )
        parts.append(
            f"{tname}は{fy_label(target.fy)}に{value}" if ja else f"{tname}: {value} in FY{target.fy}"
        )
    label = status_label(evaluation.status, lang, tuple(scale) if scale is not None else None)
    parts.append(f"評価：{label}" if ja else f"status: {label}")
    return ("。".join(parts) + "。") if ja else ("; ".join(parts) + ".")


def _rows(plan: Plan, indicator: Indicator, evaluation_fy: int, lang: str) -> list[tuple[str, str, str]]:
    from .model import baseline_value_text, observation_text, target_text, year_text
    from .text import OBSERVATION_LABELS

    def named(text: str, series: str) -> str:
        return text if not series else (f"{text}（{series}）" if lang == "ja" else f"{text} ({series})")

    rows = [
        (
            year_text(b.fy, b.period, lang, western=True) if b.fy is not None else "—",
            named(b.label or ("基準値" if lang == "ja" else "Baseline"), b.series),
            baseline_value_text(b, indicator, lang),
        )
        for b in indicator.baselines
    ]
    rows += [
        (
            year_text(o.fy, o.period, lang, western=True),
            named(OBSERVATION_LABELS[lang].get(o.kind, o.kind), o.series),
            observation_text(o, indicator, lang),
        )
        for o in indicator.observations
        if o.fy <= evaluation_fy
    ]
    for t in indicator.targets:
        rows.append(
            (
                fy_label(t.fy, lang, western=True),
                named(_target_name(plan, t, lang), t.series),
                target_text(t, indicator, lang),
            )
        )
    return rows
