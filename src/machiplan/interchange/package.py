"""Plan packages: a folder of human-readable files that holds one whole plan.

    plan.yaml         the plan, its higher plans, departments, goals, policies, narratives
    indicators.csv    one row per indicator
    observations.csv  one row per indicator and fiscal year
    targets.csv       one row per indicator and target horizon

Every error names the file and the line or field, and reading is all or
nothing: a package either becomes a whole ``Plan`` or raises ``MachiplanError``.
The plan's and its figures' rules are ``domain.validation.check_plan``'s (the
very rules of the staff pages and the API); what they only warn about comes
back with the plan (``read_package_result``), for ``load`` to print.

Input limits (docs/plan-package.md): plan.yaml nests at most ``MAX_YAML_DEPTH``
levels and repeats no key; a CSV file repeats no column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ..domain.errors import MachiplanError
from ..domain.plan import (
    DIRECTIONS,
    MEASURES,
    NARRATIVE_KINDS,
    OBSERVATION_KINDS,
    PLAN_HORIZON,
    Department,
    Goal,
    HigherPlan,
    Indicator,
    Initiative,
    Method,
    Municipality,
    Narrative,
    NarrativeItem,
    Observation,
    Plan,
    Policy,
    Target,
)
from ..domain.quantities import format_number
from ..domain.validation import (
    MUNICIPALITY_CODE_RE,
    PlanWarning,
    check_plan,
    code_error,
    fy_error,
    goal_number_error,
    is_code,
)
from . import files

SCHEMA = "machiplan/package@1"
PLAN_FILE, INDICATORS_FILE, OBSERVATIONS_FILE, TARGETS_FILE = (
    "plan.yaml",
    "indicators.csv",
    "observations.csv",
    "targets.csv",
)
INDICATOR_COLUMNS = (
    "code",
    "goal",
    "category",
    "name",
    "name_en",
    "unit",
    "direction",
    "measure",
    "survey",
    "reference",
    "department",
    "note",
)
OBSERVATION_COLUMNS = (
    "indicator",
    "fy",
    "kind",
    "value",
    "as_of",
    "approximate",
    "breakdown",
    "source_text",
    "note",
)
TARGET_COLUMNS = (
    "indicator",
    "horizon",
    "fy",
    "value",
    "period_start_fy",
    "approximate",
    "source_text",
)
MAX_YAML_DEPTH = 64  # plan.yaml's own structure is 8 levels deep
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


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


@dataclass(frozen=True, slots=True)
class PackageResult:
    plan: Plan
    warnings: tuple[PlanWarning, ...] = ()


# --- small typed readers: each names the place of a bad value ------------------------


def _get(
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


_TYPE_WORDS = {"str": "text", "int": "integer", "list": "list", "dict": "mapping", "bool": "true or false"}


def _slug(value: str, where: str) -> str:
    if not is_code(value):
        raise code_error(value, where)
    return value


def _fy(value: int | None, where: str) -> int | None:
    if value is not None and (error := fy_error(value, where)):
        raise error
    return value


# --- reading -------------------------------------------------------------------------


def read_package(directory: str | Path) -> Plan:
    """Read and check a whole package; raise ``MachiplanError`` naming the first problem."""
    return read_package_result(directory).plan


def read_package_result(directory: str | Path) -> PackageResult:
    """The package's plan, checked, with what the checks only warn about."""
    root = Path(directory)
    if not root.is_dir():
        raise MachiplanError("no such plan package folder", where=str(root))
    plan_path = root / PLAN_FILE
    if not plan_path.is_file():
        raise MachiplanError(f"not a plan package: {PLAN_FILE} is missing", where=str(root))
    data = _load_yaml(plan_path)
    where = PLAN_FILE
    schema = _get(data, "schema", where, str)
    if schema != SCHEMA:
        raise MachiplanError(f"unsupported schema {schema!r} (expected {SCHEMA!r})", where=f"{where}.schema")
    municipality = _get(data, "municipality", where, dict)
    period = _get(data, "period", where, dict)
    start_fy = _fy(_get(period, "start_fy", f"{where}.period", int), f"{where}.period.start_fy")
    end_fy = _fy(_get(period, "end_fy", f"{where}.period", int), f"{where}.period.end_fy")
    if end_fy < start_fy:
        raise MachiplanError("end_fy is before start_fy", where=f"{where}.period")
    method_data = _get(data, "method", where, dict, required=False, default={})
    method = Method(
        name=_get(method_data, "name", f"{where}.method", str, required=False, default="progress_vs_pace"),
        params=dict(_get(method_data, "params", f"{where}.method", dict, required=False, default={})),
    )
    _check_method(method, f"{where}.method")
    code = _slug(_get(data, "code", where, str), f"{where}.code")
    muni_code = str(_get(municipality, "code", f"{where}.municipality", (str, int)))
    if not MUNICIPALITY_CODE_RE.fullmatch(muni_code):
        raise MachiplanError(
            f'{muni_code!r} is not a six-digit 全国地方公共団体コード (write it in quotes: "011002")',
            where=f"{where}.municipality.code",
        )
    higher_plans = tuple(
        _read_higher_plan(h, f"{where}.higher_plans[{n}]")
        for n, h in enumerate(_get(data, "higher_plans", where, list, required=False, default=[]))
    )
    departments = tuple(
        _read_department(d, f"{where}.departments[{n}]")
        for n, d in enumerate(_get(data, "departments", where, list, required=False, default=[]))
    )
    goals = tuple(
        _read_goal(g, f"{where}.goals[{n}]") for n, g in enumerate(_get(data, "goals", where, list))
    )
    _unique([h.horizon for h in higher_plans], f"{where}.higher_plans", "horizon")
    _unique([d.code for d in departments], f"{where}.departments", "department code")
    _unique([g.number for g in goals], f"{where}.goals", "goal number")

    context = _Context(
        goals={g.number for g in goals},
        departments={d.code for d in departments},
        horizons={PLAN_HORIZON} | {h.horizon for h in higher_plans},
    )
    warnings: list[PlanWarning] = []
    indicators = _read_indicators(root, context, warnings)
    evaluation_fy = _fy(_get(data, "evaluation_fy", where, int, required=False), f"{where}.evaluation_fy")
    plan = Plan(
        code=code,
        title=_get(data, "title", where, str).strip(),
        title_en=_get(data, "title_en", where, str, required=False),
        municipality=Municipality(
            name=_get(municipality, "name", f"{where}.municipality", str), code=muni_code
        ),
        start_fy=start_fy,
        end_fy=end_fy,
        evaluation_fy=evaluation_fy,
        method=method,
        higher_plans=higher_plans,
        departments=departments,
        goals=goals,
        indicators=indicators,
    )
    warnings.extend(check_plan(plan))
    return PackageResult(plan, tuple(warnings))


def _check_method(method: Method, where: str) -> None:
    # Imported here: evaluation depends on the plan module, not on packages.
    from ..domain.evaluation import METHOD_NAME, Params

    if method.name != METHOD_NAME:
        raise MachiplanError(f"unknown method {method.name!r} (known: {METHOD_NAME})", where=f"{where}.name")
    Params.from_mapping(method.params, where=f"{where}.params")


def _load_yaml(path: Path) -> Any:
    try:
        text = files.read_user_file(path, files.MAX_PACKAGE_FILE_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MachiplanError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})", where=str(path.name)
        ) from None
    except OSError as exc:
        raise MachiplanError(f"cannot read: {exc.strerror}", where=str(path)) from None
    try:
        _check_depth(text, path.name)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise MachiplanError(f"not valid YAML: {problem}", where=f"{path.name}{line}") from None
    if not isinstance(data, dict):
        raise MachiplanError("must be a YAML mapping at the top", where=path.name)
    return data


def _check_depth(text: str, name: str) -> None:
    """Refuse deep nesting before building anything: the C loader recurses once per level and
    would crash the process on a file of 100,000 '['."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise MachiplanError(
                    f"nested more than {MAX_YAML_DEPTH} levels deep",
                    where=f"{name}:{event.start_mark.line + 1}",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _unique(values: list[Any], where: str, what: str) -> None:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise MachiplanError(f"{what} {value!r} appears twice", where=where)
        seen.add(value)


def _read_higher_plan(data: Any, where: str) -> HigherPlan:
    horizon = _slug(_get(data, "horizon", where, str), f"{where}.horizon")
    if horizon == PLAN_HORIZON:
        raise MachiplanError("'plan' is this plan's own horizon", where=f"{where}.horizon")
    return HigherPlan(
        horizon=horizon,
        label=_get(data, "label", where, str),
        title=_get(data, "title", where, str),
        start_fy=_fy(_get(data, "start_fy", where, int, required=False), f"{where}.start_fy"),
        end_fy=_fy(_get(data, "end_fy", where, int, required=False), f"{where}.end_fy"),
        description=(_get(data, "description", where, str, required=False, default="") or "").strip(),
    )


def _read_department(data: Any, where: str) -> Department:
    return Department(
        code=_slug(_get(data, "code", where, str), f"{where}.code"), name=_get(data, "name", where, str)
    )


def _read_goal(data: Any, where: str) -> Goal:
    number = _get(data, "number", where, int)
    if error := goal_number_error(number, f"{where}.number"):
        raise error
    policies = tuple(
        _read_policy(p, f"{where}.policies[{n}]")
        for n, p in enumerate(_get(data, "policies", where, list, required=False, default=[]))
    )
    _unique([p.code for p in policies], f"{where}.policies", "policy code")
    narratives = tuple(
        _read_narrative(x, f"{where}.narratives[{n}]")
        for n, x in enumerate(_get(data, "narratives", where, list, required=False, default=[]))
    )
    footnotes = tuple(
        _text_list(_get(data, "footnotes", where, list, required=False, default=[]), f"{where}.footnotes")
    )
    return Goal(
        number=number,
        name=_get(data, "name", where, str),
        statement=_get(data, "statement", where, str),
        policies=policies,
        narratives=narratives,
        footnotes=footnotes,
    )


def _text_list(values: list[Any], where: str) -> Iterator[str]:
    for n, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            raise MachiplanError("must be a non-empty text", where=f"{where}[{n}]")
        yield value.strip()


def _read_policy(data: Any, where: str) -> Policy:
    initiatives = []
    for n, item in enumerate(_get(data, "initiatives", where, list, required=False, default=[])):
        item_where = f"{where}.initiatives[{n}]"
        if isinstance(item, str):
            initiatives.append(Initiative(text=item.strip()))
        else:
            facts = tuple(
                _text_list(
                    _get(item, "facts", item_where, list, required=False, default=[]), f"{item_where}.facts"
                )
            )
            initiatives.append(Initiative(text=_get(item, "text", item_where, str).strip(), facts=facts))
    return Policy(
        code=_get(data, "code", where, str),
        title=_get(data, "title", where, str),
        priority=_get(data, "priority", where, bool, required=False, default=False),
        initiatives=tuple(initiatives),
    )


def _read_narrative(data: Any, where: str) -> Narrative:
    kind = _get(data, "kind", where, str)
    if kind not in NARRATIVE_KINDS:
        raise MachiplanError(
            f"unknown kind {kind!r} (one of {', '.join(NARRATIVE_KINDS)})", where=f"{where}.kind"
        )
    items = []
    for n, item in enumerate(_get(data, "items", where, list)):
        item_where = f"{where}.items[{n}]"
        items.append(
            NarrativeItem(
                heading=(_get(item, "heading", item_where, str, required=False, default="") or "").strip(),
                text=(_get(item, "text", item_where, str, required=False, default="") or "").strip(),
                bullets=tuple(
                    _text_list(
                        _get(item, "bullets", item_where, list, required=False, default=[]),
                        f"{item_where}.bullets",
                    )
                ),
            )
        )
    fy = _fy(_get(data, "fy", where, int, required=False), f"{where}.fy")
    return Narrative(kind=kind, fy=fy, items=tuple(items))


class _Context:
    def __init__(self, *, goals: set[int], departments: set[str], horizons: set[str]) -> None:
        self.goals, self.departments, self.horizons = goals, departments, horizons


def _rows(root: Path, name: str, columns: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    """Rows of a package CSV with their place ('observations.csv:12'); the header is checked."""
    path = root / name
    if not path.exists():
        return
    try:
        stream = files.open_user_file(path, files.MAX_PACKAGE_FILE_BYTES)  # a regular file, bounded
        with io.TextIOWrapper(stream, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                return
            header = [h.strip() for h in header]
            repeated = sorted({h for h in header if header.count(h) > 1})
            if repeated:
                raise MachiplanError(f"column(s) appear twice: {', '.join(repeated)}", where=f"{name}:1")
            missing = [c for c in columns if c not in header and c not in _OPTIONAL_COLUMNS]
            if missing:
                raise MachiplanError(f"missing column(s): {', '.join(missing)}", where=f"{name}:1")
            unknown = [h for h in header if h not in columns]
            if unknown:
                raise MachiplanError(f"unknown column(s): {', '.join(unknown)}", where=f"{name}:1")
            absent = {c: "" for c in columns if c not in header}  # optional columns left out
            width = len(header)
            for row in reader:
                cells = [cell.strip() for cell in row]
                if not any(cells):
                    continue
                place = f"{name}:{reader.line_num}"
                if len(cells) != width:
                    raise MachiplanError(f"has {len(cells)} cells, the header has {width}", where=place)
                values = dict(zip(header, cells, strict=True))
                if absent:
                    values.update(absent)
                yield place, values
    except UnicodeDecodeError as exc:
        raise MachiplanError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", where=name) from None
    except csv.Error as exc:
        raise MachiplanError(f"not valid CSV: {exc}", where=name) from None
    except OSError as exc:
        raise MachiplanError(f"cannot read: {exc.strerror}", where=name) from None


_OPTIONAL_COLUMNS = {
    "name_en",
    "note",
    "department",
    "survey",
    "reference",
    "breakdown",
    "source_text",
    "as_of",
    "approximate",
    "period_start_fy",
    "measure",
    "direction",
    "unit",
}


def _cell(row: dict[str, str], key: str) -> str:
    return row[key]  # _rows strips every cell and fills in absent optional columns


def _int(row: dict[str, str], key: str, place: str, *, required: bool = True) -> int | None:
    text = _cell(row, key)
    if not text:
        if required:
            raise MachiplanError(f"'{key}' is empty", where=place)
        return None
    try:
        return int(text)
    except ValueError:
        raise MachiplanError(f"'{key}' must be an integer, not {text!r}", where=place) from None


def _decimal(row: dict[str, str], key: str, place: str) -> Decimal | None:
    text = _cell(row, key)
    if not text:
        return None
    try:
        return Decimal(text)  # the figure rules (check_plan) refuse what cannot be kept
    except InvalidOperation:
        raise MachiplanError(f"'{key}' must be a number, not {text!r}", where=place) from None


def _bool(row: dict[str, str], key: str, place: str) -> bool:
    text = _cell(row, key).lower()
    if text in ("", "false", "0", "no"):
        return False
    if text in ("true", "1", "yes"):
        return True
    raise MachiplanError(f"'{key}' must be true or false, not {text!r}", where=place)


def _choice(row: dict[str, str], key: str, place: str, choices: tuple[str, ...], default: str) -> str:
    text = _cell(row, key) or default
    if text not in choices:
        raise MachiplanError(f"'{key}' must be one of {', '.join(choices)}, not {text!r}", where=place)
    return text


def _breakdown(text: str, place: str) -> tuple[tuple[str, Decimal], ...]:
    """'認定=9;仮認定=5', or, for labels that form cannot hold, JSON: '[["A;B", "9"], …]'."""
    if not text:
        return ()
    if text.startswith("["):
        return _breakdown_json(text, place)
    parts = []
    for part in text.split(";"):
        label, sep, number = part.rpartition("=")  # the last '=': a label may hold one, a number not
        try:
            if not sep or not label.strip():
                raise InvalidOperation
            parts.append((label.strip(), Decimal(number.strip())))
        except InvalidOperation:
            raise MachiplanError(f"breakdown part {part!r} is not 'label=number'", where=place) from None
    return tuple(parts)


def _breakdown_json(text: str, place: str) -> tuple[tuple[str, Decimal], ...]:
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal)
        parts = tuple((label, Decimal(number)) for label, number in data)
        if not all(isinstance(label, str) for label, _ in parts):
            raise TypeError
        return parts
    except (ValueError, TypeError, InvalidOperation, RecursionError):
        raise MachiplanError(
            f"breakdown {text[:60]!r} is not 'label=number;…' nor a JSON list of [label, number]", where=place
        ) from None


def _breakdown_text(parts: tuple[tuple[str, Decimal], ...]) -> str:
    """The simple form when it reads back the same, else JSON: any label round-trips."""
    if not parts:
        return ""
    simple = ";".join(f"{label}={_number(v)}" for label, v in parts)
    try:
        if _breakdown(simple, "") == parts:
            return simple
    except MachiplanError:
        pass
    return json.dumps([[label, _number(v)] for label, v in parts], ensure_ascii=False)


def _read_indicators(root: Path, context: _Context, warnings: list[PlanWarning]) -> tuple[Indicator, ...]:
    observations: dict[str, list[Observation]] = {}
    seen_obs: set[tuple[str, int]] = set()
    rows = 0
    for place, row in _rows(root, OBSERVATIONS_FILE, OBSERVATION_COLUMNS):
        rows += 1
        code = _cell(row, "indicator")
        fy = _int(row, "fy", place)
        assert fy is not None
        if (code, fy) in seen_obs:
            raise MachiplanError(f"indicator {code} has a second row for FY{fy}", where=place)
        seen_obs.add((code, fy))
        observations.setdefault(code, []).append(_read_observation(row, fy, place))
    if not rows:
        warnings.append(PlanWarning(OBSERVATIONS_FILE, "no figures: the plan has no observations"))
    targets: dict[str, list[Target]] = {}
    seen_targets: set[tuple[str, str]] = set()
    for place, row in _rows(root, TARGETS_FILE, TARGET_COLUMNS):
        code, horizon = _cell(row, "indicator"), _cell(row, "horizon")
        if horizon not in context.horizons:
            raise MachiplanError(
                f"unknown horizon {horizon!r}: declare it under higher_plans in {PLAN_FILE}", where=place
            )
        if (code, horizon) in seen_targets:
            raise MachiplanError(f"indicator {code} has a second '{horizon}' target", where=place)
        seen_targets.add((code, horizon))
        fy = _int(row, "fy", place)
        assert fy is not None
        period_start = _int(row, "period_start_fy", place, required=False)
        targets.setdefault(code, []).append(
            Target(
                horizon=horizon,
                fy=fy,
                value=_decimal(row, "value", place),
                period_start_fy=period_start,
                approximate=_bool(row, "approximate", place),
                source_text=_cell(row, "source_text"),
                source=place,
            )
        )
    indicators = []
    codes: set[str] = set()
    for place, row in _rows(root, INDICATORS_FILE, INDICATOR_COLUMNS):
        code = _slug(_cell(row, "code"), place)
        if code in codes:
            raise MachiplanError(f"indicator code {code} appears twice", where=place)
        codes.add(code)
        goal = _int(row, "goal", place)
        if goal not in context.goals:
            raise MachiplanError(f"goal {goal} is not in {PLAN_FILE}", where=place)
        department = _cell(row, "department") or None
        if department is not None and department not in context.departments:
            raise MachiplanError(f"department {department!r} is not in {PLAN_FILE}", where=place)
        name = _cell(row, "name")
        if not name:
            raise MachiplanError("'name' is empty", where=place)
        indicators.append(
            Indicator(
                code=code,
                goal=goal,  # type: ignore[arg-type]
                category=_cell(row, "category"),
                name=name,
                name_en=_cell(row, "name_en") or None,
                unit=_cell(row, "unit") or None,
                direction=_choice(row, "direction", place, DIRECTIONS, "increase"),
                measure=_choice(row, "measure", place, MEASURES, "level"),
                survey=_bool(row, "survey", place),
                reference=_bool(row, "reference", place),
                department=department,
                note=_cell(row, "note") or None,
                observations=tuple(sorted(observations.pop(code, []), key=lambda o: o.fy)),
                targets=tuple(targets.pop(code, [])),
            )
        )
    for leftovers, name in ((observations, OBSERVATIONS_FILE), (targets, TARGETS_FILE)):
        if leftovers:
            code = next(iter(leftovers))
            raise MachiplanError(f"indicator {code!r} is not in {INDICATORS_FILE}", where=name)
    return tuple(indicators)


def _read_observation(row: dict[str, str], fy: int, place: str) -> Observation:
    """One row as read; its rules (a value for its kind, the as-of date in its year …) are the
    figure rules every way in shares, applied by check_plan."""
    as_of = None
    if _cell(row, "as_of"):
        try:
            as_of = dt.date.fromisoformat(_cell(row, "as_of"))
        except ValueError:
            raise MachiplanError(
                f"'as_of' must be a date like 2017-09-15, not {_cell(row, 'as_of')!r}", where=place
            ) from None
    return Observation(
        fy=fy,
        kind=_choice(row, "kind", place, OBSERVATION_KINDS, "actual"),
        value=_decimal(row, "value", place),
        as_of=as_of,
        approximate=_bool(row, "approximate", place),
        breakdown=_breakdown(_cell(row, "breakdown"), place),
        source_text=_cell(row, "source_text"),
        note=_cell(row, "note"),
        source=place,
    )


# --- writing -------------------------------------------------------------------------


def _number(value: Decimal | None) -> str:
    return "" if value is None else format_number(value).replace(",", "")


def write_package(plan: Plan, directory: str | Path) -> Path:
    """Write ``plan`` as a package; ``read_package`` reads it back to an equal plan."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "code": plan.code,
        "title": plan.title,
        **({"title_en": plan.title_en} if plan.title_en else {}),
        "municipality": {"name": plan.municipality.name, "code": plan.municipality.code},
        "period": {"start_fy": plan.start_fy, "end_fy": plan.end_fy},
        **({"evaluation_fy": plan.evaluation_fy} if plan.evaluation_fy is not None else {}),
        "method": {"name": plan.method.name, "params": dict(plan.method.params)},
        "higher_plans": [
            {
                k: v
                for k, v in (
                    ("horizon", h.horizon),
                    ("label", h.label),
                    ("title", h.title),
                    ("start_fy", h.start_fy),
                    ("end_fy", h.end_fy),
                    ("description", h.description),
                )
                if v not in (None, "")
            }
            for h in plan.higher_plans
        ],
        "departments": [{"code": d.code, "name": d.name} for d in plan.departments],
        "goals": [_goal_document(g) for g in plan.goals],
    }
    text = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    (root / PLAN_FILE).write_text(text, encoding="utf-8")
    _write_csv(
        root / INDICATORS_FILE,
        INDICATOR_COLUMNS,
        (
            (
                i.code,
                i.goal,
                i.category,
                i.name,
                i.name_en or "",
                i.unit or "",
                i.direction,
                i.measure,
                _flag(i.survey),
                _flag(i.reference),
                i.department or "",
                i.note or "",
            )
            for i in plan.indicators
        ),
    )
    _write_csv(
        root / OBSERVATIONS_FILE,
        OBSERVATION_COLUMNS,
        (
            (
                i.code,
                o.fy,
                o.kind,
                _number(o.value),
                o.as_of.isoformat() if o.as_of else "",
                _flag(o.approximate),
                _breakdown_text(o.breakdown),
                o.source_text,
                o.note,
            )
            for i in plan.indicators
            for o in i.observations
        ),
    )
    _write_csv(
        root / TARGETS_FILE,
        TARGET_COLUMNS,
        (
            (
                i.code,
                t.horizon,
                t.fy,
                _number(t.value),
                t.period_start_fy if t.period_start_fy is not None else "",
                _flag(t.approximate),
                t.source_text,
            )
            for i in plan.indicators
            for t in i.targets
        ),
    )
    return root


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _write_csv(path: Path, header: tuple[str, ...], rows: Iterator[tuple[Any, ...]] | Any) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        # With '\n' line ends, a lone '\r' in a cell is left unquoted, and a reader takes it for a
        # line break: such a (rare) row is written with every cell quoted.
        quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        for row in rows:
            (quoted if any("\r" in cell for cell in row if isinstance(cell, str)) else writer).writerow(row)


def _goal_document(goal: Goal) -> dict[str, Any]:
    doc: dict[str, Any] = {"number": goal.number, "name": goal.name, "statement": goal.statement}
    doc["policies"] = [
        {
            "code": p.code,
            "title": p.title,
            "priority": p.priority,
            "initiatives": [
                i.text if not i.facts else {"text": i.text, "facts": list(i.facts)} for i in p.initiatives
            ],
        }
        for p in goal.policies
    ]
    if goal.footnotes:
        doc["footnotes"] = list(goal.footnotes)
    doc["narratives"] = [
        {
            **({"kind": n.kind}),
            **({"fy": n.fy} if n.fy is not None else {}),
            "items": [
                {
                    k: v
                    for k, v in (("heading", it.heading), ("text", it.text), ("bullets", list(it.bullets)))
                    if v
                }
                for it in n.items
            ],
        }
        for n in goal.narratives
    ]
    return doc


__all__ = ["SCHEMA", "PackageResult", "read_package", "read_package_result", "write_package"]
