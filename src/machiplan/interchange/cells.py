"""Typed cells of machiplan's CSV files: read with the place of a bad value, written so that
reading gives the value back exactly.

A list cell (nodes, departments, series) joins its items with ``;``; a breakdown joins
``label=number`` parts with ``;``. Inside an item, ``\\`` escapes ``;``, ``=`` and ``\\``
itself, so any text a person can enter survives export → load.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation

from ..domain.errors import MachiplanError
from ..domain.figures import Field
from ..domain.quantities import format_number

Row = Mapping[str, str]


def csv_problem(exc: csv.Error) -> str:
    """What the CSV reader found wrong, in a reader's words: its "field larger than field limit
    (131072)" is a cell longer than the limit. Every CSV reader of machiplan says it so."""
    problem = str(exc)
    if "field limit" in problem:
        return f"a cell longer than {csv.field_size_limit():,} characters"
    return problem


_ESCAPED = ("\\", ";", "=")


def escape_item(text: str) -> str:
    for char in _ESCAPED:
        text = text.replace(char, "\\" + char)
    return text


def split_escaped(text: str, separator: str) -> list[str]:
    """Split at unescaped ``separator``s, keeping escapes for a later split (``\\;`` stays)."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\\\")  # a lone trailing backslash stands for itself
    parts.append("".join(current))
    return parts


def unescape_item(text: str) -> str:
    out, escaped = [], False
    for char in text:
        if escaped or char != "\\":
            out.append(char)
            escaped = False
        else:
            escaped = True
    if escaped:
        out.append("\\")
    return "".join(out)


def join_list(items: Iterable[str]) -> str:
    return ";".join(escape_item(i) for i in items)


def split_list(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(unescape_item(p).strip() for p in split_escaped(text, ";") if p.strip())


def number_text(value: Decimal | None) -> str:
    """A figure as a package writes it: plain digits, no grouping, no exponent."""
    return "" if value is None else format_number(value).replace(",", "")


def join_breakdown(parts: Iterable[tuple[str, Decimal]]) -> str:
    """The simple form, or JSON where the simple form would not read back the same (a label
    with spaces at either end, a first label starting with '[')."""
    parts = tuple(parts)
    text = ";".join(f"{escape_item(label)}={number_text(v)}" for label, v in parts)
    if text.startswith("[") or any(label != label.strip() for label, _ in parts):
        return json.dumps([[label, number_text(v)] for label, v in parts], ensure_ascii=False)
    return text


def split_breakdown(text: str, place: str) -> tuple[tuple[str, Decimal], ...]:
    """'認定=9;仮認定=5' (with '\\' escapes), or the JSON form '[["A;B", "9"], …]' that format 1
    packages wrote for labels their simple form could not hold."""
    if not text:
        return ()
    if text.startswith("["):
        return _breakdown_json(text, place)
    parts = []
    for part in split_escaped(text, ";"):
        pieces = split_escaped(part, "=")
        label = unescape_item("=".join(pieces[:-1])).strip() if len(pieces) > 1 else ""
        if not label:
            raise MachiplanError(f"breakdown part {unescape_item(part)!r} is not 'label=number'", where=place)
        parts.append((label, decimal_text(unescape_item(pieces[-1]).strip(), "breakdown", place)))
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


# A plain number in ASCII digits, as machiplan writes one (an exponent too: other programs write
# 1e-05). Python's own readers would also take '9_4.1' and any script's digits (٩٤, ９４).
_PLAIN_DECIMAL = re.compile(
    r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:inf|infinity|s?nan)", re.I
)
_PLAIN_INT = re.compile(r"[+-]?[0-9]+")


def decimal_text(text: str, key: str, place: str) -> Decimal:
    """A number as written; whether it can be kept (finite, its digits) is the figure rules' to say."""
    try:
        if not _PLAIN_DECIMAL.fullmatch(text.strip()):
            raise InvalidOperation
        return Decimal(text)
    except InvalidOperation:
        raise MachiplanError(f"'{key}' must be a number, not {text!r}", where=place) from None


# --- readers of a row's cells: each names the place of a bad value --------------------------
# Each ``*_cell`` function reads one cell's text (``key``: its column, for the message); the
# row readers around them look the cell up by its column's name.


def text(row: Row, key: str) -> str:
    return row.get(key, "")


def required_text(row: Row, key: str, place: str) -> str:
    value = text(row, key)
    if not value:
        raise MachiplanError(f"'{key}' is empty", where=place)
    return value


def int_cell(value: str, key: str, place: str) -> int | None:
    if not value:
        return None
    try:
        if not _PLAIN_INT.fullmatch(value.strip()):
            raise ValueError
        return int(value)
    except ValueError:
        raise MachiplanError(f"'{key}' must be an integer, not {value!r}", where=place) from None


def required_int_cell(value: str, key: str, place: str) -> int:
    number = int_cell(value, key, place)
    if number is None:
        raise MachiplanError(f"'{key}' is empty", where=place)
    return number


def optional_int(row: Row, key: str, place: str) -> int | None:
    return int_cell(text(row, key), key, place)


def required_int(row: Row, key: str, place: str) -> int:
    return required_int_cell(text(row, key), key, place)


def decimal_cell(value: str, key: str, place: str) -> Decimal | None:
    return decimal_text(value, key, place) if value else None


def optional_decimal(row: Row, key: str, place: str) -> Decimal | None:
    return decimal_cell(text(row, key), key, place)


def flag_cell(value: str, key: str, place: str, *, default: bool = False) -> bool:
    value = value.lower()
    if value == "":
        return default
    if value in ("false", "0", "no"):
        return False
    if value in ("true", "1", "yes"):
        return True
    raise MachiplanError(f"'{key}' must be true or false, not {value!r}", where=place)


def flag(row: Row, key: str, place: str, *, default: bool = False) -> bool:
    return flag_cell(text(row, key), key, place, default=default)


def choice_cell(value: str, key: str, place: str, choices: tuple[str, ...], default: str) -> str:
    value = value or default
    if value not in choices:
        raise MachiplanError(f"'{key}' must be one of {', '.join(choices)}, not {value!r}", where=place)
    return value


def choice(row: Row, key: str, place: str, choices: tuple[str, ...], default: str) -> str:
    return choice_cell(text(row, key), key, place, choices, default)


def optional_choice_cell(value: str, key: str, place: str, choices: tuple[str, ...]) -> str | None:
    return choice_cell(value, key, place, choices, "") if value else None


def optional_choice(row: Row, key: str, place: str, choices: tuple[str, ...]) -> str | None:
    return optional_choice_cell(text(row, key), key, place, choices)


def date_cell(value: str, key: str, place: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise MachiplanError(f"'{key}' must be a date like 2017-09-15, not {value!r}", where=place) from None


def optional_date(row: Row, key: str, place: str) -> dt.date | None:
    return date_cell(text(row, key), key, place)


def flag_text(value: bool) -> str:
    return "true" if value else "false"


# --- the figure fields (``domain.figures``) as cells -----------------------------------------


def cell_reader(spec: Field) -> Callable[[str, str], object]:
    """The reader of a field's cell (its text, and its place for a message), typed as
    ``domain.figures`` says; an empty cell takes the default. The type's reader is chosen once:
    a package's million figures are each read through them."""
    name = spec.name
    if spec.type == "int":
        read_int = required_int_cell if spec.required else int_cell
        return lambda value, place: read_int(value, name, place)
    if spec.type == "decimal":
        return lambda value, place: decimal_cell(value, name, place)
    if spec.type == "date":
        return lambda value, place: date_cell(value, name, place)
    if spec.type == "bool":
        default = bool(spec.default())
        return lambda value, place: flag_cell(value, name, place, default=default)
    if spec.type == "breakdown":
        return split_breakdown
    if spec.type == "choice":
        # the choice's own string, not the cell's copy of it: a package's million figures each kept
        # their own 'actual'
        canonical = {c: c for c in spec.choices}
        if spec.nullable:
            stated = tuple(c for c in spec.choices if c)
            return lambda value, place: canonical.get(optional_choice_cell(value, name, place, stated))
        choices, fallback = spec.choices, str(spec.default() or "")
        return lambda value, place: canonical[choice_cell(value, name, place, choices, fallback)]
    required, empty = spec.required, None if spec.nullable else ""

    def read_text(value: str, place: str) -> object:
        if required and not value:
            raise MachiplanError(f"'{name}' is empty", where=place)
        return value or empty

    return read_text


def write_field(spec: Field, value: object) -> str:
    """The cell ``cell_reader`` reads back to ``value``."""
    if value is None:
        return ""
    if spec.type == "decimal":
        return number_text(value)  # type: ignore[arg-type]
    if spec.type == "date":
        return value.isoformat()  # type: ignore[attr-defined]
    if spec.type == "bool":
        return flag_text(bool(value))
    if spec.type == "breakdown":
        return join_breakdown(value)  # type: ignore[arg-type]
    return str(value)
