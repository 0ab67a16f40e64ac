"""The status palette under colour blindness: every tone stays apart from every other when seen
with protanopia, deuteranopia or tritanopia (the Machado, Oliveira and Fernandes 2009 simulation at
full severity), and each tone has an icon of its own, so that nothing is told by colour alone."""

import itertools

import pytest

from machiplan.reports.charts import TONES

# Machado et al. (2009), severity 1.0, on linear RGB
SIMULATIONS = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}  # fmt: skip
DISTINCT = 12.0  # CIE76 ΔE: well past "just noticeable" (2.3); the red/green pair of before measured 5


def _linear(hex_colour: str) -> list[float]:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def _simulate(hex_colour: str, kind: str | None) -> list[float]:
    rgb = _linear(hex_colour)
    if kind is None:
        return rgb
    matrix = SIMULATIONS[kind]
    return [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix]


def _lab(rgb: list[float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str, kind: str | None) -> float:
    la, lb = _lab(_simulate(a, kind)), _lab(_simulate(b, kind))
    return sum((p - q) ** 2 for p, q in zip(la, lb, strict=True)) ** 0.5


def _contrast(a: str, b: str) -> float:
    def lum(c: str) -> float:
        r, g, bl = _linear(c)
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("kind", [None, "protanopia", "deuteranopia", "tritanopia"])
def test_every_pair_of_tones_stays_apart(kind):
    for (a, ta), (b, tb) in itertools.combinations(TONES.items(), 2):
        assert delta_e(ta.fill, tb.fill, kind) >= DISTINCT, (kind, a, b)


def test_achieved_and_bad_are_far_apart_under_deuteranopia():
    """The issue's complaint: 達成 and 後退 looked the same under deuteranopia."""
    assert delta_e(TONES["achieved"].fill, TONES["bad"].fill, "deuteranopia") > 30


def test_the_old_green_and_red_would_fail():
    """The check catches what it should: the former badges of 達成 and 後退 (reports/common.css's
    pale green and pale red) are all but the same under deuteranopia."""
    assert delta_e("#d7f0dd", "#fbdada", "deuteranopia") < 2


def test_every_tone_has_its_own_icon_and_readable_text():
    icons = [t.icon for t in TONES.values()]
    assert all(icons) and len(set(icons)) == len(icons)
    for tone, t in TONES.items():
        assert _contrast(t.fill, t.ink) >= 4.5, tone  # the badge's words on its colour (WCAG AA)
        assert _contrast(t.text, "#ffffff") >= 4.5, tone  # the tone's words on white (a chart's status)


def test_every_status_of_every_method_has_a_tone():
    from machiplan.domain.methods import BUILT_IN_STATUSES
    from machiplan.domain.methods import TONES as METHOD_TONES

    assert set(METHOD_TONES) == set(TONES)
    assert all(s.tone in TONES for s in BUILT_IN_STATUSES.values())
