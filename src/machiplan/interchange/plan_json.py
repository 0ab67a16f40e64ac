"""The plan JSON: a public contract (docs/plan-json.md). Fields may be added, never renamed.

``evaluate --json``, ``import-sheet --json``, the API and the report's ``plan.json``
all print this shape. Version 2 (``machiplan/plan@2``) adds the hierarchy of nodes of
any depth and everything the general plan model holds; it keeps every field of
version 1, so a reader of version 1 reads a Sapporo-shaped plan as before: ``goals``
are the top nodes (with ``policies`` their children) and an indicator's ``goal`` is
its home node's top node.
"""

from __future__ import annotations

import codecs
import io
import itertools
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

import orjson

from ..domain import figures
from ..domain.apart import abandon, begun_apart
from ..domain.collection import cycle_collection_paused
from ..domain.evaluation import Evaluation, Judgement, PlanEvaluation, SeriesEvaluation
from ..domain.explain import explain
from ..domain.plan import Comment, Cost, Indicator, Node, Plan, Rating, Tally

SCHEMA = "machiplan/plan@2"

Each = Callable[[Iterator[dict[str, Any]], int], Iterator[dict[str, Any]]]
"""A wrapper of the iterator of the indicators' objects a process writes, given how many there
are (a progress bar)."""


def encode(value: Any, *, indent: int | None = 2) -> bytes:
    """JSON as UTF-8 bytes, as ``json.dumps(value, ensure_ascii=False, indent=indent)`` writes it, by
    orjson (ten times faster: the standard library falls back to its pure-Python encoder when
    indenting). Compact (``indent=None``) is orjson's: no space after ``,`` and ``:``. An integer
    beyond 64 bits, which orjson refuses, goes through the standard library."""
    if indent not in (None, 2):
        return json.dumps(value, ensure_ascii=False, indent=indent).encode()
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0)
    except orjson.JSONEncodeError:
        separators = (",", ":") if indent is None else None
        return json.dumps(value, ensure_ascii=False, indent=indent, separators=separators).encode()


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: 2280 stays an integer, 32.4 a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def plan_json(plan: Plan, evaluation: PlanEvaluation | None = None) -> dict[str, Any]:
    head, items, status_counts = plan_json_parts(plan, evaluation)
    document = {**head, "indicators": list(items)}
    if status_counts is not None:
        document["status_counts"] = status_counts
    return document


def _head(plan: Plan, evaluation: PlanEvaluation | None) -> dict[str, Any]:
    """Every key of the document before ``indicators``, in order."""
    return {
        "schema": SCHEMA,
        "plan": {
            "code": plan.code,
            "title": plan.title,
            "title_en": plan.title_en,
            "municipality": {"name": plan.municipality.name, "code": plan.municipality.code},
            "start_fy": plan.start_fy,
            "end_fy": plan.end_fy,
            "higher_plans": [
                {
                    "horizon": h.horizon,
                    "label": h.label,
                    "title": h.title,
                    "start_fy": h.start_fy,
                    "end_fy": h.end_fy,
                    "description": h.description,
                }
                for h in plan.higher_plans
            ],
            "departments": [{"code": d.code, "name": d.name} for d in plan.departments],
            "department": plan.department,
            "levels": [
                {"depth": n, "name": lv.name, "name_en": lv.name_en} for n, lv in enumerate(plan.levels)
            ],
            "rating_scales": [s.as_dict() for s in plan.rating_scales],
            "revisions": [
                {
                    "code": r.code,
                    "fy": r.fy,
                    "title": r.title,
                    "date": r.date.isoformat() if r.date else None,
                    "reason": r.reason,
                    "changes": list(r.changes),
                }
                for r in plan.revisions
            ],
            "parent_plan": plan.parent_plan,
            "predecessor": plan.predecessor,
            "description": plan.description or None,
            "sources": [
                {
                    "title": x.title,
                    "url": x.url or None,
                    "date": x.date.isoformat() if x.date else None,
                    "note": x.note or None,
                }
                for x in plan.sources
            ],
            "ratings": [_rating(r) for r in plan.ratings],
            "comments": [_comment(c) for c in plan.comments],
            "costs": [_cost(c) for c in plan.costs],
            "tallies": [_tally(t) for t in plan.tallies],
        },
        "evaluation_fy": evaluation.evaluation_fy if evaluation else plan.default_evaluation_fy(),
        "method": {
            "name": plan.method.name,
            "params": evaluation.params.as_dict() if evaluation else dict(plan.method.params),
            "description": plan.method.description or None,
            "overrides": [
                {"indicators": list(o.indicators), "name": o.name, "params": dict(o.params)}
                for o in plan.method.overrides
            ],
            "statuses": [
                {
                    "code": x.code,
                    "ja": x.ja,
                    "en": x.en,
                    "tone": x.tone,
                    "means_ja": x.means_ja or None,
                    "means_en": x.means_en or None,
                }
                for x in (evaluation.scale if evaluation else ())
            ],
        },
        "nodes": [_node(plan, n, evaluation) for n in plan.nodes],
        "goals": [_goal(plan, g, evaluation) for g in plan.top_nodes],
    }


def version_1_number(code: str) -> int | str:
    """A node code as version 1 wrote a goal number: an integer when it is one."""
    return int(code) if code.isascii() and code.isdigit() else code


def _node(plan: Plan, node: Node, evaluation: PlanEvaluation | None) -> dict[str, Any]:
    depth = plan.depth(node.code)
    level = plan.level(depth)
    return {
        "code": node.code,
        "parent": node.parent,
        "depth": depth,
        "level": level.name,
        "level_en": level.name_en,
        "number": node.label,
        "name": node.name,
        "name_en": node.name_en,
        "statement": node.statement,
        "priority": node.priority,
        "department": node.department,
        "related_departments": list(node.related_departments),
        "related_plans": list(node.related_plans),
        "initiatives": [{"text": i.text, "facts": list(i.facts)} for i in node.initiatives],
        "narratives": [_narrative(n) for n in node.narratives],
        "footnotes": list(node.footnotes),
        "indicators": [i.code for i in plan.indicators_at(node.code)],
        "ratings": [_rating(r) for r in node.ratings],
        "comments": [_comment(c) for c in node.comments],
        "costs": [_cost(c) for c in node.costs],
        "tallies": [_tally(t) for t in node.tallies],
        **({"status_counts": evaluation.by_node.get(node.code)} if evaluation else {}),
        **({"grade": evaluation.node_grades.get(node.code)} if evaluation and evaluation.node_grades else {}),
    }


def _narrative(n: Any) -> dict[str, Any]:
    return {
        "kind": n.kind,
        "fy": n.fy,
        "text": n.text,
        "items": [{"heading": i.heading, "text": i.text, "bullets": list(i.bullets)} for i in n.items],
    }


def _goal(plan: Plan, g: Node, evaluation: PlanEvaluation | None) -> dict[str, Any]:
    """A top node in version 1's shape (goals with policies)."""
    return {
        "number": version_1_number(g.code),
        "name": g.name,
        "statement": g.statement,
        "policies": [
            {
                "code": p.code,
                "title": p.name,
                "priority": p.priority,
                "initiatives": [i.text for i in p.initiatives],
                "facts": [f for i in p.initiatives for f in i.facts],
            }
            for p in plan.children(g.code)
        ],
        "narratives": [_narrative(n) for n in g.narratives],
        "footnotes": list(g.footnotes),
        **({"status_counts": evaluation.by_node.get(g.code)} if evaluation else {}),
    }


def _rating(r: Rating) -> dict[str, Any]:
    return {"fy": r.fy, "scale": r.scale, "grade": r.grade, "note": r.note or None}


def _comment(c: Comment) -> dict[str, Any]:
    return {
        "fy": c.fy,
        "body": c.body,
        "body_name": c.body_name or None,
        "date": c.date.isoformat() if c.date else None,
        "text": c.text,
    }


def _tally(t: Tally) -> dict[str, Any]:
    return {"fy": t.fy, "scale": t.scale, "grade": t.grade, "count": t.count, "note": t.note or None}


def _cost(c: Cost) -> dict[str, Any]:
    return {
        "start_fy": c.start_fy,
        "end_fy": c.end_fy,
        "basis": c.basis,
        "label": c.label or None,
        "account": c.account or None,
        "unit": c.unit,
        "amount": json_number(c.amount),
        "general_revenue": json_number(c.general_revenue),
        "projects": c.projects,
        "amount_yen": json_number(c.yen(c.amount)),
        "source_text": c.source_text or None,
    }


def plan_json_parts(
    plan: Plan, evaluation: PlanEvaluation | None
) -> tuple[dict[str, Any], Iterator[dict[str, Any]], dict[str, int] | None]:
    """The document of ``plan_json`` in three parts: its head (every key before ``indicators``,
    in order), its indicators one at a time, and ``status_counts`` (None without an evaluation),
    which follows them. The API's pages and ``write_plan_json`` join them."""
    return _head(plan, evaluation), _indicators(plan, evaluation), evaluation.overall if evaluation else None


def _indicators(
    plan: Plan, evaluation: PlanEvaluation | None, start: int = 0, stop: int | None = None
) -> Iterator[dict[str, Any]]:
    for ind in itertools.islice(plan.indicators, start, stop):
        yield _indicator(ind, evaluation.indicators[ind.code] if evaluation else None, plan)


def write_plan_json(
    plan: Plan,
    evaluation: PlanEvaluation | None,
    handle: IO[str] | IO[bytes],
    *,
    indent: int | None = 2,
    each: Each | None = None,
    apart: bool = False,
) -> None:
    """The same document as ``plan_json``, written a few indicators at a time (``CHUNK``): a
    100,000-indicator plan's million observations never stand in memory as one structure. ``each``
    wraps the iterator of the indicators' objects this process writes (``Each``). ``handle`` is binary, or text in
    UTF-8 (``sys.stdout``): the document goes out as the bytes orjson makes, not decoded to be
    encoded again (at 100,000 indicators that round trip over 750 MB was an eighth of
    ``evaluate --json``).

    ``apart`` (a caller with no other threads at work: the command line): a plan of at least
    ``APART_FROM`` indicators has the second half of its indicators written by a forked copy of
    this process (domain/apart.py), on a second core, into a temporary file, while this process
    writes the first; the file is then copied after them. The bytes are the same."""
    write = _bytes_writer(handle)
    with cycle_collection_paused():  # a dictionary per figure, none in a cycle (domain/collection.py)
        if apart and len(plan.indicators) >= APART_FROM:
            handle.flush()  # nothing left in a buffer the copy would flush again as it ends
            _write_plan_json_apart(plan, evaluation, write, handle, indent=indent, each=each)
        else:
            _write_plan_json(plan, evaluation, write, indent=indent, each=each)


def _bytes_writer(handle: IO[str] | IO[bytes]) -> Callable[[bytes], Any]:
    """How to write UTF-8 bytes to ``handle``: directly to a binary one, to the binary buffer under
    a UTF-8 text one (flushed first, so that what was written before stays before), else decoded."""
    if not isinstance(handle, io.TextIOBase):
        return handle.write
    buffer = getattr(handle, "buffer", None)
    if buffer is not None and codecs.lookup(handle.encoding or "").name == "utf-8":
        handle.flush()
        return buffer.write
    decoder = codecs.getincrementaldecoder("utf-8")()  # a block copied may end inside a character
    return lambda data: handle.write(decoder.decode(data))


# Indicators encoded together, in one orjson call and one write. Few: the dictionaries of a
# chunk all stand in memory until it is encoded, and 256 at a time (about 2 MB of JSON) made
# the write of 100,000 indicators slower by half (measured, not explained).
CHUNK = 16


def _write_plan_json(
    plan: Plan,
    evaluation: PlanEvaluation | None,
    write: Callable[[bytes], Any],
    *,
    indent: int | None,
    each: Each | None,
    rest: Callable[[], Iterator[bytes]] | None = None,
    stop: int | None = None,
) -> None:
    """The document: its head, the indicators up to ``stop`` (all of them), the blocks ``rest``
    gives (the others, already encoded, each beginning with its comma), its tail."""
    head, _, status_counts = plan_json_parts(plan, evaluation)
    items = _indicators(plan, evaluation, 0, stop)
    if each is not None:
        items = each(items, len(plan.indicators) if stop is None else stop)
    text = encode(head, indent=indent)
    write(text[:-1].rstrip() + (b",\n  " if indent else b",") + b'"indicators": [')
    for n, body in enumerate(_bodies(items, indent)):
        write(body if n else body[1:])
    for block in rest() if rest is not None else ():
        write(block)
    write(b"\n  ]" if indent else b"]")
    if status_counts is not None:
        write(
            (b",\n  " if indent else b",")
            + b'"status_counts": '
            + json.dumps(status_counts, ensure_ascii=False).encode()
        )
    write(b"\n}\n" if indent else b"}\n")


def _bodies(items: Iterator[dict[str, Any]], indent: int | None) -> Iterator[bytes]:
    """The indicators' objects encoded ``CHUNK`` at a time, each block beginning with a comma."""
    while chunk := list(itertools.islice(items, CHUNK)):
        yield b"," + _encoded(chunk, indent)


# A plan of this many indicators or more is written in two processes by ``apart``: below it the
# second process costs more than it saves.
APART_FROM = 10_000


def _write_plan_json_apart(
    plan: Plan,
    evaluation: PlanEvaluation | None,
    write: Callable[[bytes], Any],
    handle: IO[str] | IO[bytes],
    *,
    indent: int | None,
    each: Each | None,
) -> None:
    """``_write_plan_json`` with the indicators from ``half`` on encoded by a forked copy of this
    process into a temporary file while this one writes the head and the ones before, then copied
    after them (by the kernel, ``os.sendfile``, when ``handle`` is a file or a pipe of this
    process). The progress bar (``each``) counts this process's half. Without a temporary file
    (no temporary folder this user may write in), all of it in this process."""
    half = len(plan.indicators) // 2
    try:
        spill = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the with block below)
    except OSError:
        _write_plan_json(plan, evaluation, write, indent=indent, each=each)
        return
    with spill:

        def second_half() -> None:
            with open(spill.fileno(), "wb", closefd=False) as out:
                for body in _bodies(_indicators(plan, evaluation, half), indent):
                    out.write(body)

        written = begun_apart(second_half, "writing the plan JSON")

        def rest() -> Iterator[bytes]:
            written()  # waits for the second process; raises what it raised
            size, offset, target = os.fstat(spill.fileno()).st_size, 0, _descriptor(handle)
            if target is not None and hasattr(os, "sendfile"):
                handle.flush()
                try:
                    while offset < size and (
                        sent := os.sendfile(target, spill.fileno(), offset, size - offset)
                    ):
                        offset += sent
                except OSError:  # an output the kernel cannot send a file to: the rest copied below
                    pass
            spill.seek(offset)
            while block := spill.read(SPILL_BLOCK):
                yield block

        try:
            _write_plan_json(plan, evaluation, write, indent=indent, each=each, rest=rest, stop=half)
        except BaseException:  # the output closed (``| head``), an interrupt: the copy's half not wanted
            abandon(written)
            raise


SPILL_BLOCK = 1 << 20


def _descriptor(handle: IO[str] | IO[bytes]) -> int | None:
    try:
        return handle.fileno()
    except (AttributeError, OSError, ValueError):  # a StringIO, a BytesIO
        return None


def _encoded(items: Sequence[dict[str, Any]], indent: int | None) -> bytes:
    """The indicators' objects as the document's list holds them, separated by commas, without the
    brackets: encoded as a list inside a list, orjson indents them as they stand in the document
    (four spaces), so that nothing needs indenting again."""
    try:
        text = orjson.dumps([items], option=orjson.OPT_INDENT_2 if indent else 0)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits: each object as ``encode`` writes it
        bodies = (encode(item, indent=indent) for item in items)
        return b",".join(b"\n    " + body.replace(b"\n", b"\n    ") if indent else body for body in bodies)
    return text.removeprefix(b"[\n  [").removesuffix(b"\n  ]\n]") if indent else text[2:-2]


def _indicator(ind: Indicator, evaluation: Evaluation | None, plan: Plan | None = None) -> dict[str, Any]:
    top = plan.top_node_of(ind.node) if plan is not None and ind.node else None
    data: dict[str, Any] = {
        "code": ind.code,
        "goal": version_1_number(top.code) if top else None,
        "nodes": list(ind.nodes),
        "category": ind.category,
        "name": ind.name,
        "name_en": ind.name_en,
        "type": ind.type,
        "unit": ind.unit,
        "per": ind.per,
        "direction": ind.direction,
        "cumulative": ind.cumulative,
        "measure": ind.measure,
        "value_type": ind.value_type,
        "survey": ind.survey,
        "reference": ind.reference,
        "note": ind.note,
        "department": ind.department,
        "related_departments": list(ind.related_departments),
        "definition": ind.definition or None,
        "calculation": ind.calculation or None,
        "data_source": ind.data_source or None,
        "confirmed_when": ind.confirmed_when or None,
        "target_rationale": ind.target_rationale or None,
        "selection_rationale": ind.selection_rationale or None,
        "added_in": ind.added_in,
        "dropped_in": ind.dropped_in,
        "carried_from": ind.carried_from,
        "series": list(ind.series),
        "baselines": [_baseline(b) for b in ind.baselines],
        "observations": [_observation(o) for o in ind.observations],
        "targets": [_target(t) for t in ind.targets],
        "ratings": [_rating(r) for r in ind.ratings],
        "comments": [_comment(c) for c in ind.comments],
    }
    if evaluation is not None:
        scales = plan.rating_scales_by_key if plan is not None else None
        data["evaluation"] = evaluation_json(evaluation, ind, scales=scales)
    return data


def _converter(spec: figures.Field) -> Callable[[Any], Any] | None:
    """How a figure field's domain value becomes its JSON value (None: as it is)."""
    if spec.type == "decimal":
        return json_number
    if spec.type == "date":
        return _iso_date
    if spec.type == "breakdown":
        return _breakdown
    return None


def _iso_date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _breakdown(value: Any) -> dict[str, Any]:
    return {label: json_number(v) for label, v in value}


def _figure_writer(
    name: str, specs: tuple[figures.Field, ...], last: tuple[str, ...]
) -> Callable[[Any], dict]:
    """A function that writes a figure dataclass as its JSON object: the fields of ``specs`` in
    their order, each converted as its type says (``_converter``), then ``note`` and the fields of
    ``last``, an empty text written as null (``source_text``, the figure as its document wrote it,
    is kept as it is).

    The function is compiled once from the field list, as ``dataclasses`` compiles an
    ``__init__``: one dictionary display per figure, with no loop over the fields, is half the
    time of building it field by field, and a 100,000-indicator plan has a million figures."""
    converters = {f"_{spec.name}": convert for spec in specs if (convert := _converter(spec)) is not None}
    values = {}
    for spec in specs:
        value = f"item.{spec.name}"
        if spec.type == "breakdown":  # an empty value is written without a call: most are
            value = f"(_{spec.name}({value}) if {value} else {{}})"
        elif f"_{spec.name}" in converters:  # None, not a zero, is the empty decimal or date
            value = f"(None if {value} is None else _{spec.name}({value}))"
        values[spec.name] = value
    for field_name in ("note", *last):  # where note is one of ``specs``, it keeps its place
        values[field_name] = f"item.{field_name}" + ("" if field_name == "source_text" else " or None")
    display = ", ".join(f"{key!r}: {value}" for key, value in values.items())
    namespace: dict[str, Any] = dict(converters)  # the source holds our field names only, never input
    exec(f"def {name}(item):\n    return {{{display}}}\n", namespace)
    return namespace[name]


_observation = _figure_writer("_observation", figures.FIGURE_FIELDS, ("source_text", "source"))
_target = _figure_writer("_target", figures.TARGET_FIELDS, ("source",))
_baseline = _figure_writer("_baseline", figures.BASELINE_FIELDS, ("source",))


def _point(point: Any) -> dict[str, Any] | None:
    return None if point is None else {"fy": point.fy, "value": json_number(point.value)}


def _judgement(j: Judgement) -> dict[str, Any]:
    return {
        "horizon": j.horizon,
        "kind": j.kind,
        "fy": j.target.fy if j.target else None,
        "status": j.status,
        "progress": _ratio(j.progress),
        "pace": _ratio(j.pace),
    }


def _points(value: float | None) -> float | None:
    """A survey's sampling error in points, to two decimals (the interval is an estimate)."""
    return None if value is None else round(value, 2)


def _series(e: SeriesEvaluation) -> dict[str, Any]:
    h = e.headline
    return {
        "series": e.series,
        "status": h.status,
        "progress": _ratio(h.progress),
        "pace": _ratio(h.pace),
        "baseline": _point(h.baseline),
        "latest": _point(h.latest),
        "target": _target(h.target) if h.target else None,
        "by_horizon": [_judgement(j) for j in e.by_horizon],
    }


def evaluation_json(e: Evaluation, ind: Indicator, lang: str = "ja", scales: Any = None) -> dict[str, Any]:
    h = e.headline
    interim = e.interim
    return {
        "status": h.status,
        "horizon": h.horizon,
        "progress": _ratio(h.progress),
        "pace": _ratio(h.pace),
        "baseline": _point(h.baseline),
        "latest": _point(h.latest),
        "amount": json_number(h.amount),
        "target": _target(h.target) if h.target else None,
        "survey_interval": _points(h.interval),
        "survey_margin": _points(h.margin),
        "interim": None
        if interim is None
        else {
            "fy": interim.fy,
            "value": json_number(interim.value),
            "as_of": interim.as_of.isoformat() if interim.as_of else None,
            "projection": json_number(interim.projection),
        },
        "flags": list(e.flags),
        "explanation": explain(e, ind, lang, scales),
        "by_horizon": [_judgement(j) for j in e.by_horizon],
        "reason": h.reason or None,
        "score": _ratio(h.score),
        "measure": _ratio(h.measure),
        "state": h.state or None,
        "interim_kind": interim.kind if interim else None,
        "series": [_series(s) for s in e.series],
    }
