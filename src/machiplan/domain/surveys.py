"""How far a survey share can move by sampling alone.

A share from a questionnaire (``survey: true``) carries the error of its sample. When a
figure says how many answered (``sample_size``) — and, where the survey reports them, its
margin of error (``margin``, the half-width of its 95 % interval in points) or its design
effect — a change between two surveys is "unchanged" when it lies within the 95 % interval
of the difference of two proportions. Without that, the plan's fixed tolerance
(``survey_tolerance_points``, ±3 points) stands in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .entry_checks import PERCENT_UNITS

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal


@dataclass(frozen=True, slots=True)
class Sample:
    """What a survey figure says of its own error."""

    share: float  # in points (32.4 for 32.4 %)
    size: int | None = None  # how many answered
    margin: float | None = None  # the survey's own 95 % margin of error, in points
    design_effect: float | None = None  # > 1 for a clustered or weighted sample

    @property
    def known(self) -> bool:
        return self.margin is not None or (self.size is not None and self.size > 0)

    def variance(self) -> float:
        """The variance of the share, in points², from the margin or from n (and the design effect)."""
        if self.margin is not None:
            return (self.margin / Z95) ** 2
        assert self.size is not None and self.size > 0
        p = min(max(self.share / 100, 0.0), 1.0)
        return (self.design_effect or 1.0) * p * (1 - p) / self.size * 100**2

    def half_width(self) -> float:
        """The half-width of the share's own 95 % interval, in points."""
        return Z95 * math.sqrt(self.variance())


def sample_of(figure: Any, unit: str | None = None) -> Sample | None:
    """What a figure (an observation or a baseline: value, sample_size, margin, design_effect)
    says of its own error, or None when it states neither n nor a margin. With ``unit``: None as
    well when only n is known and the unit is not a share (n alone gives a share's error only)."""
    if figure.value is None or (figure.sample_size is None and figure.margin is None):
        return None
    if unit is not None and figure.margin is None and unit not in PERCENT_UNITS:
        return None
    return Sample(
        float(figure.value),
        figure.sample_size,
        None if figure.margin is None else float(figure.margin),
        None if figure.design_effect is None else float(figure.design_effect),
    )


def difference_half_width(a: Sample, b: Sample) -> float | None:
    """The half-width (points) of the 95 % interval of b − a, or None when either sample is unknown."""
    if not (a.known and b.known):
        return None
    return Z95 * math.sqrt(a.variance() + b.variance())


def unchanged(a: Sample, b: Sample, fallback_points: float) -> bool:
    """Whether the move from ``a`` to ``b`` lies within sampling error: the 95 % interval of the
    difference when both samples are known, else the fixed tolerance."""
    half = difference_half_width(a, b)
    change = abs(b.share - a.share)
    return change < (half if half is not None else fallback_points)
