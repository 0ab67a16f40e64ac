"""A year's report as files in the data folder: each generation's, and each published version's.

    generate(run, progress)     the report of ``run.fy`` made from the plan's published figures
                                (``plans.Observation`` holds only approved ones) by the report's
                                renderers: index.html, report.pdf, report.xlsx and opendata.zip (the
                                open-data CSV files), written into the run's folder all at once
    publish_files(run, version) the run's files copied, checked, into the version's folder
    file_path(...)              a file of either, for the pages that serve them

Folders are ``<data folder>/reports/<plan>/runs/<run id>/`` and ``…/reports/<plan>/<fy>/v<n>/``,
each 0700 and every file 0600, like the rest of the data folder (settings.private): only the user
machiplan runs as reads them, the web app serves them. No policy and no trail here: the staff
app decides who may, and records it (staff/services/reports.py).
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from machiplan.domain.errors import MachiplanError
from machiplan.interchange.folders import write_into
from machiplan.plans.selectors import plan_data, plan_version
from machiplan.settings import private

from .model import build_report
from .writer import write_report

# The files of a report, in the order they are made: name -> (content type, the renderer that makes it)
FILES: dict[str, tuple[str, str]] = {
    "index.html": ("text/html; charset=utf-8", "html"),
    "report.pdf": ("application/pdf", "pdf"),
    "report.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "opendata.zip": ("application/zip", "csv"),
}
STEPS = ("read", *(fmt for _, fmt in FILES.values()))  # what a generation's progress counts
READ_ATTEMPTS = 3  # a plan that changes while it is read is read again


@dataclass(frozen=True, slots=True)
class Generated:
    title: str
    plan_version: object  # datetime: the plan's version the figures were read at
    figures_read_at: object  # datetime: approvals after it are not in the report
    files: list[dict]


def year_problem(start_fy: int, end_fy: int, fy: int) -> str | None:
    """A report evaluates one of the plan's own years."""
    if start_fy <= fy <= end_fy:
        return None
    return f"FY{fy} is not one of the plan's years (FY{start_fy}–FY{end_fy})"


def root() -> Path:
    return _folder(Path(settings.DATA_DIR) / "reports")


def run_folder(run) -> Path:
    return _inside(Path(settings.DATA_DIR) / "reports" / run.plan_code / "runs" / str(run.pk))


def version_folder(plan_code: str, fy: int, version: int) -> Path:
    return _inside(Path(settings.DATA_DIR) / "reports" / plan_code / str(fy) / f"v{version}")


def _inside(path: Path) -> Path:
    """``path`` resolved ('..', links), and refused unless it is inside the data folder: a folder
    named after a plan's code is made, made private, written and removed, and a code of '../..' (which
    the plan rules refuse, and a crafted backup once brought in) tightened '/' to 0700."""
    base = Path(settings.DATA_DIR).resolve()
    resolved = path.resolve()
    if base not in resolved.parents:
        raise MachiplanError(f"{path} is not inside the data folder {base}")
    return resolved


def _folder(path: Path) -> Path:
    """A folder in the data folder, made 0700 with every folder above it up to the data folder."""
    base = Path(settings.DATA_DIR).resolve()
    path = _inside(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    for folder in (path, *path.parents):
        if folder == base:
            break
        private(folder)
    return path


def _seal(folder: Path, names: list[str]) -> list[dict]:
    """Each file made readable by its owner only; its size and SHA-256, for the database."""
    described = []
    for name in names:
        path = folder / name
        private(path)
        described.append({"name": name, "size": path.stat().st_size, "sha256": _sha256(path)})
    return described


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_plan(code: str):
    """The plan as published, with the version it was read at and when: read again should an
    approval land while it is read, so that the figures are those of that version."""
    for _ in range(READ_ATTEMPTS):
        version, read_at = plan_version(code), timezone.now()
        plan = plan_data(code)
        if plan_version(code) == version:
            return plan, version, read_at
    raise MachiplanError(f"plan {code!r} kept changing while it was read: generate the report again")


def generate(run, progress: Callable[[str, int], None] = lambda step, done: None) -> Generated:
    """Make the report of ``run.fy`` from the plan's published figures, into the run's folder.

    ``progress(step, done)`` is told each step as it starts (``STEPS``). A failure leaves no
    file behind (write_into)."""
    progress("read", 0)
    plan, version, read_at = read_plan(run.plan_code)
    if problem := year_problem(plan.start_fy, plan.end_fy, run.fy):
        raise MachiplanError(problem)
    report = build_report(plan, evaluation_fy=run.fy, lang="ja")
    folder = _folder(run_folder(run))

    def write(scratch: Path) -> list[Path]:
        made = []
        for done, (name, (_, fmt)) in enumerate(FILES.items(), start=1):
            progress(fmt, done)
            if fmt == "csv":
                made.append(_opendata_zip(report, scratch / name))
            else:
                write_report(report, scratch, [fmt])
                made.append(scratch / name)
        return made

    placed = write_into(folder, write)
    files = _seal(folder, [p.name for p in placed])
    return Generated(plan.title, datetime.fromisoformat(version), read_at, files)


def _opendata_zip(report, path: Path) -> Path:
    """The report's open-data CSV files (renderers/csv_files.py), in one ZIP under the plan's code."""
    with tempfile.TemporaryDirectory(prefix="machiplan-csv-") as scratch:
        written = write_report(report, Path(scratch) / "csv", ["csv"])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for csv_path in sorted(written, key=lambda p: p.name):
                archive.write(csv_path, f"{report.plan.code}/{csv_path.name}")
        path.write_bytes(buffer.getvalue())
    return path


def publish_files(run, version: int) -> list[dict]:
    """Copy the run's files into the folder of ``version`` of its year, each checked against the
    checksum recorded when it was made: a file missing or changed since refuses the publication."""
    source = run_folder(run)
    expected = {f["name"]: f for f in run.files}
    for name, described in expected.items():
        path = source / name
        if (
            not path.is_file()
            or path.stat().st_size != described["size"]
            or _sha256(path) != described["sha256"]
        ):
            raise MachiplanError(
                f"the generated file {name} is missing or has changed since it was made: generate the report again"
            )
    target = version_folder(run.plan_code, run.fy, version)
    if target.exists() and any(target.iterdir()):
        raise MachiplanError(f"version {version} of FY{run.fy} already has files: nothing was replaced")
    _folder(target)

    def copy(scratch: Path) -> list[Path]:
        return [Path(shutil.copyfile(source / name, scratch / name)) for name in expected]

    placed = write_into(target, copy)
    return _seal(target, [p.name for p in placed])


def remove_version_files(plan_code: str, fy: int, version: int) -> None:
    """Undo ``publish_files`` when the publication's row could not be written."""
    shutil.rmtree(version_folder(plan_code, fy, version), ignore_errors=True)


def file_path(folder: Path, files: list[dict], name: str) -> Path | None:
    """One of the files recorded for a run or a version, if it is one and is there."""
    if name not in FILES or name not in {f["name"] for f in files}:
        return None
    path = folder / name
    return path if path.is_file() else None


def content_type(name: str) -> str:
    return FILES[name][0]
