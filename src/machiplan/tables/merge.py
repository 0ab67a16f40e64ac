"""Next year's sheet into the plan it updates: the table's figures over the stored plan's.

The stored plan keeps everything the table does not say (its header, method, departments,
levels, node texts, figures approved on the staff pages for years the table leaves out, and
the corrections made since: an indicator's measure, direction, unit). What the table says wins:
a figure for the same indicator, series and year replaces the stored one (an interim value
becomes the year's actual), a target or baseline of the same kind likewise; definitions and
sources the table gives replace the stored ones. An indicator is found again by its name (and
its code or node when the name repeats); one the plan lacks is added with its nodes.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from machiplan.domain import plan as domain

from .detect import TableWarning


@dataclass(frozen=True, slots=True)
class Changes:
    """What next year's sheet changed in the stored plan."""

    added: int = 0  # figures, targets and baselines the plan did not have
    changed: int = 0  # ones it had with another value
    unchanged: int = 0
    new_indicators: tuple[str, ...] = ()  # codes
    untouched_indicators: tuple[str, ...] = ()  # stored indicators the table does not list (kept)
    codes: tuple[tuple[str, str], ...] = ()  # (the table's code, the plan's) where they differ

    def describe(self) -> str:
        parts = [f"{self.added} figures added", f"{self.changed} changed", f"{self.unchanged} as they were"]
        if self.new_indicators:
            parts.append(f"{len(self.new_indicators)} new indicators ({', '.join(self.new_indicators[:5])}"
                         + (", …" if len(self.new_indicators) > 5 else "") + ")")  # fmt: skip
        if self.untouched_indicators:
            parts.append(f"{len(self.untouched_indicators)} indicators not in this table (kept as they were)")
        return ", ".join(parts)


def _figure(x) -> tuple:
    """What a figure says, without where it was read (a figure read again from next year's file
    is the same figure)."""
    fields = [f for f in x.__dataclass_fields__ if f not in ("source", "source_text")]
    return tuple(getattr(x, f) for f in fields)


def _obs_key(o: domain.Observation) -> tuple:
    return (o.series, o.fy)


def _target_key(t: domain.Target) -> tuple:
    return (t.series, t.horizon, t.kind, None if t.kind == domain.FINAL else t.fy, t.revision)


def _baseline_key(b: domain.Baseline) -> tuple:
    return (b.series, b.label, b.revision)


def _rating_key(r: domain.Rating) -> tuple:
    return (r.fy, r.scale)


def _cost_key(c: domain.Cost) -> tuple:
    return (c.start_fy, c.end_fy, c.basis, c.account, c.label)


def _scales(ours: tuple[domain.RatingScale, ...], theirs: tuple[domain.RatingScale, ...]) -> tuple:
    """The plan's scales with the table's: a grade the plan's scale lacks is added after its own."""
    found = {s.key: s for s in ours}
    for scale in theirs:
        held = found.get(scale.key)
        if held is None:
            found[scale.key] = scale
            continue
        known = {g.code for g in held.grades}
        found[scale.key] = replace(
            held, grades=(*held.grades, *(g for g in scale.grades if g.code not in known))
        )
    return tuple(found.values())


def name_key(name: str) -> str:
    """An indicator's name as a reader sees it: the same name in NFD (で as て + ゛), in half-width or
    full-width forms, or with a space more or less, is the same indicator next year."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def merge(stored: domain.Plan, table: domain.Plan) -> tuple[domain.Plan, Changes, tuple[TableWarning, ...]]:
    warnings: list[TableWarning] = []
    counts = Counter({"added": 0, "changed": 0, "unchanged": 0})
    stored_names = Counter(name_key(i.name) for i in stored.indicators)
    table_names = Counter(name_key(i.name) for i in table.indicators)
    by_name = {name_key(i.name): i for i in stored.indicators if stored_names[name_key(i.name)] == 1}
    by_code = {i.code: i for i in stored.indicators}
    by_place: dict[tuple, domain.Indicator] = {}
    for i in stored.indicators:
        by_place.setdefault((name_key(i.name), i.nodes), i)
    matched: dict[str, domain.Indicator] = {}  # stored code -> the table's indicator
    new: list[domain.Indicator] = []
    for ind in table.indicators:
        key = name_key(ind.name)
        found = by_name.get(key) if table_names[key] == 1 else None
        if found is None:
            same = by_code.get(ind.code)
            if same is not None and name_key(same.name) == key:
                found = same
        if found is None:
            found = by_place.get((key, ind.nodes))
        if found is not None and found.code not in matched:
            matched[found.code] = ind
        else:
            new.append(ind)
    taken = set(by_code)
    renamed: list[tuple[str, str]] = [(ind.code, code) for code, ind in matched.items() if ind.code != code]
    indicators = []
    for ind in stored.indicators:
        theirs = matched.get(ind.code)
        indicators.append(ind if theirs is None else _merged(ind, theirs, counts, warnings))
    for ind in new:
        code = ind.code
        while code in taken:
            code = f"{code}-n"[:64]
        if code != ind.code:
            renamed.append((ind.code, code))
        taken.add(code)
        counts["added"] += len(ind.observations) + len(ind.targets) + len(ind.baselines) + len(ind.ratings)
        indicators.append(replace(ind, code=code))
    nodes = list(stored.nodes)
    known = {n.code: k for k, n in enumerate(nodes)}
    for node in table.nodes:
        if node.code not in known:
            known[node.code] = len(nodes)
            nodes.append(node)
            counts["added"] += len(node.ratings) + len(node.costs)
        elif node.ratings or node.costs:  # the city's grades and costs of this year's sheet
            held = nodes[known[node.code]]
            nodes[known[node.code]] = replace(
                held,
                ratings=tuple(_union(held.ratings, node.ratings, _rating_key, counts)),
                costs=tuple(_union(held.costs, node.costs, _cost_key, counts)),
            )
    levels = list(stored.levels)
    levels += table.levels[len(levels) :]
    departments = list(stored.departments)
    have = {d.code for d in departments}
    departments += [d for d in table.departments if d.code not in have]
    sources = list(stored.sources)
    sources += [s for s in table.sources if s not in sources]
    plan = replace(
        stored,
        nodes=tuple(nodes),
        indicators=tuple(indicators),
        levels=tuple(levels),
        departments=tuple(departments),
        sources=tuple(sources),
        rating_scales=_scales(stored.rating_scales, table.rating_scales),
        costs=tuple(_union(stored.costs, table.costs, _cost_key, counts)),
    )
    changes = Changes(
        added=counts["added"],
        changed=counts["changed"],
        unchanged=counts["unchanged"],
        new_indicators=tuple(i.code for i in indicators[len(stored.indicators) :]),
        untouched_indicators=tuple(i.code for i in stored.indicators if i.code not in matched),
        codes=tuple(renamed),
    )
    return plan, changes, tuple(warnings)


def _merged(
    ours: domain.Indicator, theirs: domain.Indicator, counts: Counter, warnings: list[TableWarning]
) -> domain.Indicator:
    if theirs.unit and ours.unit and theirs.unit != ours.unit:
        warnings.append(TableWarning(theirs.observations[0].source if theirs.observations else "",
                                     f"{ours.code}: the table's unit {theirs.unit} is not the plan's ({ours.unit}): the plan's is kept",
                                     f"{ours.code}：表の単位{theirs.unit}が計画の単位（{ours.unit}）と異なります：計画の単位を使います"))  # fmt: skip
    texts = {name: getattr(theirs, name) or getattr(ours, name) for name in domain.DOCUMENTATION}
    return replace(
        ours,
        series=tuple(dict.fromkeys((*ours.series, *theirs.series))),
        observations=tuple(
            sorted(
                _union(ours.observations, theirs.observations, _obs_key, counts),
                key=lambda o: (o.series, o.fy),
            )
        ),
        targets=tuple(_union(ours.targets, theirs.targets, _target_key, counts)),
        baselines=tuple(_union(ours.baselines, theirs.baselines, _baseline_key, counts)),
        ratings=tuple(_union(ours.ratings, theirs.ratings, _rating_key, counts)),
        note=theirs.note or ours.note,
        category=theirs.category or ours.category,
        **texts,
    )


def _union(ours, theirs, key, counts: Counter) -> list:
    """Ours with theirs over them, by key: a new key is added, a same one replaced."""
    result = {key(x): x for x in ours}
    for x in theirs:
        held = result.get(key(x))
        if held is None:
            counts["added"] += 1
        elif _figure(held) != _figure(x):
            counts["changed"] += 1
        else:
            counts["unchanged"] += 1
        result[key(x)] = x
    return list(result.values())
