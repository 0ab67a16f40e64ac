"""When a year's figures are due, as plain rules: which fiscal year a plan is collecting, and
whether its deadline (提出期限, set by the plan's owner per fiscal year) has passed.

The figures of a fiscal year are entered after it ends (FY2025's actuals in the spring and
summer of 2026), so without a deadline a plan collects the fiscal year that ended last — while
that year is one its figures may be for (its own years and the year after, when the last
year's actuals come in). A deadline the owner set names the year it is for: the latest such
year is the one being collected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .fiscal import fiscal_year_of


def collecting_year(
    start_fy: int, end_fy: int, today: dt.date, deadline_years: Iterable[int] = ()
) -> int | None:
    """The fiscal year whose figures a plan (``start_fy``–``end_fy``) is collecting on ``today``:
    the latest year a deadline was set for, else the year that ended last if the plan has figures
    for it; None when it collects none (a plan long over, or not yet begun)."""
    years = list(deadline_years)
    if years:
        return max(years)
    last_ended = fiscal_year_of(today) - 1
    return last_ended if start_fy <= last_ended <= end_fy + 1 else None


def is_overdue(due: dt.date | None, today: dt.date) -> bool:
    """Past the deadline: the due day itself still counts as in time."""
    return due is not None and today > due


def days_left(due: dt.date, today: dt.date) -> int:
    """Days until the deadline (0 on the day, negative once overdue)."""
    return (due - today).days
