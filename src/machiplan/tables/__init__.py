"""Reading the tables cities keep their plans' progress in (進捗管理表, 成果指標一覧): pure Python.

A sheet (XLSX or CSV) becomes a ``Grid`` of cell texts with their addresses and merged ranges;
``detect`` proposes how to read it (a ``Mapping``: the header rows, what each column holds,
how the hierarchy is written), or ``locate`` places a mapping a person confirmed; ``build``
reads the rows into a ``domain.Plan``, with a warning for every cell it could not read and
every guess it made, with why. docs/import.md describes the layouts and the mapping file.
"""

from __future__ import annotations

from dataclasses import replace

from machiplan.domain.errors import MachiplanError

from .build import TableResult, build
from .detect import Layout, MappingGuess, TableWarning, detect, locate
from .grid import Grid, read_grid
from .mapping import (
    Mapping,
    PlanFacts,
    mapping_document,
    mapping_from_bytes,
    mapping_from_document,
    mapping_yaml,
    read_mapping,
)

__all__ = [
    "Grid",
    "Layout",
    "Mapping",
    "MappingGuess",
    "PlanFacts",
    "TableResult",
    "TableWarning",
    "build",
    "detect",
    "locate",
    "mapping_document",
    "mapping_from_bytes",
    "mapping_from_document",
    "mapping_yaml",
    "read_grid",
    "read_mapping",
    "read_table",
]


def read_table(
    data: bytes,
    name: str,
    *,
    mapping: Mapping | None = None,
    facts: PlanFacts | None = None,
    sheet: str | None = None,
    suggesting: bool = False,
) -> TableResult:
    """A table's plan: read with ``mapping`` when given (its columns found again by their headers),
    else as detected. ``facts`` (the command line's) win over the mapping's; ``sheet`` over its sheet.
    ``suggesting``: a mapping to correct is asked for, so what only a mapping can say (a grade column's
    year) is a warning, not a refusal."""
    wanted = sheet if sheet is not None else (mapping.sheet if mapping is not None else None)
    if not data.startswith(b"PK"):
        wanted = sheet  # a mapping made of a workbook, used on a CSV file: there are no sheets
    moved = None
    try:
        grid = read_grid(data, name, sheet=wanted)
    except MachiplanError as exc:
        if sheet is not None or wanted is None or not exc.message.startswith("no sheet named"):
            raise
        grid = read_grid(data, name)  # next year's workbook renamed its sheet: the first one
        moved = TableWarning(
            grid.where,
            f"no sheet {wanted!r} as the mapping says: the first sheet is read",
            f"対応表にあるシート{wanted!r}がありません：最初のシートを読み込みます",
        )
    layout = locate(grid, mapping) if mapping is not None else detect(grid)
    result = build(grid, layout, facts or PlanFacts(), suggesting=suggesting)
    if moved is not None:
        result = replace(result, warnings=(moved, *result.warnings))
    return result
