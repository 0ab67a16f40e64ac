"""The CSV files of a plan package: one row per indicator, figure, target, baseline, rating,
comment and cost. Columns of figures, targets and baselines are ``domain.figures``'s."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from ...domain import figures
from ...domain.errors import MachiplanError
from ...domain.frozen import frozen_builder
from ...domain.plan import (
    COMMENT_BODIES,
    COST_BASES,
    COST_UNITS,
    DIRECTIONS,
    DOCUMENTATION,
    INDICATOR_TYPES,
    MEASURES,
    PER,
    VALUE_TYPES,
    Baseline,
    Comment,
    Cost,
    Observation,
    Rating,
    Tally,
    Target,
)
from .. import cells, files

INDICATORS_FILE = "indicators.csv"
OBSERVATIONS_FILE = "observations.csv"
TARGETS_FILE = "targets.csv"
BASELINES_FILE = "baselines.csv"
RATINGS_FILE = "ratings.csv"
COMMENTS_FILE = "comments.csv"
COSTS_FILE = "costs.csv"
TALLIES_FILE = "tallies.csv"

T = TypeVar("T")

INDICATOR_COLUMNS = (
    "code",
    "nodes",
    "category",
    "name",
    "name_en",
    "type",
    "unit",
    "per",
    "direction",
    "measure",
    "value_type",
    "survey",
    "reference",
    "department",
    "related_departments",
    "note",
    *DOCUMENTATION,  # the indicator's documentation fields, in the order documents give them
    "added_in",
    "dropped_in",
    "carried_from",
    "series",
)
OBSERVATION_COLUMNS = ("indicator", *(f.name for f in figures.FIGURE_FIELDS), "source_text")
TARGET_COLUMNS = ("indicator", *(f.name for f in figures.TARGET_FIELDS))
BASELINE_COLUMNS = ("indicator", *(f.name for f in figures.BASELINE_FIELDS))
RATING_COLUMNS = ("indicator", "node", "fy", "scale", "grade", "note")
COMMENT_COLUMNS = ("indicator", "node", "fy", "body", "body_name", "date", "text")
TALLY_COLUMNS = ("node", "fy", "scale", "grade", "count", "note")
COST_COLUMNS = (
    "node",
    "start_fy",
    "end_fy",
    "basis",
    "label",
    "account",
    "unit",
    "amount",
    "general_revenue",
    "projects",
    "source_text",
)

# The columns a file must have; any other known column may be left out and takes its default.
REQUIRED = {
    INDICATORS_FILE: ("code", "name"),
    OBSERVATIONS_FILE: ("indicator", "fy", "kind"),
    TARGETS_FILE: ("indicator", "horizon", "fy"),
    BASELINES_FILE: ("indicator",),
    RATINGS_FILE: ("fy", "scale", "grade"),
    COMMENTS_FILE: ("fy", "body", "text"),
    COSTS_FILE: ("start_fy", "basis"),
    TALLIES_FILE: ("fy", "scale", "grade", "count"),
}
COLUMNS = {
    INDICATORS_FILE: INDICATOR_COLUMNS,
    OBSERVATIONS_FILE: OBSERVATION_COLUMNS,
    TARGETS_FILE: TARGET_COLUMNS,
    BASELINES_FILE: BASELINE_COLUMNS,
    RATINGS_FILE: RATING_COLUMNS,
    COMMENTS_FILE: COMMENT_COLUMNS,
    COSTS_FILE: COST_COLUMNS,
    TALLIES_FILE: TALLY_COLUMNS,
}
# format 1 wrote the indicator's goal where format 2 writes its nodes
V1_INDICATOR_COLUMNS = tuple(c if c != "nodes" else "goal" for c in INDICATOR_COLUMNS)


def rows(
    root: Path, name: str, *, columns: tuple[str, ...] | None = None
) -> Iterator[tuple[str, dict[str, str]]]:
    """Rows of a package CSV with their place ('observations.csv:12'); the header is checked."""
    return read_rows(root, name, _by_name, columns=columns)


def _by_name(header: list[str]) -> Callable[[list[str], str], tuple[str, dict[str, str]]]:
    return lambda row, place: (place, dict(zip(header, row, strict=True)))


def read_rows(
    root: Path,
    name: str,
    reader: Callable[[list[str]], Callable[[list[str], str], T]],
    *,
    columns: tuple[str, ...] | None = None,
) -> Iterator[T]:
    """Each row of a package CSV as ``reader(header)`` reads it (its cells, its place); the header
    is checked first. ``reader`` sees the header once, so that a row's cells can be found by their
    position rather than through a mapping made for each of a package's million rows."""
    path = root / name
    if not path.exists():
        return
    known = columns or COLUMNS[name]
    lines = None
    try:
        stream = files.open_user_file(path, files.MAX_PACKAGE_FILE_BYTES)  # a regular file, bounded
        with io.TextIOWrapper(stream, encoding="utf-8-sig", newline="") as handle:
            lines = csv.reader(handle)
            header = next(lines, None)
            if header is None:
                return
            header = [h.strip() for h in header]
            repeated = sorted({h for h in header if header.count(h) > 1})
            if repeated:
                raise MachiplanError(f"column(s) appear twice: {', '.join(repeated)}", where=f"{name}:1")
            missing = [c for c in REQUIRED[name] if c not in header]
            if missing:
                raise MachiplanError(f"missing column(s): {', '.join(missing)}", where=f"{name}:1")
            unknown = [h for h in header if h not in known]
            if unknown:
                raise MachiplanError(f"unknown column(s): {', '.join(unknown)}", where=f"{name}:1")
            read = reader(header)
            width = len(header)
            for line in lines:
                cells_ = [cell.strip() for cell in line]
                if not any(cells_):
                    continue
                place = f"{name}:{lines.line_num}"
                if len(cells_) != width:
                    raise MachiplanError(f"has {len(cells_)} cells, the header has {width}", where=place)
                yield read(cells_, place)
    except UnicodeDecodeError as exc:
        raise MachiplanError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", where=name) from None
    except csv.Error as exc:  # at the line the reader stopped on
        where = f"{name}:{lines.line_num}" if lines is not None else name
        raise MachiplanError(f"not valid CSV: {cells.csv_problem(exc)}", where=where) from None
    except OSError as exc:
        raise MachiplanError(f"cannot read: {exc.strerror}", where=name) from None


_REQUIRED = object()  # a field whose empty cell is an error: always read


def _readers(specs: tuple[figures.Field, ...]) -> tuple[tuple[str, Any, Any], ...]:
    """Each field's name, reader, and what its reader makes of an empty cell (most of a figure's
    cells are empty: read once here, not once per row)."""
    found = []
    for spec in specs:
        read = cells.cell_reader(spec)
        try:
            empty = read("", "")
        except MachiplanError:
            empty = _REQUIRED
        found.append((spec.name, read, empty))
    return tuple(found)


# The figures of each figure file: their fields (every column but 'indicator'), and what they make.
FIGURES = {
    OBSERVATIONS_FILE: ((*figures.FIGURE_FIELDS, figures.SOURCE_TEXT), Observation),
    TARGETS_FILE: (figures.TARGET_FIELDS, Target),
    BASELINES_FILE: (figures.BASELINE_FIELDS, Baseline),
}
_FIGURE_READERS = {name: (_readers(specs), make) for name, (specs, make) in FIGURES.items()}


def read_figures(root: Path, name: str) -> Iterator[tuple[str, Any]]:
    """The figures of a figure file (observations, targets, baselines), each with its indicator's code."""
    readers, cls = _FIGURE_READERS[name]
    slot = {f.name: n for n, f in enumerate(dataclasses.fields(cls))}
    make = frozen_builder(cls, list(slot))  # the figure its __init__ makes, in half the time

    def reader(header: list[str]) -> Callable[[list[str], str], tuple[str, Any]]:
        """A row's reader for this header, compiled once (a package has a million figures): each
        field's cell read in the order of ``readers`` (so that of two bad cells the same one is said
        first), an empty cell given what its reader makes of it without a call. A required field's
        column is a required column of its file; any other absent column is every row's empty cell.
        Only positions and the names of the fields (never a cell) go into the source."""
        at = {column: n for n, column in enumerate(header)}
        namespace: dict[str, Any] = {"_make": make}
        arguments = {"source": "place"}
        lines = []
        for n, (field, read, empty) in enumerate(readers):
            namespace[f"_read_{n}"], namespace[f"_empty_{n}"] = read, empty
            if field not in at:
                arguments[field] = f"_empty_{n}"
                continue
            cell = f"row[{at[field]}]"
            value = f"_read_{n}({cell}, place)"
            if empty is not _REQUIRED:
                value = f"{value} if {cell} else _empty_{n}"
            lines.append(f"    v{n} = {value}\n")
            arguments[field] = f"v{n}"
        exec(
            "def read_row(row, place):\n"
            + "".join(lines)
            + f"    return row[{at['indicator']}], _make({', '.join(arguments.get(f, 'None') for f in slot)})\n",
            namespace,
        )
        return namespace["read_row"]

    return read_rows(root, name, reader)


def read_indicator_fields(row: dict[str, str], place: str) -> dict[str, Any]:
    """The indicator's own fields (not its nodes, figures, ratings or comments)."""
    name = cells.required_text(row, "name", place)
    return {
        "code": cells.text(row, "code"),
        "name": name,
        "category": cells.text(row, "category"),
        "name_en": cells.text(row, "name_en") or None,
        "type": cells.optional_choice(row, "type", place, INDICATOR_TYPES),
        "unit": cells.text(row, "unit") or None,
        "per": cells.optional_choice(row, "per", place, PER),
        "direction": cells.choice(row, "direction", place, DIRECTIONS, "increase"),
        "measure": cells.choice(row, "measure", place, MEASURES, "level"),
        "value_type": cells.choice(row, "value_type", place, VALUE_TYPES, "number"),
        "survey": cells.flag(row, "survey", place),
        "reference": cells.flag(row, "reference", place),
        "department": cells.text(row, "department") or None,
        "related_departments": cells.split_list(cells.text(row, "related_departments")),
        "note": cells.text(row, "note") or None,
        "definition": cells.text(row, "definition"),
        "calculation": cells.text(row, "calculation"),
        "data_source": cells.text(row, "data_source"),
        "confirmed_when": cells.text(row, "confirmed_when"),
        "target_rationale": cells.text(row, "target_rationale"),
        "selection_rationale": cells.text(row, "selection_rationale"),
        "added_in": cells.text(row, "added_in") or None,
        "dropped_in": cells.text(row, "dropped_in") or None,
        "carried_from": cells.text(row, "carried_from") or None,
        "series": cells.split_list(cells.text(row, "series")),
    }


def read_rating(row: dict[str, str], place: str) -> Rating:
    return Rating(
        fy=cells.required_int(row, "fy", place),
        scale=cells.required_text(row, "scale", place),
        grade=cells.required_text(row, "grade", place),
        note=cells.text(row, "note"),
        source=place,
    )


def read_comment(row: dict[str, str], place: str) -> Comment:
    return Comment(
        fy=cells.required_int(row, "fy", place),
        body=cells.choice(row, "body", place, COMMENT_BODIES, ""),
        text=cells.required_text(row, "text", place),
        body_name=cells.text(row, "body_name"),
        date=cells.optional_date(row, "date", place),
        source=place,
    )


def read_tally(row: dict[str, str], place: str) -> Tally:
    count = cells.required_int(row, "count", place)
    if count < 0:
        raise MachiplanError("'count' must not be negative", where=place)
    return Tally(
        fy=cells.required_int(row, "fy", place),
        scale=cells.required_text(row, "scale", place),
        grade=cells.required_text(row, "grade", place),
        count=count,
        note=cells.text(row, "note"),
        source=place,
    )


def tally_cells(node: str, t: Tally) -> list[Any]:
    return [node, t.fy, t.scale, t.grade, t.count, t.note]


def read_cost(row: dict[str, str], place: str) -> Cost:
    start = cells.required_int(row, "start_fy", place)
    end = cells.optional_int(row, "end_fy", place)
    if end is not None and end < start:
        raise MachiplanError("end_fy is before start_fy", where=place)
    projects = cells.optional_int(row, "projects", place)
    if projects is not None and projects < 0:
        raise MachiplanError("'projects' must not be negative", where=place)
    return Cost(
        start_fy=start,
        end_fy=start if end is None else end,
        basis=cells.choice(row, "basis", place, COST_BASES, ""),
        amount=cells.optional_decimal(row, "amount", place),
        general_revenue=cells.optional_decimal(row, "general_revenue", place),
        projects=projects,
        unit=cells.choice(row, "unit", place, tuple(COST_UNITS), "円"),
        account=cells.text(row, "account"),
        label=cells.text(row, "label"),
        source_text=cells.text(row, "source_text"),
        source=place,
    )


# --- writing ---------------------------------------------------------------------------------


def write_csv(path: Path, header: tuple[str, ...], table: Iterable[Iterable[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        # With '\n' line ends, a lone '\r' in a cell is left unquoted, and a reader takes it for a
        # line break: such a (rare) row is written with every cell quoted.
        quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        for row in table:
            row = list(row)
            (quoted if any("\r" in cell for cell in row if isinstance(cell, str)) else writer).writerow(row)


def field_cells(specs: tuple[figures.Field, ...], item: Any) -> list[str]:
    return [cells.write_field(spec, getattr(item, spec.name)) for spec in specs]


def indicator_cells(i: Any) -> list[str]:
    return [
        i.code,
        cells.join_list(i.nodes),
        i.category,
        i.name,
        i.name_en or "",
        i.type or "",
        i.unit or "",
        i.per or "",
        i.direction,
        i.measure,
        i.value_type,
        cells.flag_text(i.survey),
        cells.flag_text(i.reference),
        i.department or "",
        cells.join_list(i.related_departments),
        i.note or "",
        i.definition,
        i.calculation,
        i.data_source,
        i.confirmed_when,
        i.target_rationale,
        i.selection_rationale,
        i.added_in or "",
        i.dropped_in or "",
        i.carried_from or "",
        cells.join_list(i.series),
    ]


def rating_cells(indicator: str, node: str, r: Rating) -> list[Any]:
    return [indicator, node, r.fy, r.scale, r.grade, r.note]


def comment_cells(indicator: str, node: str, c: Comment) -> list[Any]:
    return [indicator, node, c.fy, c.body, c.body_name, c.date.isoformat() if c.date else "", c.text]


def cost_cells(node: str, c: Cost) -> list[Any]:
    return [
        node,
        c.start_fy,
        c.end_fy,
        c.basis,
        c.label,
        c.account,
        c.unit,
        cells.number_text(c.amount),
        cells.number_text(c.general_revenue),
        "" if c.projects is None else c.projects,
        c.source_text,
    ]
