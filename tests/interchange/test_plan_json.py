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


def _serial_bytes(plan, evaluation, indent):
    handle = io.BytesIO()
    write_plan_json(plan, evaluation, handle, indent=indent)
    return handle.getvalue()


@pytest.mark.parametrize(
    "make",
    [
        io.BytesIO,  # no descriptor: the second half copied through Python
        io.StringIO,
        lambda: io.TextIOWrapper(io.BytesIO(), encoding="utf-16"),  # decoded, a block at a time
        "file",  # a file of this process: the kernel copies the second half
        "text-file",
    ],
    ids=["binary", "text", "utf-16", "file", "text-file"],
)
@pytest.mark.parametrize("indent", [2, None])
def test_a_plan_written_apart_is_byte_for_byte_the_plan_written_in_one_process(
    sapporo, make, indent, tmp_path, monkeypatch
):
    """``apart``: the second half of the indicators written by a forked copy (every plan of at least
    APART_FROM indicators; here every plan), after whatever the handle held."""
    from machiplan.interchange import plan_json as module

    plan, evaluation = sapporo
    monkeypatch.setattr(module, "APART_FROM", 1)
    counted: list[int] = []

    def each(items, total):
        counted.append(total)
        yield from items

    path = tmp_path / "plan.json"
    opened = {"file": lambda: path.open("wb"), "text-file": lambda: path.open("w", encoding="utf-8")}
    handle = opened.get(make, make)()
    handle.write(b"before\n" if isinstance(handle, io.BytesIO) or make == "file" else "before\n")
    write_plan_json(plan, evaluation, handle, indent=indent, each=each, apart=True)
    if make in ("file", "text-file"):
        handle.close()
        raw = path.read_bytes()
    else:
        handle.flush()
        raw = handle.buffer.getvalue() if isinstance(handle, io.TextIOWrapper) else handle.getvalue()
        if isinstance(raw, str):
            raw = raw.encode()
        elif getattr(handle, "encoding", "utf-8") != "utf-8":
            raw = raw.decode(handle.encoding).encode()
    assert raw == b"before\n" + _serial_bytes(plan, evaluation, indent)
    assert counted == [len(plan.indicators) // 2]  # this process's half


def test_a_plan_written_apart_raises_what_the_second_process_raised(sapporo, monkeypatch):
    from machiplan.interchange import plan_json as module

    plan, evaluation = sapporo
    monkeypatch.setattr(module, "APART_FROM", 1)
    last = plan.indicators[-1].code
    indicator = module._indicator

    def failing(ind, *args):
        if ind.code == last:  # in the second half: only the forked copy meets it
            raise ValueError(f"cannot write {ind.code}")
        return indicator(ind, *args)

    monkeypatch.setattr(module, "_indicator", failing)
    with pytest.raises(ValueError, match=f"cannot write {last}"):
        write_plan_json(plan, evaluation, io.BytesIO(), apart=True)


def test_a_plan_written_apart_into_a_pipe_is_the_plan_written_in_one_process(sapporo):
    """The command's own case: stdout a pipe (``machiplan evaluate --json | jq``), the second half
    sent into it by the kernel."""
    import subprocess
    import sys

    plan, evaluation = sapporo
    script = (
        "import sys\n"
        "from machiplan.domain.evaluation import evaluate_plan\n"
        "from machiplan.embedded import DEFAULT_PLAN_DIR\n"
        "from machiplan.interchange import plan_json\n"
        "from machiplan.interchange.package import read_package\n"
        "plan = read_package(DEFAULT_PLAN_DIR)\n"
        "plan_json.APART_FROM = 1\n"
        "sys.stdout.write('before\\n')\n"
        "plan_json.write_plan_json(plan, evaluate_plan(plan), sys.stdout, apart=True)\n"
    )
    piped = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True, timeout=120)
    assert piped.stdout == b"before\n" + _serial_bytes(plan, evaluation, 2)


def test_an_output_closed_midway_stops_the_second_process(sapporo, monkeypatch):
    """``machiplan evaluate --json | head``: the pipe closes while this process writes its half; the
    forked copy writing the other half is stopped, not left to finish, and the error is the pipe's."""
    from machiplan.domain.apart import abandon as stop
    from machiplan.interchange import plan_json as module

    plan, evaluation = sapporo
    monkeypatch.setattr(module, "APART_FROM", 1)
    abandoned = []
    monkeypatch.setattr(module, "abandon", lambda given: abandoned.append(given) or stop(given))

    class Closing(io.BytesIO):
        def write(self, data):
            if self.tell() > 100:
                raise BrokenPipeError(32, "Broken pipe")
            return super().write(data)

    with pytest.raises(BrokenPipeError):
        write_plan_json(plan, evaluation, Closing(), apart=True)
    assert len(abandoned) == 1
    with pytest.raises(Exception, match="was stopped"):
        abandoned[0]()


def test_without_a_temporary_folder_the_plan_is_written_in_one_process(sapporo, monkeypatch):
    from machiplan.interchange import plan_json as module

    plan, evaluation = sapporo
    monkeypatch.setattr(module, "APART_FROM", 1)

    def no_folder():
        raise FileNotFoundError(2, "No usable temporary directory found")

    monkeypatch.setattr(module.tempfile, "TemporaryFile", no_folder)
    monkeypatch.setattr(
        module, "begun_apart", lambda *a, **k: pytest.fail("forked without a file to write to")
    )
    handle = io.BytesIO()
    write_plan_json(plan, evaluation, handle, apart=True)
    assert handle.getvalue() == _serial_bytes(plan, evaluation, 2)
