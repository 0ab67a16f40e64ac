"""Publishing figures: the one write of ``plans.Observation`` after a plan is loaded.

The staff app decides what is published (its workflow: a figure approved by the plan's owner)
and calls ``publish`` with figures already checked; this module does the write. The public
pages, the reports and the API read only ``Observation``, and follow the plan's version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from machiplan.domain import figures

from ..models import Observation, Plan

# the columns a published figure is written with: its fields, as domain/figures.py defines them
FIELDS = tuple(f.name for f in figures.FIGURE_FIELDS)
Key = tuple[int, str, int]  # (indicator id, series, fy)


@dataclass(frozen=True, slots=True)
class Publication:
    """A figure to publish: its indicator, its fields (``FIELDS``), and where it came from."""

    indicator_id: int
    values: dict  # figure field name -> value; the breakdown as stored ([[label, "9"], …])
    source: str  # provenance, as the public files show it
    source_text: str = ""

    @property
    def key(self) -> Key:
        return self.indicator_id, self.values.get("series", ""), self.values["fy"]


def published_at(keys: Iterable[Key], chunk: int = 900) -> dict[Key, Observation]:
    """The published figures at these (indicator id, series, fy) keys: a few queries, however many."""
    keys = set(keys)
    found: dict[Key, Observation] = {}
    ids = sorted({ind for ind, _, _ in keys})
    years = {fy for _, _, fy in keys}
    for start in range(0, len(ids), chunk):
        for o in Observation.objects.filter(indicator_id__in=ids[start : start + chunk], fy__in=years):
            if (o.indicator_id, o.series, o.fy) in keys:
                found[o.indicator_id, o.series, o.fy] = o
    return found


def publish(publications: list[Publication]) -> dict[Key, Observation]:
    """Make these the published figures, each replacing whole the one of its indicator, series and year;
    move the plans' version on (the public pages refresh). Returns the figures replaced."""
    with transaction.atomic():
        replaced = published_at(p.key for p in publications)
        ids = [o.pk for o in replaced.values()]
        for start in range(0, len(ids), 900):
            Observation.objects.filter(pk__in=ids[start : start + 900]).delete()
        Observation.objects.bulk_create(
            [
                Observation(
                    indicator_id=p.indicator_id, source=p.source[:500], source_text=p.source_text,
                    **{name: p.values[name] for name in FIELDS if name in p.values},
                )
                for p in publications
            ],
            batch_size=500,
        )  # fmt: skip
        plans = Plan.objects.filter(indicators__pk__in={p.indicator_id for p in publications})
        touch(set(plans.values_list("pk", flat=True)))
    return replaced


def touch(plan_ids: Iterable[int]) -> None:
    """The plans changed: their version (every public cache key) moves on."""
    Plan.objects.filter(pk__in=list(plan_ids)).update(updated_at=timezone.now())
