"""What a sheet cannot say, taken from a plan that knows it.

A progress sheet has no municipality code, no plan period, no owners and no
English names; nor can it tell a per-year count from a level for certain. The
embedded plan is exactly ``complete_from(read_sheet(seed), known)``: the test
suite asserts it, so the package and the reader never drift apart.
"""

from __future__ import annotations

from dataclasses import replace

from machiplan.domain.plan import Plan

PLAN_FIELDS = (
    "code",
    "title_en",
    "municipality",
    "start_fy",
    "end_fy",
    "method",
    "departments",
    "department",
)
INDICATOR_FIELDS = ("name_en", "department", "direction", "measure", "survey")


def complete_from(imported: Plan, known: Plan) -> Plan:
    """``imported`` with the facts only ``known`` has; indicators are matched by code."""
    by_code = {i.code: i for i in known.indicators}
    indicators = tuple(
        replace(ind, **{f: getattr(by_code[ind.code], f) for f in INDICATOR_FIELDS})
        if ind.code in by_code
        else ind
        for ind in imported.indicators
    )
    return replace(imported, indicators=indicators, **{f: getattr(known, f) for f in PLAN_FIELDS})
