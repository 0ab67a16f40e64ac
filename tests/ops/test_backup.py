"""Backup and restore: the whole installation, back exactly as it was, in a new database or over this one.

The installation has staff in every role, API tokens, figures drafted, submitted,
returned and approved (with their revisions and the audit trail), a bulk upload,
a table upload, a deadline, a report generated and published (with its files), a sign-in failure, the admin's log, a group with permissions, and two plans:
every table holds rows. The comparison is every column of every row of every
table, read with the ORM, in this process and in the restored one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import subprocess
import sys
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from machiplan.cli.bootstrap import ensure_default_plan
from machiplan.interchange.package import read_package
from machiplan.plans.models import Plan
from machiplan.plans.services import plan_load
from machiplan.reports.models import DONE
from machiplan.staff.models import AuditEvent, Entry, LoginFailure
from machiplan.staff.services import bulk, entries
from machiplan.staff.services.deadlines import deadline_set
from machiplan.staff.services.people import token_create, token_user, user_add
from machiplan.staff.services.reports import report_generate, report_publish
from machiplan.staff.services.table_import import upload_store as table_upload_store
from tests.conftest import REPO
from tests.support.tables import snapshot

PLAN = "sapporo-machizukuri-2"
PASSWORD = "a-long-test-password-9"


def _figure(value: str) -> entries.Figure:
    return entries.Figure(kind="actual", value=Decimal(value), note="備考", data_source="町内会調査")


def _published_report(owner) -> None:
    """A generation of FY2017's report (its HTML, made by the report's renderer) published as v1."""
    from machiplan.reports import publication
    from machiplan.reports.model import build_report
    from machiplan.reports.writer import write_report

    run = report_generate(plan_code=PLAN, fy=2017, user=owner, background=False)
    folder = publication._folder(publication.run_folder(run))
    plan, version, read_at = publication.read_plan(PLAN)
    write_report(build_report(plan, evaluation_fy=2017, lang="ja"), folder, ["html"])
    run.state, run.started_at, run.finished_at = DONE, read_at, timezone.now()
    run.figures_read_at, run.plan_version = read_at, version
    run.files = publication._seal(folder, ["index.html"])
    run.save()
    report_publish(plan_code=PLAN, run_id=run.pk, user=owner)


def _report_files(data: Path) -> dict[str, str]:
    """The data folder's report files: relative path -> SHA-256."""
    return {
        p.relative_to(data).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((data / "reports").rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def installation(db, sapporo, settings, tmp_path_factory):
    """An installation in use: every table has rows."""
    settings.DATA_DIR = tmp_path_factory.mktemp(
        "data"
    )  # its own data folder: the report files are this test's
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    ensure_default_plan()
    plan_load(plan=replace(sapporo, code="second-plan", title="第2の計画"), source="test")
    for name in ("ino", "tsukuba", "fuji"):  # revisions, comments, tallies; baselines, ratings; costs
        plan_load(
            plan=read_package(REPO / "tests" / "data" / "real" / name), source=f"tests/data/real/{name}"
        )
    people = {
        name: user_add(username=name, role=role, password=PASSWORD, department=dept)
        for name, role, dept in [
            ("admin", "admin", None),
            ("owner", "owner", None),
            ("editor", "editor", "chiiki-katsudo"),
            ("other_editor", "editor", "shimin-jichi"),
            ("viewer", "viewer", None),
        ]
    }
    reviewers = Group.objects.create(name="reviewers")
    reviewers.permissions.add(*Permission.objects.filter(codename__in=["view_plan", "view_entry"]))
    people["owner"].groups.add(reviewers)
    people["viewer"].user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    token_user(token_create(username="editor"))  # a token in use
    token_create(username="owner")
    editor, owner = people["editor"], people["owner"]
    save = dict(user=editor, plan_code=PLAN, fy=2017, revision=0, reason="確認済み")
    entries.entry_save(indicator_code="1b", figure=_figure("70.9"), **save)  # a draft
    for code, value in (("3a", "60"), ("3b", "110"), ("3c", "1300")):
        entries.entry_save(indicator_code=code, figure=_figure(value), **save)
        entries.entry_submit(user=editor, plan_code=PLAN, indicator_code=code, fy=2017, revision=1)
    entries.entry_return(
        user=owner, plan_code=PLAN, indicator_code="3b", fy=2017, revision=2, comment="出典を確認"
    )
    entries.entry_approve(user=owner, plan_code=PLAN, indicator_code="3c", fy=2017, revision=2)
    bulk.upload_store(
        user=editor, plan_code=PLAN, filename="figures.csv", content=b"\xef\xbb\xbf\x00\xffbinary"
    )
    deadline_set(user=owner, plan_code=PLAN, fy=2018, due=dt.date(2019, 5, 31))
    table_upload_store(
        user=owner, plan_code=PLAN, filename="成果指標.csv", content="指標名,単位\n町内会加入率,%\n".encode()
    )
    _published_report(owner)
    LoginFailure.objects.create(username="mallory", address="192.0.2.1")
    LogEntry.objects.create(
        user=people["admin"], content_type=ContentType.objects.get_for_model(Plan), object_id="1",
        object_repr="plan", action_flag=ADDITION, change_message="[]",
    )  # fmt: skip
    tables = snapshot()
    assert [label for label, rows in tables.items() if rows == "[]"] == []  # every table has rows
    return tables


def _theirs(env: dict[str, str]) -> dict:
    """Every table of the database ``env`` names, read in a process of its own."""
    proc = subprocess.run(
        [sys.executable, "-m", "tests.support.tables"],
        cwd=REPO, env={**env, "DJANGO_SETTINGS_MODULE": "machiplan.settings"},
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return json.loads(proc.stdout)


def _same_tables(theirs: dict[str, str], ours: dict[str, str]) -> None:
    assert sorted(theirs) == sorted(ours)
    for label in ours:
        assert theirs[label] == ours[label], label


def _one_line_error(result, *words: str) -> None:
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("machiplan: error: ") and result.err.count("\n") == 1, result.err
    for word in words:
        assert word in result.err, result.err


def test_a_backup_restored_into_a_new_database_is_the_installation_exactly(
    installation, cli, shell, fresh_env, tmp_path
):
    path = tmp_path / "machiplan.backup"
    written = cli("backup", str(path))
    assert written.code == 0, written.err
    assert "plans 5, people 5, API tokens 2, figures entered in the app 4, audit events" in written.out
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # password hashes and token digests: the owner's only
    assert "report files 2" in written.out  # the generation's HTML and version 1's
    restored = shell("restore", str(path))
    assert restored.code == 0, restored.err
    assert "restored machiplan.backup" in restored.out and "plans 5, people 5" in restored.out
    _same_tables(_theirs(fresh_env)["tables"], installation)
    # the published report's files came along, byte for byte, private like the rest of the data folder
    ours, theirs = (
        _report_files(Path(django_settings.DATA_DIR)),
        _report_files(Path(fresh_env["MACHIPLAN_DATA_DIR"])),
    )
    assert theirs == ours and any(name.endswith("/v1/index.html") for name in theirs)
    for path in Path(fresh_env["MACHIPLAN_DATA_DIR"], "reports").rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    assert not list(Path(fresh_env["MACHIPLAN_DATA_DIR"]).glob(".restore-*"))


def test_restore_refuses_a_database_with_data_unless_told_to_replace_it(installation, cli, tmp_path):
    path = tmp_path / "machiplan.backup"
    assert cli("backup", str(path)).code == 0
    events = AuditEvent.objects.count()
    # the installation goes on: someone new, another draft, more of the trail
    user_add(username="newcomer", role="viewer", password=PASSWORD)
    owner = get_user_model().objects.get(username="owner")
    entries.entry_save(user=owner, plan_code=PLAN, indicator_code="2a", fy=2018, figure=_figure("2700"), revision=0,
                       reason="確認済み")  # fmt: skip
    later = snapshot()
    _one_line_error(cli("restore", str(path)), "not empty", "people 6", "--replace")
    assert snapshot() == later  # nothing was touched

    assert cli("restore", str(path), "--replace").code == 0
    assert snapshot() == installation  # the trail too: what came after the backup is gone
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE staff_auditevent SET actor = 'someone else'")  # the trail is append-only again
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM staff_auditevent")
    assert Entry.objects.count() == 4 and AuditEvent.objects.count() == events
    user_add(username="after", role="viewer", password=PASSWORD)  # new rows get new keys (sequences reset)


def _rewrite(source: Path, target: Path, change) -> Path:
    """A copy of the backup with ``change(name, data) -> data`` applied to each member."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))
    return target


def _manifest(change):
    def edit(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        change(manifest)
        return json.dumps(manifest).encode()

    return edit


def test_a_damaged_backup_is_refused_whole_with_one_line(installation, cli, tmp_path):
    path = tmp_path / "machiplan.backup"
    assert cli("backup", str(path)).code == 0
    data = path.read_bytes()
    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(data[: len(data) // 2])
    garbage = tmp_path / "garbage.backup"
    garbage.write_bytes(b"not a backup at all")
    empty = tmp_path / "empty.backup"
    empty.write_bytes(b"")
    edited = _rewrite(path, tmp_path / "edited.backup",
                      lambda name, d: d.replace(b'"viewer"', b'"owner"') if name.endswith("staff.planrole.jsonl") else d)  # fmt: skip
    short = _rewrite(path, tmp_path / "short.backup",
                     lambda name, d: d.rsplit(b"\n", 2)[0] + b"\n" if name.endswith("staff.auditevent.jsonl") else d)  # fmt: skip
    foreign = _rewrite(
        path, tmp_path / "foreign.backup", _manifest(lambda m: m.update(format="something/else@1"))
    )
    changed_file = _rewrite(path, tmp_path / "changed-file.backup",
                            lambda name, d: d + b"<!-- -->" if name.endswith("/v1/index.html") else d)  # fmt: skip

    def escape(manifest):  # a file that would land outside the data folder's reports/
        entry = next(iter(manifest["files"].values()))
        manifest["files"]["reports/../../escaped.html"] = {
            **entry,
            "member": "files/reports/../../escaped.html",
        }

    escaping = _rewrite(path, tmp_path / "escaping.backup", _manifest(escape))
    reports_before = _report_files(Path(django_settings.DATA_DIR))
    for damaged, words in (
        (changed_file, ["does not match its checksum", "index.html"]),
        (escaping, ["cannot be restored", "escaped.html"]),
        (truncated, ["damaged or incomplete backup"]),
        (garbage, ["damaged or incomplete backup"]),
        (empty, ["damaged or incomplete backup"]),
        (edited, ["table staff.planrole does not match its checksum"]),
        (short, ["table staff.auditevent does not match its checksum"]),
        (foreign, ["not a machiplan backup"]),
        (tmp_path / "missing.backup", ["no such file"]),
    ):
        _one_line_error(cli("restore", str(damaged), "--replace"), damaged.name, *words)
        assert snapshot() == installation, damaged.name  # nothing written
        assert _report_files(Path(django_settings.DATA_DIR)) == reports_before, damaged.name
    assert not (tmp_path.parent / "escaped.html").exists()


def _with_files(source: Path, target: Path, files: dict[str, bytes]) -> Path:
    """A copy that also carries these data-folder files, each with its member, size and checksum."""
    import hashlib

    def add(manifest):
        for name, data in files.items():
            manifest["files"][name] = {"member": f"files/{name}", "size": len(data),
                                       "sha256": hashlib.sha256(data).hexdigest()}  # fmt: skip

    _rewrite(source, target, _manifest(add))
    with zipfile.ZipFile(target, "a") as archive:
        for name, data in files.items():
            archive.writestr(f"files/{name}", data)
    return target


def test_a_forged_backup_whose_files_the_system_will_not_make_is_one_line(installation, cli, tmp_path):
    """Files whose checksums match but that cannot all be made: a file where another's folder must
    be, a name longer than the file system takes. One line naming the backup and the file (it was
    the OSError's own words, naming neither), nothing written."""
    path = tmp_path / "machiplan.backup"
    assert cli("backup", str(path)).code == 0
    clash = _with_files(path, tmp_path / "clash.backup", {"reports/x": b"a", "reports/x/y.html": b"b"})
    long = _with_files(path, tmp_path / "long.backup", {"reports/" + "a" * 300 + ".html": b"c"})
    reports_before = _report_files(Path(django_settings.DATA_DIR))
    for forged, words in ((clash, ["'reports/x/y.html' cannot be restored"]), (long, ["cannot be restored"])):
        result = cli("restore", str(forged), "--replace")
        _one_line_error(result, forged.name, *words)
        assert "Errno" not in result.err and ".restore-" not in result.err
        assert snapshot() == installation, forged.name  # nothing written
        assert _report_files(Path(django_settings.DATA_DIR)) == reports_before, forged.name
    assert not [p for p in Path(django_settings.DATA_DIR).iterdir() if p.name.startswith(".restore-")]


def _forged(source: Path, target: Path, label: str, change) -> Path:
    """A copy whose table ``label`` has its rows changed by ``change(rows)``, checksum and count made to match."""
    import hashlib

    member = f"tables/{label}.jsonl"
    with zipfile.ZipFile(source) as old:
        header, *rows = old.read(member).decode().splitlines()
    rows = [json.dumps(r, ensure_ascii=False) for r in change([json.loads(r) for r in rows])]
    data = ("\n".join([header, *rows]) + "\n").encode()

    def edit(name: str, old: bytes) -> bytes:
        if name == member:
            return data
        if name == "manifest.json":
            manifest = json.loads(old)
            manifest["tables"][label].update(sha256=hashlib.sha256(data).hexdigest(), rows=len(rows))
            return json.dumps(manifest).encode()
        return old

    return _rewrite(source, target, edit)


def test_a_forged_backup_whose_rows_do_not_fit_is_refused_with_one_line(installation, cli, tmp_path):
    path = tmp_path / "machiplan.backup"
    assert cli("backup", str(path)).code == 0
    columns = json.loads(zipfile.ZipFile(path).read("tables/staff.apitoken.jsonl").decode().splitlines()[0])[
        "columns"
    ]
    at = columns.index("created_at")
    bad_time = _forged(path, tmp_path / "bad-time.backup", "staff.apitoken",
                       lambda rows: [[*r[:at], "yesterday", *r[at + 1 :]] for r in rows])  # fmt: skip
    user = json.loads(zipfile.ZipFile(path).read("tables/staff.profile.jsonl").decode().splitlines()[0])[
        "columns"
    ]
    nobody = _forged(path, tmp_path / "nobody.backup", "staff.profile",
                     lambda rows: [[v if c != user.index("user_id") else 99999 for c, v in enumerate(rows[0])], *rows[1:]])  # fmt: skip
    for forged, words in (
        (bad_time, ["table staff.apitoken, line 2", "nothing restored"]),
        (nobody, ["rows do not fit together", "nothing restored"]),
    ):
        _one_line_error(cli("restore", str(forged), "--replace"), forged.name, *words)
        assert snapshot() == installation, forged.name


def _columns(path: Path, label: str) -> list[str]:
    return json.loads(zipfile.ZipFile(path).read(f"tables/{label}.jsonl").decode().splitlines()[0])["columns"]


def test_a_forged_backup_is_held_to_the_rules_a_load_applies(installation, cli, tmp_path):
    """A backup's checksums are anyone's to make again: a restored plan keeps the plan rules, and a
    value its column's type refuses (found only as the row is written) is one line at its line."""
    path = tmp_path / "machiplan.backup"
    assert cli("backup", str(path)).code == 0
    plan = _columns(path, "plans.plan")
    code, municipality = plan.index("code"), plan.index("municipality_code")
    year = _columns(path, "plans.observation").index("fy")

    def one_plan(column: int, value: str):
        return lambda rows: [[value if c == column else v for c, v in enumerate(rows[0])], *rows[1:]]

    escaping = _forged(path, tmp_path / "escaping.backup", "plans.plan", one_plan(code, "../../../../x"))
    odd_city = _forged(path, tmp_path / "odd-city.backup", "plans.plan", one_plan(municipality, "x"))
    no_year = _forged(path, tmp_path / "no-year.backup", "plans.observation",
                      lambda rows: [*rows[:2], [*rows[2][:year], "abc", *rows[2][year + 1 :]], *rows[3:]])  # fmt: skip
    for forged, words in (
        (escaping, ["plan '../../../../x' breaks a rule every plan keeps", "is not a valid code"]),
        (odd_city, ["municipality.code: 'x' is not a six-digit code"]),
        (no_year, ["table plans.observation, line 4: Field 'fy' expected a number but got 'abc'"]),
    ):
        _one_line_error(cli("restore", str(forged), "--replace"), forged.name, *words, "nothing restored")
        assert snapshot() == installation, forged.name


def test_report_folders_stay_inside_the_data_folder(settings, tmp_path):
    """A plan code that climbs out ('../..', which the plan rules refuse) names no folder outside the
    data folder: it is refused before anything is made, made private or removed."""
    from machiplan.domain.errors import MachiplanError
    from machiplan.reports import publication

    settings.DATA_DIR = str(tmp_path / "data")
    outside = tmp_path / "outside"
    outside.mkdir(mode=0o755)
    for code in ("../../outside", "../../outside/../outside"):
        with pytest.raises(MachiplanError, match="is not inside the data folder"):
            publication.version_folder(code, 2020, 1)
    with pytest.raises(MachiplanError, match="is not inside the data folder"):
        publication.run_folder(type("Run", (), {"plan_code": "../..", "pk": 1})())
    with pytest.raises(MachiplanError, match="is not inside the data folder"):
        publication.remove_version_files("../../outside", 2020, 1)  # not removed either
    assert stat.S_IMODE(outside.stat().st_mode) == 0o755 and not list(outside.iterdir())
    inside = publication.version_folder("plan-a", 2020, 1)
    assert inside == (tmp_path / "data" / "reports" / "plan-a" / "2020" / "v1").resolve()


def test_a_backup_from_newer_migrations_is_refused(installation, cli, tmp_path):
    path = tmp_path / "machiplan.backup"
    assert cli("backup", str(path)).code == 0
    newer = _rewrite(path, tmp_path / "newer.backup",
                     _manifest(lambda m: m["migrations"]["staff"].append("0099_from_the_future")))  # fmt: skip
    _one_line_error(cli("restore", str(newer), "--replace"), "newer machiplan", "staff.0099_from_the_future")
    assert snapshot() == installation


def test_a_backup_from_older_migrations_is_migrated_forward(installation, cli, shell, fresh_env, tmp_path):
    path = tmp_path / "machiplan.backup"
    assert cli("backup", str(path)).code == 0
    older = _rewrite(path, tmp_path / "older.backup",
                     _manifest(lambda m: m["migrations"]["staff"].remove("0003_entry_breakdown_help")))  # fmt: skip
    restored = shell("restore", str(older))
    assert restored.code == 0, restored.err
    assert "migrated forward" in restored.out
    theirs = _theirs(fresh_env)
    assert "staff.0003_entry_breakdown_help" in theirs["migrations"]
    _same_tables(theirs["tables"], installation)


def test_a_failed_backup_leaves_no_file_and_an_older_backup_as_it_was(
    installation, cli, tmp_path, monkeypatch
):
    from machiplan.interchange.backup_file import BackupWriter

    path = tmp_path / "machiplan.backup"
    path.write_bytes(b"yesterday's backup")
    real = BackupWriter.table

    def full_disk(self, label, columns, rows):
        if label == "staff.auditevent":
            raise OSError(28, "No space left on device")
        return real(self, label, columns, rows)

    monkeypatch.setattr(BackupWriter, "table", full_disk)
    _one_line_error(cli("backup", str(path)), "No space left on device")
    assert path.read_bytes() == b"yesterday's backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["machiplan.backup"]  # no half-written file
    _one_line_error(cli("backup", str(tmp_path / "nowhere" / "machiplan.backup")), "no such folder")


def test_a_backup_moves_an_installation_from_sqlite_to_this_database(db, cli, tmp_path):
    """Made by an installation on SQLite (a new process, its own data folder), restored here (on PostgreSQL too)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MACHIPLAN_", "DJANGO_"))}
    env.update(MACHIPLAN_DATA_DIR=str(tmp_path / "sqlite-data"), MACHIPLAN_PASSWORD=PASSWORD)
    command = str(Path(sys.executable).parent / "machiplan")
    for args in (["plans"], ["adduser", "tanaka", "--role", "owner"], ["token", "tanaka"],
                 ["backup", str(tmp_path / "sqlite.backup")]):  # fmt: skip
        subprocess.run([command, *args], env=env, cwd=tmp_path, check=True, capture_output=True, timeout=300)
    restored = cli("restore", str(tmp_path / "sqlite.backup"))
    assert restored.code == 0, restored.err
    assert "on sqlite" in restored.out and "plans 1, people 1, API tokens 1" in restored.out
    _same_tables(_theirs(env)["tables"], snapshot())


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("note", "a\x1b[2Jb", "note"),
        ("data_source", "町内会調査\x00", "data_source"),
        ("reason", "x\x07", "reason"),
        ("comment", "c" * 2001, "comment"),
        ("value", "1000000000000000", "value"),
    ],
    ids=["escape-in-note", "nul-in-source", "bell-in-reason", "comment-too-long", "value-too-large"],
)
def test_a_forged_backup_holds_figures_being_entered_to_the_rules_too(
    installation, cli, tmp_path, column, value, words
):
    """Only plans were held to the rules: a figure being entered (staff.entry) came back with a
    note of escape sequences, a NUL in its source or a value of 10^15, which the
    form, the bulk upload and the API refuse. Its own rules now (not those beside other years, which
    an honest backup may no longer keep: the indicator may have changed since it was saved)."""
    path = tmp_path / "machiplan.backup"
    assert cli("backup", str(path)).code == 0
    at = _columns(path, "staff.entry").index(column)
    forged = _forged(path, tmp_path / "entry.backup", "staff.entry",
                     lambda rows: [[value if c == at else v for c, v in enumerate(rows[0])], *rows[1:]])  # fmt: skip
    _one_line_error(cli("restore", str(forged), "--replace"), forged.name, "figure being entered", words,
                    "nothing restored")  # fmt: skip
    assert snapshot() == installation
