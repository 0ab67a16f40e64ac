"""export and report into a folder that already holds an older run's files: the folder then holds
this run's files and nothing stale of the same kind, and a user's own files are left alone."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

from machiplan.domain.errors import MachiplanError
from machiplan.interchange.package import read_package
from machiplan.plans.selectors import plan_data

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
SAPPORO = "sapporo-machizukuri-2"
NOTE = "notes.txt"


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def loaded(cli, folder: Path, *options: str) -> str:
    result = cli("load", str(folder), *options)
    assert result.code == 0, result.err
    return read_package(folder).code


def exported(cli, code: str, folder: Path) -> Path:
    result = cli("export", code, "--out", str(folder))
    assert result.code == 0, result.err
    return folder


def with_a_note(folder: Path) -> Path:
    (folder / NOTE).write_text("my own notes\n", encoding="utf-8")
    return folder


def gives_back_exactly(cli, folder: Path, code: str, tmp_path: Path) -> None:
    """Loading ``folder`` gives back the plan ``code`` exported: a fresh export of what was loaded
    is ``folder``'s package byte for byte; the note is there as it was written."""
    plan = plan_data(code)
    assert read_package(folder) == plan
    assert loaded(cli, folder, "--replace") == code
    assert plan_data(code) == plan
    fresh = exported(cli, code, tmp_path / "fresh")
    over = files(folder)
    assert over.pop(NOTE) == b"my own notes\n"
    assert over == files(fresh)


@pytest.mark.parametrize(
    ("name", "optional"),
    [
        ("tsukuba", {"baselines.csv", "ratings.csv"}),
        ("fuji", {"costs.csv", "ratings.csv", "tallies.csv"}),
        ("ogaki", {"comments.csv", "costs.csv"}),
    ],
)
def test_an_export_over_another_plans_package_leaves_none_of_its_files(cli, tmp_path, name, optional):
    out = tmp_path / "out"
    older = exported(cli, loaded(cli, REAL / name), out)
    assert optional <= set(files(older))  # the older package has files Sapporo's has not
    with_a_note(out)
    exported(cli, SAPPORO, out)
    assert not optional & set(files(out))
    gives_back_exactly(cli, out, SAPPORO, tmp_path)


def test_an_export_of_a_plan_that_lost_its_baselines_does_not_bring_them_back(cli, tmp_path):
    out = with_a_note(exported(cli, loaded(cli, REAL / "tsukuba"), tmp_path / "out"))
    assert {"baselines.csv", "ratings.csv"} <= set(files(out))
    shorter = shutil.copytree(REAL / "tsukuba", tmp_path / "shorter")
    (shorter / "baselines.csv").unlink()
    (shorter / "ratings.csv").unlink()
    code = loaded(cli, shorter, "--replace")
    assert not any(i.baselines for i in plan_data(code).indicators)

    exported(cli, code, out)
    assert read_package(out) == read_package(shorter)  # the old baselines and ratings do not come back
    assert set(files(out)) == {NOTE, "plan.yaml", "indicators.csv", "observations.csv", "targets.csv"}
    gives_back_exactly(cli, out, code, tmp_path)


def test_a_failed_export_leaves_the_older_package_as_it_was(cli, tmp_path, monkeypatch):
    out = with_a_note(exported(cli, loaded(cli, REAL / "tsukuba"), tmp_path / "out"))
    before = files(out)
    module = importlib.import_module("machiplan.plans.services.plan_export")
    write_package = module.write_package

    def broken(plan, folder):  # the whole package written, then a failure before it is placed
        written = write_package(plan, folder)
        raise MachiplanError("no room", where=str(written))

    monkeypatch.setattr(module, "write_package", broken)
    result = cli("export", SAPPORO, "--out", str(out))
    assert result.code == 1 and "no room" in result.err
    assert files(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no scratch folder left


def test_a_csv_report_over_another_plans_leaves_none_of_its_data_files(cli, tmp_path):
    out = tmp_path / "report"
    code = loaded(cli, REAL / "tsukuba")
    assert cli("report", code, "--format", "csv", "--out", str(out)).code == 0
    assert {"baselines.csv", "ratings.csv"} <= set(files(out))
    with_a_note(out)
    result = cli("report", SAPPORO, "--format", "csv", "--out", str(out))
    assert result.code == 0, result.err
    fresh = tmp_path / "fresh"
    assert cli("report", SAPPORO, "--format", "csv", "--out", str(fresh)).code == 0
    over = files(out)
    assert over.pop(NOTE) == b"my own notes\n"
    assert over == files(fresh)
    assert set(over) == {"observations.csv", "targets.csv", "evaluations.csv"}


def test_a_report_of_other_formats_leaves_the_older_formats_files(cli, tmp_path):
    """Asking for html only does not take away the CSV files an earlier run made: each format is
    made when asked for, and a run of one leaves the others' files as they were."""
    out = tmp_path / "report"
    assert cli("report", SAPPORO, "--format", "html,csv", "--out", str(out)).code == 0
    data = {name: body for name, body in files(out).items() if name.endswith(".csv")}
    assert set(data) == {"observations.csv", "targets.csv", "evaluations.csv"}
    assert cli("report", SAPPORO, "--format", "html", "--out", str(out)).code == 0
    assert set(files(out)) == {"index.html", *data}
    assert {name: body for name, body in files(out).items() if name.endswith(".csv")} == data
