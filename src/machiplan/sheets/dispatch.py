"""Which reader reads a document: every reader tries, the one that placed the most facts wins.

A reader that finds nothing of its layout refuses (``MachiplanError``); the others' plans are
scored by the facts they hold (nodes, indicators, figures, targets, ratings, tallies, costs).
The result says which reader won, with every reader's score, so the choice is shown.

Then the rules every plan keeps (``check_plan``): a figure they refuse in one cell is left
out with a warning naming its line, rather than the whole document refused; what is wrong
with the plan as a whole (its period, its code) is still one error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from machiplan.domain.errors import MachiplanError
from machiplan.domain.plan import Indicator, Plan
from machiplan.domain.validation import check_plan
from machiplan.interchange.files import MAX_SHEET_BYTES, display_name, read_user_file

from . import dataset, form, kpi_sheet, outline
from .build import facts
from .common import LAYOUTS, SheetOptions, SheetResult, SheetWarning, StructureGuess
from .encoding import decode
from .reader import read_sheet

Reader = Callable[..., SheetResult]
READERS: tuple[tuple[str, Reader], ...] = (
    ("sapporo", read_sheet),
    ("dataset", dataset.read_dataset),
    ("kpi_sheet", kpi_sheet.read_kpi_sheets),
    ("form", form.read_form),
    ("outline", outline.read_outline),
)
MAX_DROPPED = 100  # cells left out one by one; past this the document is refused as it stands


def read_document(
    text: str, *, source: str = "document.txt", options: SheetOptions | None = None
) -> SheetResult:
    """The best reading of a document by any reader, its plan within the rules every plan keeps."""
    options = options or SheetOptions()
    results: list[tuple[int, int, str, SheetResult]] = []
    refusals: list[tuple[str, str]] = []
    for order, (name, reader) in enumerate(READERS):
        try:
            result = reader(text, source=source, options=options)
        except MachiplanError as exc:
            refusals.append((name, exc.message))
            continue
        score = facts(result)
        if name == "sapporo" and score:
            score += 1_000_000  # a sheet of the family is read exactly by its own reader
        results.append((score, -order, name, result))
    if not results or max(r[0] for r in results) == 0:
        sapporo = next((m for n, m in refusals if n == "sapporo"), "")
        why = sapporo or "nothing of a plan found"
        raise MachiplanError(
            f"not a progress sheet or plan document that machiplan can read: {why}", where=source
        )
    results.sort(key=lambda r: (r[0], r[1]), reverse=True)
    score, _, name, best = results[0]
    scores = tuple(
        (n, s if n != "sapporo" else s - 1_000_000 if s >= 1_000_000 else s) for s, _, n, _ in results
    )
    scores += tuple((n, f"refused: {m}") for n, m in refusals)
    ja, en = LAYOUTS[name]
    others = ", ".join(f"{n} {s}" for n, s in scores[1:] if isinstance(s, int))
    layout = StructureGuess(
        "layout", name, f"{ja}として読んだ（事実 {scores[0][1]} 件; 他の読み方: {others or 'なし'}）",
        f"read as {en} ({scores[0][1]} facts; other readers: {others or 'none'})",
    )  # fmt: skip
    best = replace(best, layout=name, scores=scores,
                   structure=best.structure if name == "sapporo" else (layout, *best.structure))  # fmt: skip
    if name == "sapporo":
        best = replace(best, structure=(layout,))
    return within_rules(best, source)


def within_rules(result: SheetResult, source: str) -> SheetResult:
    """The plan, less the cells ``check_plan`` refuses, each said as a warning naming its line."""
    plan = result.plan
    warnings = list(result.warnings)
    for _ in range(MAX_DROPPED):
        try:
            check_plan(plan)
            break
        except MachiplanError as exc:
            where = exc.where or ""
            dropped = _drop(plan, where, exc.message)
            if dropped is None:
                raise
            plan = dropped
            line = where.rpartition(":")[2]
            warnings.append(SheetWarning(
                int(line) if line.isdigit() else None,
                f"{exc.message}: left out",
                f"計画の決まりに合わないため除きました（{exc.message}）",
            ))  # fmt: skip
    else:
        check_plan(plan)
    return replace(result, plan=plan, warnings=tuple(warnings))


def _drop(plan: Plan, where: str, message: str) -> Plan | None:
    """The plan without the figures of ``where`` that the message is about, or None if none is."""
    if not where or not re.search(r":\d+$", where):
        return None
    m = re.match(r"^(?P<code>\S+) FY(?P<fy>-?\d+):", message)
    code = m["code"] if m else None
    changed = False
    indicators: list[Indicator] = []
    for ind in plan.indicators:
        if code is not None and ind.code != code:
            indicators.append(ind)
            continue
        kept = {}
        for name in ("observations", "targets", "baselines", "ratings"):
            items = getattr(ind, name)
            keep = tuple(x for x in items if x.source != where)
            if len(keep) != len(items):
                changed = True
            kept[name] = keep
        indicators.append(replace(ind, **kept))
    nodes = []
    for node in plan.nodes:
        kept = {}
        for name in ("ratings", "tallies", "costs"):
            items = getattr(node, name)
            keep = tuple(x for x in items if x.source != where)
            changed = changed or len(keep) != len(items)
            kept[name] = keep
        nodes.append(replace(node, **kept))
    plan_kept = {}
    for name in ("ratings", "tallies", "costs"):
        items = getattr(plan, name)
        keep = tuple(x for x in items if x.source != where)
        changed = changed or len(keep) != len(items)
        plan_kept[name] = keep
    if not changed:
        return None
    return replace(plan, indicators=tuple(indicators), nodes=tuple(nodes), **plan_kept)


def read_document_file(path: str | Path, *, options: SheetOptions | None = None) -> SheetResult:
    """A document a user names: a regular file of at most ``MAX_SHEET_BYTES``, in any of the encodings."""
    data = read_user_file(path, MAX_SHEET_BYTES)
    name = display_name(path)  # the provenance of every figure: 'document.txt:12'
    text, encoding = decode(data, name=name)
    result = read_document(text, source=name, options=options)
    return replace(result, encoding=encoding)
