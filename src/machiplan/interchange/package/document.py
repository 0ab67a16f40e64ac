"""plan.yaml: the plan's header, its levels and nodes, rating scales and revisions.

Format 2 (``machiplan/package@2``) writes the hierarchy as nested ``nodes``; format 1
(``machiplan/package@1``, the first Sapporo-shaped packages) had ``goals`` with
``policies`` and is read into the same nodes: each goal a top node whose code is its
number, each policy a node under it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ...domain.errors import MachiplanError
from ...domain.plan import (
    GOALS_AND_POLICIES,
    NARRATIVE_KINDS,
    PLAN_HORIZON,
    Department,
    Grade,
    HigherPlan,
    Initiative,
    Level,
    Method,
    MethodOverride,
    Municipality,
    Narrative,
    NarrativeItem,
    Node,
    RatingScale,
    Revision,
    Source,
)
from ...domain.validation import (
    MUNICIPALITY_CODE_RE,
    code_error,
    fy_error,
    goal_number_error,
    is_code,
    is_node_code,
    node_code_error,
)
from .. import files

SCHEMA_1 = "machiplan/package@1"
SCHEMA = "machiplan/package@2"
PLAN_FILE = "plan.yaml"

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_TYPE_WORDS = {"str": "text", "int": "integer", "list": "list", "dict": "mapping", "bool": "true or false"}


@dataclass(frozen=True)
class Header:
    """Everything plan.yaml says, before the indicators join it."""

    schema: str
    code: str
    title: str
    title_en: str | None
    municipality: Municipality
    start_fy: int
    end_fy: int
    evaluation_fy: int | None
    method: Method
    higher_plans: tuple[HigherPlan, ...]
    departments: tuple[Department, ...]
    department: str | None
    levels: tuple[Level, ...]
    nodes: tuple[Node, ...]
    rating_scales: tuple[RatingScale, ...]
    revisions: tuple[Revision, ...]
    parent_plan: str | None
    predecessor: str | None
    description: str
    sources: tuple[Source, ...]


# --- small typed readers: each names the place of a bad value ------------------------------


def get(
    m: Mapping[str, Any],
    key: str,
    where: str,
    kind: type | tuple[type, ...],
    *,
    required: bool = True,
    default: Any = None,
) -> Any:
    if not isinstance(m, Mapping):
        raise MachiplanError("must be a mapping", where=where)
    if key not in m or m[key] is None:
        if required:
            raise MachiplanError(f"'{key}' is missing", where=where)
        return default
    value = m[key]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise MachiplanError("must be an integer", where=f"{where}.{key}")
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise MachiplanError(f"must be a {_TYPE_WORDS.get(names, names)}", where=f"{where}.{key}")
    if isinstance(value, str) and required and not value.strip():
        raise MachiplanError("must not be empty", where=f"{where}.{key}")
    return value


def slug(value: str, where: str) -> str:
    if not is_code(value):
        raise code_error(value, where)
    return value


def year(value: int | None, where: str) -> int | None:
    """A year of plan.yaml, one machiplan keeps (the figures' rule), named by its place."""
    if value is not None and (error := fy_error(value, where)):
        raise error
    return value


def node_code(value: str, where: str) -> str:
    if not is_node_code(value):
        raise node_code_error(value, where)
    return value


def unique(values: list[Any], where: str, what: str) -> None:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise MachiplanError(f"{what} {value!r} appears twice", where=where)
        seen.add(value)


def text_list(values: list[Any], where: str) -> Iterator[str]:
    for n, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            raise MachiplanError("must be a non-empty text", where=f"{where}[{n}]")
        yield value.strip()


def optional_text(m: Mapping[str, Any], key: str, where: str) -> str:
    return (get(m, key, where, str, required=False, default="") or "").strip()


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, refusing a mapping that repeats a key (else the last one silently wins)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                repeated = key in seen
            except TypeError:  # an unhashable key: the base class says so
                continue
            if repeated:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """A plain decimal integer: YAML 1.1 would also read 0x7DE, 2_014 and 33:34 (base 60) as 2014,
        and an unquoted code 1:30 as 90."""
        if not _PLAIN_INT.fullmatch(node.value):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{node.value!r} is not a plain decimal number (in quotes if it is a text)",
                node.start_mark,
            )
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        if "_" in node.value or ":" in node.value:  # 1_000.5, 1:30.5 (base 60)
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{node.value!r} is not a plain decimal number (in quotes if it is a text)",
                node.start_mark,
            )
        return super().construct_yaml_float(node)


_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)


MAX_YAML_DEPTH = 64  # plan.yaml's own structure is about 8 levels deep, plus the node tree's depth


def load_yaml(path: Path) -> dict[str, Any]:
    try:
        data = files.read_user_file(path, files.MAX_PACKAGE_FILE_BYTES)
    except OSError as exc:
        raise MachiplanError(f"cannot read: {exc.strerror}", where=str(path)) from None
    return load_yaml_bytes(data, str(path.name))


def load_yaml_bytes(data: bytes, name: str) -> dict[str, Any]:
    """A YAML document a person gave (a file's bytes, or an upload's): UTF-8, not too deep, a mapping at
    the top; an error names ``name`` and the line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MachiplanError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", where=name) from None
    try:
        _check_structure(text, name)
        loaded = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise MachiplanError(f"not valid YAML: {problem}", where=f"{name}{line}") from None
    if not isinstance(loaded, dict):
        raise MachiplanError("must be a YAML mapping at the top", where=name)
    return loaded


def _check_structure(text: str, name: str) -> None:
    """Refuse deep nesting and aliases before building anything: the C loader recurses once per
    level and would crash the process on a file of 100,000 '['; an alias (``*name``) may name a
    collection that holds it (a node whose children are itself: a reader walking it never ends) or
    be repeated inside collections repeated in turn (a 2 KB file of a billion nodes). What a person
    writes in a plan or a mapping never needs one: each value is written where it stands."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise MachiplanError(
                f"an alias (*{event.anchor}) repeats a value written elsewhere: write the value out "
                "where it is needed (anchors and aliases are not read)",
                where=f"{name}:{event.start_mark.line + 1}",
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise MachiplanError(
                    f"nested more than {MAX_YAML_DEPTH} levels deep",
                    where=f"{name}:{event.start_mark.line + 1}",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


# --- reading ---------------------------------------------------------------------------------

# The keys format 2's plan.yaml may hold, by place: a key not listed (a typo: 'evalution_fy',
# 'nmae') is refused, as a CSV file's unknown column is, rather than silently left unread.
# A value that is itself a mapping of keys has its keys listed after it; None: free-form.
_TEXTS = {"heading": None, "text": None, "bullets": None}
_NARRATIVE = {"kind": None, "fy": None, "items": _TEXTS}
_NODE: dict[str, Any] = {
    **dict.fromkeys(("code", "number", "name", "name_en", "statement", "priority", "department")),
    **dict.fromkeys(("related_departments", "related_plans", "footnotes")),
    "initiatives": {"text": None, "facts": None},
    "narratives": _NARRATIVE,
}
_NODE["children"] = _NODE
_PLAN_KEYS: dict[str, Any] = {
    **dict.fromkeys(("schema", "code", "title", "title_en", "evaluation_fy", "parent_plan", "predecessor")),
    **dict.fromkeys(("department", "description")),
    "municipality": {"name": None, "code": None},
    "period": {"start_fy": None, "end_fy": None},
    "method": {
        "name": None,
        "params": None,
        "description": None,
        "overrides": {"indicators": None, "name": None, "params": None},
    },
    "higher_plans": dict.fromkeys(("horizon", "label", "title", "start_fy", "end_fy", "description")),
    "departments": {"code": None, "name": None},
    "levels": {"name": None, "name_en": None},
    "nodes": _NODE,
    "rating_scales": {
        **dict.fromkeys(("key", "name", "name_en", "applies_to")),
        "grades": dict.fromkeys(("code", "label", "label_en", "statuses")),
    },
    "revisions": dict.fromkeys(("code", "fy", "title", "date", "reason", "changes")),
    "sources": dict.fromkeys(("title", "url", "date", "note")),
}


def known_keys(data: Any, keys: Mapping[str, Any], where: str) -> None:
    """Every key of ``data`` (a mapping, or each mapping of a list) is one of ``keys``, at any depth."""
    if isinstance(data, list):
        for n, item in enumerate(data):
            known_keys(item, keys, f"{where}[{n}]")
        return
    if not isinstance(data, Mapping):
        return  # a text initiative, a list of texts: nothing to check
    for key, value in data.items():
        if key not in keys:
            known = ", ".join(sorted(keys))
            raise MachiplanError(f"unknown key {key!r} (known: {known})", where=where)
        if keys[key] is not None and value is not None:
            known_keys(value, keys[key], f"{where}.{key}")


def read_header(root: Path) -> Header:
    data = load_yaml(root / PLAN_FILE)
    where = PLAN_FILE
    schema = get(data, "schema", where, str)
    if schema not in (SCHEMA, SCHEMA_1):
        raise MachiplanError(
            f"unsupported schema {schema!r} (expected {SCHEMA!r}, or {SCHEMA_1!r})", where=f"{where}.schema"
        )
    if schema == SCHEMA:  # a typo is named before it can read as a key missing; format 1 as it always was
        known_keys(data, _PLAN_KEYS, where)
    municipality = get(data, "municipality", where, dict)
    period = get(data, "period", where, dict)
    start_fy = year(get(period, "start_fy", f"{where}.period", int), f"{where}.period.start_fy")
    end_fy = year(get(period, "end_fy", f"{where}.period", int), f"{where}.period.end_fy")
    if end_fy < start_fy:
        raise MachiplanError("end_fy is before start_fy", where=f"{where}.period")
    method_data = get(data, "method", where, dict, required=False, default={})
    method = Method(
        name=get(method_data, "name", f"{where}.method", str, required=False, default="progress_vs_pace"),
        params=dict(get(method_data, "params", f"{where}.method", dict, required=False, default={})),
        description=optional_text(method_data, "description", f"{where}.method"),
        overrides=tuple(
            MethodOverride(
                indicators=tuple(
                    slug(c, f"{where}.method.overrides[{n}].indicators")
                    for c in text_list(
                        get(o, "indicators", f"{where}.method.overrides[{n}]", list),
                        f"{where}.method.overrides[{n}].indicators",
                    )
                ),
                name=get(o, "name", f"{where}.method.overrides[{n}]", str),
                params=dict(
                    get(o, "params", f"{where}.method.overrides[{n}]", dict, required=False, default={})
                ),
            )
            for n, o in enumerate(
                get(method_data, "overrides", f"{where}.method", list, required=False, default=[])
            )
        ),
    )
    check_method(method, f"{where}.method")
    muni_code = str(get(municipality, "code", f"{where}.municipality", (str, int)))
    if not MUNICIPALITY_CODE_RE.fullmatch(muni_code):
        raise MachiplanError(
            f'{muni_code!r} is not a six-digit 全国地方公共団体コード (write it in quotes: "011002")',
            where=f"{where}.municipality.code",
        )
    higher_plans = tuple(
        _higher_plan(h, f"{where}.higher_plans[{n}]")
        for n, h in enumerate(get(data, "higher_plans", where, list, required=False, default=[]))
    )
    departments = tuple(
        Department(
            code=slug(get(d, "code", f"{where}.departments[{n}]", str), f"{where}.departments[{n}].code"),
            name=get(d, "name", f"{where}.departments[{n}]", str),
        )
        for n, d in enumerate(get(data, "departments", where, list, required=False, default=[]))
    )
    unique([h.horizon for h in higher_plans], f"{where}.higher_plans", "horizon")
    unique([d.code for d in departments], f"{where}.departments", "department code")
    department = _optional_slug(data, "department", where)
    if department is not None and department not in {d.code for d in departments}:
        raise MachiplanError(
            f"department {department!r} is not declared under departments", where=f"{where}.department"
        )
    if schema == SCHEMA_1:
        levels, nodes = GOALS_AND_POLICIES, _goals_as_nodes(data, where)
        scales: tuple[RatingScale, ...] = ()
        revisions: tuple[Revision, ...] = ()
        parent_plan = predecessor = None
        description, sources = "", ()
    else:
        levels = tuple(
            Level(
                name=get(lv, "name", f"{where}.levels[{n}]", str).strip(),
                name_en=optional_text(lv, "name_en", f"{where}.levels[{n}]") or None,
            )
            for n, lv in enumerate(get(data, "levels", where, list, required=False, default=[]))
        )
        nodes = tuple(
            _nodes(get(data, "nodes", where, list, required=False, default=[]), None, f"{where}.nodes")
        )
        scales = tuple(
            _rating_scale(s, f"{where}.rating_scales[{n}]")
            for n, s in enumerate(get(data, "rating_scales", where, list, required=False, default=[]))
        )
        revisions = tuple(
            _revision(r, f"{where}.revisions[{n}]")
            for n, r in enumerate(get(data, "revisions", where, list, required=False, default=[]))
        )
        unique([s.key for s in scales], f"{where}.rating_scales", "rating scale")
        unique([r.code for r in revisions], f"{where}.revisions", "revision code")
        parent_plan = _optional_slug(data, "parent_plan", where)
        predecessor = _optional_slug(data, "predecessor", where)
        description = optional_text(data, "description", where)
        sources = tuple(
            _source(x, f"{where}.sources[{n}]")
            for n, x in enumerate(get(data, "sources", where, list, required=False, default=[]))
        )
    unique([n.code for n in nodes], f"{where}.nodes", "node code")
    known_departments = {d.code for d in departments}
    for n in nodes:
        for code in (n.department, *n.related_departments):
            if code is not None and code not in known_departments:
                raise MachiplanError(f"department {code!r} is not declared", where=f"{where}.nodes[{n.code}]")
    return Header(
        schema=schema,
        code=slug(get(data, "code", where, str), f"{where}.code"),
        title=get(data, "title", where, str).strip(),
        title_en=get(data, "title_en", where, str, required=False),
        municipality=Municipality(
            name=get(municipality, "name", f"{where}.municipality", str), code=muni_code
        ),
        start_fy=start_fy,
        end_fy=end_fy,
        evaluation_fy=year(get(data, "evaluation_fy", where, int, required=False), f"{where}.evaluation_fy"),
        method=method,
        higher_plans=higher_plans,
        departments=departments,
        department=department,
        levels=levels,
        nodes=nodes,
        rating_scales=scales,
        revisions=revisions,
        parent_plan=parent_plan,
        predecessor=predecessor,
        description=description,
        sources=sources,
    )


def _date(value: Any, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise MachiplanError(f"must be a date like 2019-03-31, not {value!r}", where=where)


def _source(data: Any, where: str) -> Source:
    return Source(
        title=get(data, "title", where, str).strip(),
        url=optional_text(data, "url", where),
        date=_date(get(data, "date", where, (dt.date, str), required=False), f"{where}.date"),
        note=optional_text(data, "note", where),
    )


def check_method(method: Method, where: str) -> None:
    """The method and its parameters, and each override's, are ones machiplan knows."""
    # Imported here: evaluation depends on the plan module, not on packages.
    from ...domain.evaluation import Params

    _known_row_keys(method.params, f"{where}.params")
    for n, override in enumerate(method.overrides):
        _known_row_keys(override.params, f"{where}.overrides[{n}].params")
    params = Params.from_mapping(method.params, where=f"{where}.params", method=method.name)
    shared = {
        k: v for k, v in method.params.items() if k in params.as_dict() and k not in method_keys(method.name)
    }
    seen: set[str] = set()
    for n, override in enumerate(method.overrides):
        Params.from_mapping(
            {**shared, **override.params}, where=f"{where}.overrides[{n}].params", method=override.name
        )
        repeated = seen.intersection(override.indicators)
        if repeated:
            raise MachiplanError(
                f"indicator {sorted(repeated)[0]} has two overrides",
                where=f"{where}.overrides[{n}].indicators",
            )
        seen.update(override.indicators)


# The keys of a table parameter's rows (achievement_bands' bands, fukuoka's rollup rules): a typo
# ('lable') is refused where the method is set (a load, the method page), not left unread.
_ROW_KEYS = {
    "bands": dict.fromkeys(("code", "label", "label_en", "min", "tone", "means", "means_en", "easy_ja")),
    "rollup": dict.fromkeys(("code", "statuses", "min_share")),
}


def _known_row_keys(params: Mapping[str, Any], where: str) -> None:
    for name, keys in _ROW_KEYS.items():
        if isinstance(params.get(name), list):
            known_keys(params[name], keys, f"{where}.{name}")


def method_keys(name: str) -> set[str]:
    """The parameters a method reads itself (not the ones every method shares)."""
    from dataclasses import fields

    from ...domain import methods
    from ...domain.evaluation import PACE_PARAMS

    if name == "progress_vs_pace":
        return set(PACE_PARAMS)
    return {f.name for f in fields(methods.method_named(name, "method.name").params_class)}


def _optional_slug(data: Mapping[str, Any], key: str, where: str) -> str | None:
    value = get(data, key, where, str, required=False)
    return slug(value, f"{where}.{key}") if value is not None else None


def _higher_plan(data: Any, where: str) -> HigherPlan:
    horizon = slug(get(data, "horizon", where, str), f"{where}.horizon")
    if horizon == PLAN_HORIZON:
        raise MachiplanError("'plan' is this plan's own horizon", where=f"{where}.horizon")
    return HigherPlan(
        horizon=horizon,
        label=get(data, "label", where, str),
        title=get(data, "title", where, str),
        start_fy=year(get(data, "start_fy", where, int, required=False), f"{where}.start_fy"),
        end_fy=year(get(data, "end_fy", where, int, required=False), f"{where}.end_fy"),
        description=optional_text(data, "description", where),
    )


def _goals_as_nodes(data: Mapping[str, Any], where: str) -> list[Node]:
    """Format 1: goals with policies become top nodes with children."""
    nodes: list[Node] = []
    numbers: list[int] = []
    for n, goal in enumerate(get(data, "goals", where, list)):
        gwhere = f"{where}.goals[{n}]"
        number = get(goal, "number", gwhere, int)
        if error := goal_number_error(number, f"{gwhere}.number"):
            raise error
        numbers.append(number)
        code = str(number)
        policies = get(goal, "policies", gwhere, list, required=False, default=[])
        nodes.append(
            Node(
                code=code,
                name=get(goal, "name", gwhere, str),
                statement=get(goal, "statement", gwhere, str),
                narratives=_narratives(goal, gwhere),
                footnotes=tuple(text_list(get(goal, "footnotes", gwhere, list, required=False, default=[]), f"{gwhere}.footnotes")),
            )
        )  # fmt: skip
        codes = []
        for k, policy in enumerate(policies):
            pwhere = f"{gwhere}.policies[{k}]"
            pcode = node_code(str(get(policy, "code", pwhere, str)), f"{pwhere}.code")
            codes.append(pcode)
            nodes.append(
                Node(
                    code=pcode,
                    parent=code,
                    name=get(policy, "title", pwhere, str),
                    priority=get(policy, "priority", pwhere, bool, required=False, default=False),
                    initiatives=_initiatives(policy, pwhere),
                )
            )
        unique(codes, f"{gwhere}.policies", "policy code")
    unique(numbers, f"{where}.goals", "goal number")
    return nodes


def _nodes(items: list[Any], parent: str | None, where: str) -> Iterator[Node]:
    for n, data in enumerate(items):
        here = f"{where}[{n}]"
        code = node_code(str(get(data, "code", here, (str, int))), f"{here}.code")
        number = get(data, "number", here, (str, int), required=False)
        yield Node(
            code=code,
            name=get(data, "name", here, str).strip(),
            parent=parent,
            number=str(number) if number is not None and str(number) != code else "",
            name_en=optional_text(data, "name_en", here) or None,
            statement=optional_text(data, "statement", here),
            priority=get(data, "priority", here, bool, required=False, default=False),
            department=_optional_slug(data, "department", here),
            related_departments=tuple(
                slug(d, f"{here}.related_departments")
                for d in text_list(get(data, "related_departments", here, list, required=False, default=[]), f"{here}.related_departments")
            ),
            related_plans=tuple(text_list(get(data, "related_plans", here, list, required=False, default=[]), f"{here}.related_plans")),
            initiatives=_initiatives(data, here),
            narratives=_narratives(data, here),
            footnotes=tuple(text_list(get(data, "footnotes", here, list, required=False, default=[]), f"{here}.footnotes")),
        )  # fmt: skip
        yield from _nodes(
            get(data, "children", here, list, required=False, default=[]), code, f"{here}.children"
        )


def _initiatives(data: Mapping[str, Any], where: str) -> tuple[Initiative, ...]:
    found = []
    for n, item in enumerate(get(data, "initiatives", where, list, required=False, default=[])):
        item_where = f"{where}.initiatives[{n}]"
        if isinstance(item, str):
            found.append(Initiative(text=item.strip()))
        else:
            facts = tuple(
                text_list(
                    get(item, "facts", item_where, list, required=False, default=[]), f"{item_where}.facts"
                )
            )
            found.append(Initiative(text=get(item, "text", item_where, str).strip(), facts=facts))
    return tuple(found)


def _narratives(data: Mapping[str, Any], where: str) -> tuple[Narrative, ...]:
    found = []
    for n, x in enumerate(get(data, "narratives", where, list, required=False, default=[])):
        here = f"{where}.narratives[{n}]"
        kind = get(x, "kind", here, str)
        if kind not in NARRATIVE_KINDS:
            raise MachiplanError(
                f"unknown kind {kind!r} (one of {', '.join(NARRATIVE_KINDS)})", where=f"{here}.kind"
            )
        items = []
        for k, item in enumerate(get(x, "items", here, list)):
            item_where = f"{here}.items[{k}]"
            items.append(
                NarrativeItem(
                    heading=optional_text(item, "heading", item_where),
                    text=optional_text(item, "text", item_where),
                    bullets=tuple(text_list(get(item, "bullets", item_where, list, required=False, default=[]), f"{item_where}.bullets")),
                )
            )  # fmt: skip
        fy = year(get(x, "fy", here, int, required=False), f"{here}.fy")
        found.append(Narrative(kind=kind, fy=fy, items=tuple(items)))
    return tuple(found)


def _rating_scale(data: Any, where: str) -> RatingScale:
    from ...domain.evaluation import STATUSES

    grades = []
    for n, g in enumerate(get(data, "grades", where, list)):
        here = f"{where}.grades[{n}]"
        statuses = tuple(
            text_list(get(g, "statuses", here, list, required=False, default=[]), f"{here}.statuses")
        )
        for status in statuses:
            if status not in STATUSES:
                raise MachiplanError(
                    f"unknown status {status!r} (one of {', '.join(STATUSES)})", where=f"{here}.statuses"
                )
        grades.append(
            Grade(
                code=str(get(g, "code", here, (str, int))).strip(),
                label=optional_text(g, "label", here),
                label_en=optional_text(g, "label_en", here) or None,
                statuses=statuses,
            )
        )
    unique([g.code for g in grades], f"{where}.grades", "grade")
    applies_to = get(data, "applies_to", where, str, required=False, default="both")
    if applies_to not in ("indicator", "node", "both"):
        raise MachiplanError("must be indicator, node or both", where=f"{where}.applies_to")
    return RatingScale(
        key=slug(get(data, "key", where, str), f"{where}.key"),
        name=get(data, "name", where, str).strip(),
        name_en=optional_text(data, "name_en", where) or None,
        grades=tuple(grades),
        applies_to=applies_to,
    )


def _revision(data: Any, where: str) -> Revision:
    date = get(data, "date", where, (dt.date, str), required=False)
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            raise MachiplanError(
                f"must be a date like 2019-03-31, not {date!r}", where=f"{where}.date"
            ) from None
    return Revision(
        code=slug(get(data, "code", where, str), f"{where}.code"),
        fy=year(get(data, "fy", where, int), f"{where}.fy"),
        title=get(data, "title", where, str).strip(),
        date=date,
        reason=optional_text(data, "reason", where),
        changes=tuple(
            text_list(get(data, "changes", where, list, required=False, default=[]), f"{where}.changes")
        ),
    )


# --- writing ---------------------------------------------------------------------------------


def _present(pairs: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    """The pairs whose value says something: a reader takes an absent key as its default."""
    return {k: v for k, v in pairs if v not in (None, "", [], (), False)}


def header_document(plan: Any) -> dict[str, Any]:
    """plan.yaml of format 2 for a ``domain.Plan``."""
    return {
        "schema": SCHEMA,
        "code": plan.code,
        "title": plan.title,
        **({"title_en": plan.title_en} if plan.title_en else {}),
        "municipality": {"name": plan.municipality.name, "code": plan.municipality.code},
        "period": {"start_fy": plan.start_fy, "end_fy": plan.end_fy},
        **({"evaluation_fy": plan.evaluation_fy} if plan.evaluation_fy is not None else {}),
        **_present(
            (
                ("parent_plan", plan.parent_plan),
                ("predecessor", plan.predecessor),
                ("description", plan.description),
                (
                    "sources",
                    [
                        _present(
                            (
                                ("title", x.title),
                                ("url", x.url),
                                ("date", x.date.isoformat() if x.date else None),
                                ("note", x.note),
                            )
                        )
                        for x in plan.sources
                    ],
                ),
            )
        ),
        "method": {
            "name": plan.method.name,
            "params": dict(plan.method.params),
            **({"description": plan.method.description} if plan.method.description else {}),
            **(
                {
                    "overrides": [
                        {"indicators": list(o.indicators), "name": o.name, "params": dict(o.params)}
                        for o in plan.method.overrides
                    ]
                }
                if plan.method.overrides
                else {}
            ),
        },
        "higher_plans": [
            _present(
                (
                    ("horizon", h.horizon),
                    ("label", h.label),
                    ("title", h.title),
                    ("start_fy", h.start_fy),
                    ("end_fy", h.end_fy),
                    ("description", h.description),
                )
            )
            for h in plan.higher_plans
        ],
        "departments": [{"code": d.code, "name": d.name} for d in plan.departments],
        **({"department": plan.department} if plan.department is not None else {}),
        "levels": [_present((("name", lv.name), ("name_en", lv.name_en))) for lv in plan.levels],
        "rating_scales": [_scale(s.as_dict()) for s in plan.rating_scales],
        "revisions": [
            _present(
                (
                    ("code", r.code),
                    ("fy", r.fy),
                    ("title", r.title),
                    ("date", r.date.isoformat() if r.date else None),
                    ("reason", r.reason),
                    ("changes", list(r.changes)),
                )
            )
            for r in plan.revisions
        ],
        "nodes": [_node_document(plan, n) for n in plan.top_nodes],
    }


def _scale(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        **_present((("key", doc["key"]), ("name", doc["name"]), ("name_en", doc["name_en"]))),
        **({"applies_to": doc["applies_to"]} if doc["applies_to"] != "both" else {}),
        "grades": [
            _present(
                (
                    ("code", g["code"]),
                    ("label", g["label"]),
                    ("label_en", g["label_en"]),
                    ("statuses", g["statuses"]),
                )
            )
            for g in doc["grades"]
        ],
    }


def _node_document(plan: Any, node: Node) -> dict[str, Any]:
    doc = _present(
        (
            ("code", node.code),
            ("number", node.number if node.number != node.code else ""),
            ("name", node.name),
            ("name_en", node.name_en),
            ("statement", node.statement),
            ("priority", node.priority),
            ("department", node.department),
            ("related_departments", list(node.related_departments)),
            ("related_plans", list(node.related_plans)),
            (
                "initiatives",
                [
                    i.text if not i.facts else {"text": i.text, "facts": list(i.facts)}
                    for i in node.initiatives
                ],
            ),
            ("footnotes", list(node.footnotes)),
            ("narratives", [_narrative_document(x) for x in node.narratives]),
        )
    )
    children = [_node_document(plan, c) for c in plan.children(node.code)]
    if children:
        doc["children"] = children
    return doc


def _narrative_document(n: Narrative) -> dict[str, Any]:
    return {
        "kind": n.kind,
        **({"fy": n.fy} if n.fy is not None else {}),
        "items": [
            _present((("heading", i.heading), ("text", i.text), ("bullets", list(i.bullets))))
            for i in n.items
        ],
    }


def dump_yaml(document: dict[str, Any]) -> str:
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
