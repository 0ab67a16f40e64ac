"""The three readers fuzzed through their public entries: import-sheet, load, the staff bulk upload.

For every input, mutated from a real one (the seed sheet, the embedded package,
a bulk template): success, or exactly one line of error and nothing written; never
a traceback. ``HYPOTHESIS_PROFILE=long`` runs thousands of inputs (docs/fuzzing.md);
bin/test runs the bounded number below.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from machiplan.domain.errors import MachiplanError
from machiplan.embedded import DEFAULT_PLAN_DIR
from machiplan.plans import models
from machiplan.staff.models import AuditEvent, BulkUpload, Entry
from tests.conftest import SEED

from .mutations import csv_file, mutated_bytes, mutated_text, text_file, workbook_file

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
SLOW = 20  # seconds: no input of these sizes takes a reader anywhere near this


def examples(bounded: int):
    """Each test's number of inputs: bounded in bin/test, the long profile's own in a fuzzing run."""
    return settings(
        max_examples=settings.default.max_examples if LONG else bounded,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
        deadline=None,
    )


def counts() -> dict[str, int]:
    return {
        "plans": models.Plan.objects.count(),
        "indicators": models.Indicator.objects.count(),
        "observations": models.Observation.objects.count(),
        "targets": models.Target.objects.count(),
        "entries": Entry.objects.count(),
        "events": AuditEvent.objects.count(),
    }


def one_line(message: str) -> None:
    assert message and "\n" not in message and "\r" not in message, repr(message)
    assert "Traceback" not in message, message


def assert_outcome(result, before: dict[str, int], seconds: float) -> None:
    """Exit 0, or exit 1 with exactly one line of error (warnings aside), nothing on stdout and nothing written."""
    assert "Traceback" not in result.err + result.out
    assert result.code in (0, 1), result
    assert seconds < SLOW, f"took {seconds:.1f} s"
    others = [line for line in result.err.splitlines() if not line.startswith("machiplan: warning: ")]
    event("read" if result.code == 0 else f"refused: {others[0].split(': ')[-1][:30] if others else '?'}")
    if result.code == 0:
        assert others == [], result.err
        return
    assert len(others) == 1 and others[0].startswith("machiplan: error: "), result.err
    assert result.out == ""
    assert counts() == before


def run(cli, *args: str):
    before = counts()
    start = time.perf_counter()
    result = cli(*args)
    return result, before, time.perf_counter() - start


# --- import-sheet --------------------------------------------------------------------------------

SEED_TEXT = SEED.read_text(encoding="utf-8")
NAMES = st.sampled_from(
    ["sheet.txt", "進捗状況.txt", os.fsdecode(b"\xff\xfe\xe8\xa8\x88.txt"), "a\nb.txt", "-x.txt"]
)


@examples(40)
@given(data=text_file(SEED_TEXT), name=NAMES)
def test_import_sheet(cli, tmp_path, data, name):
    cli("plans")  # the embedded plan is loaded on first use, before counting
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        result, before, seconds = run(
            cli, "import-sheet", str(path), "--save", "--replace", "--json", "--code", "fuzz-sheet",
            "--municipality-code", "011002",
        )  # fmt: skip
    assert_outcome(result, before, seconds)
    if result.code == 0:
        assert json.loads(result.out)["plan"]["code"] == "fuzz-sheet"
        assert models.Plan.objects.filter(code="fuzz-sheet").exists()


# --- load ----------------------------------------------------------------------------------------

PACKAGE = {name: (DEFAULT_PLAN_DIR / name).read_text(encoding="utf-8") for name in
           ("plan.yaml", "indicators.csv", "observations.csv", "targets.csv")}  # fmt: skip
PACKAGE["plan.yaml"] = PACKAGE["plan.yaml"].replace("code: sapporo-machizukuri-2", "code: fuzz-package", 1)


@st.composite
def packages(draw) -> dict[str, bytes]:
    files = {name: text.encode("utf-8") for name, text in PACKAGE.items()}
    for name in draw(st.lists(st.sampled_from(sorted(PACKAGE)), min_size=1, max_size=2, unique=True)):
        text = draw(mutated_text(PACKAGE[name]))
        data = text.encode("utf-8", errors="replace")
        files[name] = draw(mutated_bytes(data)) if draw(st.integers(0, 4)) == 0 else data
    return files


@examples(40)
@given(files=packages())
def test_load(cli, tmp_path, files):
    cli("plans")
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        for name, data in files.items():
            (Path(folder) / name).write_bytes(data)
        result, before, seconds = run(cli, "load", folder, "--replace")
    assert_outcome(result, before, seconds)
    if result.code == 0:
        assert result.out.startswith("loaded fuzz-package: ")


# --- the staff bulk upload -----------------------------------------------------------------------

PLAN = "sapporo-machizukuri-2"


@pytest.fixture
def templates(people):
    from machiplan.interchange import entry_sheet
    from machiplan.staff.services import bulk

    rows = bulk.template_rows(user=people["editor"], plan_code=PLAN, fy=2017)
    filled = [list(r) for r in rows]
    for row in filled:  # a figure in each row, so that the mutants reach the checks and the save
        row[entry_sheet.KEYS.index("kind")] = "実績"
        row[entry_sheet.KEYS.index("value")] = "42"
    return {
        "csv": entry_sheet.write_csv(filled).decode("utf-8-sig"),
        "xlsx": entry_sheet.write_xlsx(filled),
    }


@st.composite
def uploads(draw, templates) -> tuple[str, bytes]:
    if draw(st.booleans()):
        return "figures.csv", draw(csv_file(templates["csv"]))
    return "figures.xlsx", draw(workbook_file(templates["xlsx"]))


def _one_line_errors(preview) -> None:
    for _, column, message in preview.errors:
        one_line(message)
        assert "\n" not in column
    for row in preview.rows:
        for warning in row.warnings:
            one_line(warning)


@examples(60)
@given(data=st.data())
def test_bulk_upload_service(people, templates, data):
    from machiplan.staff.services import bulk

    name, content = data.draw(uploads(templates))
    editor = people["editor"]
    before = counts()
    start = time.perf_counter()
    try:
        upload = bulk.upload_store(user=editor, plan_code=PLAN, filename=name, content=content)
    except MachiplanError as exc:  # too large
        event("upload refused")
        one_line(str(exc))
        assert counts() == before
        return
    preview = bulk.preview(user=editor, upload=upload)
    _one_line_errors(preview)
    event(
        f"file error: {preview.file_error[:60]}"
        if preview.file_error
        else f"rows with errors: {bool(preview.errors)}"
    )
    before = counts()
    try:
        saved = bulk.apply(user=editor, upload=upload, submit=data.draw(st.booleans()))
    except MachiplanError as exc:  # BulkRefused with the preview's errors, or a step refused
        one_line(str(exc))
        assert counts() == before
        assert BulkUpload.objects.get(pk=upload.pk).applied_at is None
    else:
        event("saved")
        assert saved == len(preview.changes)
    assert time.perf_counter() - start < SLOW


@examples(15)
@given(data=st.data())
def test_bulk_upload_over_http(as_, templates, data):
    name, content = data.draw(uploads(templates))
    client = as_("editor")
    response = client.post(f"/staff/plans/{PLAN}/bulk/", {"file": _file(content, name)})
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # refused on the page (too large)
        return
    preview_url = response["Location"]
    assert client.get(preview_url).status_code == 200
    before = counts()
    applied = client.post(preview_url)
    assert applied.status_code in (302, 400)
    if applied.status_code == 400:
        assert counts() == before


def _file(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_the_seed_and_package_themselves_pass(cli, tmp_path):
    """The inputs the mutants come from are read as they are (else the fuzzing would test nothing)."""
    shutil.copytree(DEFAULT_PLAN_DIR, tmp_path / "pkg")
    (tmp_path / "pkg" / "plan.yaml").write_text(PACKAGE["plan.yaml"], encoding="utf-8")
    assert cli("load", str(tmp_path / "pkg")).code == 0
    assert cli("import-sheet", str(SEED), "--save", "--code", "fuzz-sheet").code == 0
