"""write_plan_json streams the document plan_json builds, to any handle a caller has."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from decimal import Decimal

import pytest

from machiplan.domain.evaluation import evaluate_plan
from machiplan.embedded import DEFAULT_PLAN_DIR
from machiplan.interchange.package import read_package
from machiplan.interchange.plan_json import encode, plan_json, write_plan_json


@pytest.fixture(scope="module")
def sapporo():
    plan = read_package(DEFAULT_PLAN_DIR)
    return plan, evaluate_plan(plan)


def _written(handle, plan, evaluation, indent):
    handle.write(b"before\n" if isinstance(handle, io.BytesIO) else "before\n")
    write_plan_json(plan, evaluation, handle, indent=indent)
    handle.flush()
    raw = handle.getvalue() if not isinstance(handle, io.TextIOWrapper) else handle.buffer.getvalue()
    return raw, getattr(handle, "encoding", "utf-8")


@pytest.mark.parametrize(
    "make",
    [
        io.BytesIO,
        io.StringIO,
        lambda: io.TextIOWrapper(io.BytesIO(), encoding="utf-8"),
        lambda: io.TextIOWrapper(io.BytesIO(), encoding="utf-16"),  # not UTF-8: written as text
    ],
    ids=["binary", "text", "utf-8-over-bytes", "utf-16-over-bytes"],
)
@pytest.mark.parametrize("indent", [2, None])
def test_the_streamed_document_is_plan_json_after_what_the_handle_held(sapporo, make, indent):
    plan, evaluation = sapporo
    raw, encoding = _written(make(), plan, evaluation, indent)
    text = raw.decode(encoding) if isinstance(raw, bytes) else raw
    assert text.startswith("before\n")
    streamed = text.removeprefix("before\n")
    assert streamed.endswith("}\n")
    document = plan_json(plan, evaluation)
    assert json.loads(streamed) == json.loads(json.dumps(document))
    assert [n["indicators"] for n in document["nodes"]][:2] == [["1a", "1b", "1c", "1d"], []]
    if indent:  # laid out as json.dumps(indent=2) lays out the whole document, bar the last line
        whole = json.dumps(document, ensure_ascii=False, indent=2)
        tail = whole.index('  "status_counts"')
        assert streamed[:tail] == whole[:tail]
    else:
        assert "\n" not in streamed[:-1]


def test_encode_writes_integers_beyond_64_bits_through_the_standard_library():
    assert encode({"n": 2**70}, indent=None) == b'{"n":1180591620717411303424}'
    assert encode({"名": 1}) == '{\n  "名": 1\n}'.encode()


@pytest.mark.parametrize("indent", [2, None])
def test_an_integer_beyond_64_bits_leaves_the_streamed_document_as_the_standard_library_lays_it_out(
    sapporo, indent
):
    plan, _ = sapporo
    first, *others = plan.indicators
    huge = replace(first.observations[0], value=Decimal(2**70))
    plan = replace(plan, indicators=(replace(first, observations=(huge, *first.observations[1:])), *others))
    evaluation = evaluate_plan(plan)
    streamed = _written(io.BytesIO(), plan, evaluation, indent)[0].decode().removeprefix("before\n")
    document = plan_json(plan, evaluation)
    assert str(2**70) in streamed
    assert json.loads(streamed) == json.loads(json.dumps(document))
    if indent:
        whole = json.dumps(document, ensure_ascii=False, indent=2)
        tail = whole.index('  "status_counts"')
        assert streamed[:tail] == whole[:tail]


def test_a_figure_of_zero_is_written_as_zero_and_an_empty_one_as_null(sapporo):
    plan, _ = sapporo
    first, *others = plan.indicators
    zero = replace(
        first.observations[0], value=Decimal(0), margin=Decimal("0.0"), breakdown=(("a", Decimal(0)),)
    )
    empty = replace(first.observations[1], value=None, margin=None, as_of=None, breakdown=())
    observations = (zero, empty, *first.observations[2:])
    plan = replace(plan, indicators=(replace(first, observations=observations), *others))
    written = plan_json(plan)["indicators"][0]["observations"][:2]
    assert [(o["value"], o["margin"], o["breakdown"]) for o in written] == [
        (0, 0, {"a": 0}),
        (None, None, {}),
    ]
    assert written[1]["as_of"] is None
