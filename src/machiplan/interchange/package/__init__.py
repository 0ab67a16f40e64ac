"""Plan packages: a folder of human-readable files that holds one whole plan.

    plan.yaml         the plan, its levels and nodes (any depth), higher plans, departments,
                      rating scales and revisions
    indicators.csv    one row per indicator (its nodes, definition, life across revisions)
    observations.csv  one row per indicator, series and year
    targets.csv       one row per target (horizon, kind, year, series, revision)
    baselines.csv     the indicators' own baselines (初期値, 基準値 …)
    ratings.csv       the city's own ratings of indicators and nodes
    comments.csv      what the internal review, the committee and the council said
    costs.csv         money per node: 事業費, 一般財源, 事業数

Every error names the file and the line or field, and reading is all or nothing: a
package either becomes a whole ``Plan`` or raises ``MachiplanError``. Format 1 packages
(goals and policies) are read unchanged; ``write_package`` writes format 2.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from ...domain.collection import long_lived_objects_made
from ...domain.errors import MachiplanError
from ...domain.plan import Indicator, Plan
from ...domain.validation import PlanWarning, check_plan
from . import tables
from .document import PLAN_FILE, SCHEMA, SCHEMA_1, Header, dump_yaml, header_document, read_header, slug
from .tables import (
    BASELINE_COLUMNS,
    BASELINES_FILE,
    COMMENT_COLUMNS,
    COMMENTS_FILE,
    COST_COLUMNS,
    COSTS_FILE,
    INDICATOR_COLUMNS,
    INDICATORS_FILE,
    OBSERVATION_COLUMNS,
    OBSERVATIONS_FILE,
    RATING_COLUMNS,
    RATINGS_FILE,
    TALLIES_FILE,
    TALLY_COLUMNS,
    TARGET_COLUMNS,
    TARGETS_FILE,
)

__all__ = [
    "INDICATOR_COLUMNS",
    "OBSERVATION_COLUMNS",
    "PACKAGE_FILES",
    "SCHEMA",
    "TARGET_COLUMNS",
    "PackageResult",
    "read_package",
    "read_package_result",
    "write_package",
]

# Every file a package may hold: an export over an older package removes those it does not write.
PACKAGE_FILES = (PLAN_FILE, *tables.COLUMNS)


@dataclass(frozen=True, slots=True)
class PackageResult:
    plan: Plan
    warnings: tuple[PlanWarning, ...] = ()


def read_package(directory: str | Path) -> Plan:
    """Read and check a whole package; raise ``MachiplanError`` naming the first problem."""
    return read_package_result(directory).plan


def read_package_result(directory: str | Path, *, check: bool = True) -> PackageResult:
    """The package's plan, checked by the rules every way in keeps, with what they only warn about.

    ``check=False``: read only, with what reading warns about; the caller checks the plan by those
    rules itself (``check_plan``) before anything of it is kept, as ``load`` does beside storing it
    (``plan_load``'s ``checked``)."""
    with long_lived_objects_made():  # millions of small acyclic objects (domain/collection.py)
        return _read_package_result(Path(directory), check)


def _read_package_result(root: Path, check: bool) -> PackageResult:
    if not root.is_dir():
        if root.exists():  # a file named where the folder is meant (a backup, a zip of a package)
            raise MachiplanError(
                "not a folder: a plan package is a folder holding plan.yaml", where=str(root)
            )
        raise MachiplanError("no such plan package folder", where=str(root))
    if not (root / PLAN_FILE).is_file():
        raise MachiplanError(f"not a plan package: {PLAN_FILE} is missing", where=str(root))
    header = read_header(root)
    subjects = _subject_rows(root, header)
    warnings: list[PlanWarning] = []
    indicators = _read_indicators(root, header, subjects, warnings)
    nodes = tuple(
        replace(
            n,
            ratings=subjects.get(("ratings", "node", n.code), ()),
            comments=subjects.get(("comments", "node", n.code), ()),
            costs=subjects.get(("costs", "node", n.code), ()),
            tallies=subjects.get(("tallies", "node", n.code), ()),
        )
        for n in header.nodes
    )
    plan = Plan(
        code=header.code,
        title=header.title,
        title_en=header.title_en,
        municipality=header.municipality,
        start_fy=header.start_fy,
        end_fy=header.end_fy,
        evaluation_fy=header.evaluation_fy,
        method=header.method,
        higher_plans=header.higher_plans,
        departments=header.departments,
        department=header.department,
        levels=header.levels,
        nodes=nodes,
        indicators=indicators,
        rating_scales=header.rating_scales,
        revisions=header.revisions,
        parent_plan=header.parent_plan,
        predecessor=header.predecessor,
        description=header.description,
        sources=header.sources,
        ratings=subjects.get(("ratings", "plan", ""), ()),
        comments=subjects.get(("comments", "plan", ""), ()),
        costs=subjects.get(("costs", "plan", ""), ()),
        tallies=subjects.get(("tallies", "plan", ""), ()),
    )
    if check:
        warnings.extend(check_plan(plan))
    return PackageResult(plan, tuple(warnings))


def _read_indicators(
    root: Path, header: Header, subjects: dict, warnings: list[PlanWarning]
) -> tuple[Indicator, ...]:
    v1 = header.schema == SCHEMA_1
    codes = {n.code for n in header.nodes}
    horizons = {"plan"} | {h.horizon for h in header.higher_plans}
    departments = {d.code for d in header.departments}
    revisions = {r.code for r in header.revisions}

    observations: dict[str, list] = defaultdict(list)
    for code, observation in tables.read_figures(root, OBSERVATIONS_FILE):
        observations[code].append(observation)
    if not observations:
        warnings.append(PlanWarning(OBSERVATIONS_FILE, "no figures: the plan has no observations", "数値がありません：この計画には実績値が一件もありません"))  # fmt: skip
    targets: dict[str, list] = defaultdict(list)
    for code, target in tables.read_figures(root, TARGETS_FILE):
        if target.horizon not in horizons:
            raise MachiplanError(
                f"unknown horizon {target.horizon!r}: declare it under higher_plans in {PLAN_FILE}",
                where=target.source,
            )
        if target.revision is not None and target.revision not in revisions:
            raise MachiplanError(f"revision {target.revision!r} is not in {PLAN_FILE}", where=target.source)
        targets[code].append(target)
    baselines: dict[str, list] = defaultdict(list)
    for code, baseline in tables.read_figures(root, BASELINES_FILE):
        if baseline.revision is not None and baseline.revision not in revisions:
            raise MachiplanError(
                f"revision {baseline.revision!r} is not in {PLAN_FILE}", where=baseline.source
            )
        baselines[code].append(baseline)

    found: list[Indicator] = []
    seen: set[str] = set()
    columns = tables.V1_INDICATOR_COLUMNS if v1 else INDICATOR_COLUMNS
    pending = []
    for place, row in tables.rows(root, INDICATORS_FILE, columns=columns):
        code = slug(row.get("code", ""), place)
        if code in seen:
            raise MachiplanError(f"indicator code {code} appears twice", where=place)
        seen.add(code)
        fields = tables.read_indicator_fields(row, place)
        if v1:
            goal = tables.cells.required_text(row, "goal", place)
            nodes: tuple[str, ...] = (goal,)
        else:
            nodes = tables.cells.split_list(row.get("nodes", ""))
        for node in nodes:
            if node not in codes:
                what = "goal" if v1 else "node"
                raise MachiplanError(f"{what} {node} is not in {PLAN_FILE}", where=place)
        for dept in (fields["department"], *fields["related_departments"]):
            if dept is not None and dept not in departments:
                raise MachiplanError(f"department {dept!r} is not in {PLAN_FILE}", where=place)
        for key in ("added_in", "dropped_in"):
            if fields[key] is not None and fields[key] not in revisions:
                raise MachiplanError(f"{key}: revision {fields[key]!r} is not in {PLAN_FILE}", where=place)
        pending.append((code, nodes, fields))
    for (what, kind, code), _ in subjects.items():
        if kind == "indicator" and code not in seen:
            file = RATINGS_FILE if what == "ratings" else COMMENTS_FILE
            raise MachiplanError(f"indicator {code!r} is not in {INDICATORS_FILE}", where=file)
    for code, nodes, fields in pending:
        found.append(
            Indicator(
                **{**fields, "code": code},
                nodes=nodes,
                baselines=tuple(baselines.pop(code, ())),
                observations=_in_series_order(observations.pop(code, ()), fields["series"]),
                targets=tuple(targets.pop(code, ())),
                ratings=subjects.get(("ratings", "indicator", code), ()),
                comments=subjects.get(("comments", "indicator", code), ()),
            )
        )
    for leftovers, name in (
        (observations, OBSERVATIONS_FILE),
        (targets, TARGETS_FILE),
        (baselines, BASELINES_FILE),
    ):
        if leftovers:
            code = next(iter(leftovers))
            raise MachiplanError(f"indicator {code!r} is not in {INDICATORS_FILE}", where=name)
    return tuple(found)


def _in_series_order(observations, series: tuple[str, ...]) -> tuple:
    """The headline's years first, then each named series' in the order the indicator lists them."""
    rank = {name: n for n, name in enumerate(("", *series))}
    return tuple(sorted(observations, key=lambda o: (rank.get(o.series, len(rank)), o.series, o.fy)))


def _subject_rows(root: Path, header: Header) -> dict[tuple[str, str, str], tuple]:
    """Ratings and comments (of an indicator, a node, or with neither the whole plan), costs and
    tallies (of a node, or the plan), keyed by (what, 'indicator' | 'node' | 'plan', code)."""
    nodes = {n.code for n in header.nodes}
    scales = {s.key: s for s in header.rating_scales}
    found: dict[tuple[str, str, str], list] = defaultdict(list)
    for what, file, reader in (
        ("ratings", RATINGS_FILE, tables.read_rating),
        ("comments", COMMENTS_FILE, tables.read_comment),
        ("costs", COSTS_FILE, tables.read_cost),
        ("tallies", TALLIES_FILE, tables.read_tally),
    ):
        for place, row in tables.rows(root, file):
            indicator, node = row.get("indicator", ""), row.get("node", "")
            if indicator and node:
                raise MachiplanError(
                    "name one of 'indicator' and 'node', or neither for the whole plan", where=place
                )
            if node and node not in nodes:
                raise MachiplanError(f"node {node!r} is not in {PLAN_FILE}", where=place)
            item = reader(row, place)
            if what in ("ratings", "tallies"):
                scale = scales.get(item.scale)
                if scale is None:
                    raise MachiplanError(f"rating scale {item.scale!r} is not in {PLAN_FILE}", where=place)
                if scale.grade(item.grade) is None:
                    known = ", ".join(g.code for g in scale.grades)
                    raise MachiplanError(
                        f"grade {item.grade!r} is not on scale {scale.key} ({known})", where=place
                    )
            kind, code = ("indicator", indicator) if indicator else ("node", node) if node else ("plan", "")
            found[(what, kind, code)].append(item)
    return {key: tuple(items) for key, items in found.items()}


def write_package(plan: Plan, directory: str | Path) -> Path:
    """Write ``plan`` as a format 2 package; ``read_package`` reads it back to an equal plan."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    (root / PLAN_FILE).write_text(dump_yaml(header_document(plan)), encoding="utf-8")
    tables.write_csv(
        root / INDICATORS_FILE, INDICATOR_COLUMNS, (tables.indicator_cells(i) for i in plan.indicators)
    )
    tables.write_csv(
        root / OBSERVATIONS_FILE,
        OBSERVATION_COLUMNS,
        (
            [i.code, *tables.field_cells(tables.figures.FIGURE_FIELDS, o), o.source_text]
            for i in plan.indicators
            for o in i.observations
        ),
    )
    tables.write_csv(
        root / TARGETS_FILE,
        TARGET_COLUMNS,
        (
            [i.code, *tables.field_cells(tables.figures.TARGET_FIELDS, t)]
            for i in plan.indicators
            for t in i.targets
        ),
    )
    optional = (
        (
            BASELINES_FILE,
            BASELINE_COLUMNS,
            [
                [i.code, *tables.field_cells(tables.figures.BASELINE_FIELDS, b)]
                for i in plan.indicators
                for b in i.baselines
            ],
        ),
        (
            RATINGS_FILE,
            RATING_COLUMNS,
            [tables.rating_cells("", "", r) for r in plan.ratings]
            + [tables.rating_cells("", n.code, r) for n in plan.nodes for r in n.ratings]
            + [tables.rating_cells(i.code, "", r) for i in plan.indicators for r in i.ratings],
        ),
        (
            COMMENTS_FILE,
            COMMENT_COLUMNS,
            [tables.comment_cells("", "", c) for c in plan.comments]
            + [tables.comment_cells("", n.code, c) for n in plan.nodes for c in n.comments]
            + [tables.comment_cells(i.code, "", c) for i in plan.indicators for c in i.comments],
        ),
        (
            COSTS_FILE,
            COST_COLUMNS,
            [tables.cost_cells("", c) for c in plan.costs]
            + [tables.cost_cells(n.code, c) for n in plan.nodes for c in n.costs],
        ),
        (
            TALLIES_FILE,
            TALLY_COLUMNS,
            [tables.tally_cells("", t) for t in plan.tallies]
            + [tables.tally_cells(n.code, t) for n in plan.nodes for t in n.tallies],
        ),
    )
    for name, header, table in optional:
        path = root / name
        if table:
            tables.write_csv(path, header, table)
        elif path.exists():
            path.unlink()  # a package written over an older one says nothing it no longer holds
    return root
