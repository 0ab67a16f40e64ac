"""Backup and restore of the whole installation, exactly, on SQLite and PostgreSQL.

A backup holds every row of every table, with its primary key: plans, staff and
their roles, passwords (as hashes), API token digests, figures being entered with
their revisions and comments, the audit trail, bulk uploads, the admin's log, and
Django's content types and permissions (which other rows point to), together with
the migrations the rows were made under, and the data folder's files those rows point to (the
published reports and their generations, ``reports/``). Sessions are left out: after a restore,
everyone signs in again.

A restore checks the whole file first; refuses a backup made under migrations this
machiplan does not know (a newer version); then, in one transaction, refuses a
database that holds data unless told to replace it, empties every table — lifting
the audit trail's append-only trigger for that one statement on PostgreSQL, inside
the transaction, so a failure leaves it in force — takes the emptied schema back
to the backup's migrations if they are older, inserts every row as it was stored
(times set by ``auto_now`` included), migrates forward, resets the key sequences,
checks every foreign key, and holds each plan to the rules a load applies (``check_plan``).
Any failure leaves the database as it was. The files are unpacked into a folder beside their
place before the transaction, and put in place (the old ``reports/`` replaced whole) once it
is over.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps as installed
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils.duration import duration_iso_string

from machiplan import __version__
from machiplan.domain.errors import MachiplanError
from machiplan.interchange.backup_file import FILE_FOLDERS, Backup, BackupWriter, read_backup

LEFT_OUT = frozenset({"sessions.session"})  # sign-ins, not data: emptied by a restore
MADE_BY_MIGRATE = frozenset({"contenttypes.contenttype", "auth.permission"})  # there in a new database too
APPEND_ONLY = "staff.auditevent"  # the database refuses to change it (staff/migrations/0002)
COUNTED = (
    ("plans.plan", "plans"),
    ("auth.user", "people"),
    ("staff.apitoken", "API tokens"),
    ("staff.entry", "figures entered in the app"),
    ("staff.auditevent", "audit events"),
)
_BATCH = 1000
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Summary:
    path: Path
    created_at: str
    version: str
    database: str
    rows: dict[str, int]  # table label -> rows
    files: int = 0  # the data folder's files (published reports) it holds
    migrated: bool = False  # the backup's migrations were older: the database was migrated forward

    def describe(self) -> str:
        counts = [f"{what} {self.rows.get(label, 0):,}" for label, what in COUNTED]
        return ", ".join([*counts, f"report files {self.files:,}"] if self.files else counts)


Migrations = dict[str, list[str]]


def backup_write(path: str | Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write every table to ``path`` as one consistent snapshot (mode 0600, placed only when complete)."""
    connection = connections[using]
    first = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if first and connection.vendor == "postgresql":  # one snapshot for every table, while others write
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        recorded = _applied(connection)
        tables = _tables(MigrationExecutor(connection), recorded, where="the database")
        info = {"machiplan": __version__, "database": connection.vendor, "migrations": recorded}
        rows: dict[str, int] = {}
        with BackupWriter(path, info) as writer:
            for label, model in tables.items():
                fields = model._meta.concrete_fields
                encode = [_encoder(f) for f in fields]
                query = (
                    model._base_manager.db_manager(using)
                    .order_by("pk")
                    .values_list(*(f.attname for f in fields))
                )
                values = (
                    [e(v) for e, v in zip(encode, row, strict=True)]
                    for row in query.iterator(chunk_size=2000)
                )
                rows[label] = writer.table(label, [f.attname for f in fields], values)
            for name, file in _data_files():
                writer.file(name, file)
    return Summary(Path(path), writer.created_at, __version__, connection.vendor, rows, len(writer.files))


def _data_files() -> Iterator[tuple[str, Path]]:
    """The data folder's files a backup carries, by their path relative to it, in a stable order."""
    base = Path(settings.DATA_DIR)
    for folder in FILE_FOLDERS:
        for path in sorted((base / folder).rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(base).as_posix(), path


def _unpack(backup: Backup, where: str) -> Path:
    """The backup's files, unpacked into a new private folder inside the data folder; a file the
    system will not make (a name too long, a file where another file's folder must be) is one line
    naming the backup and the file."""
    base = Path(settings.DATA_DIR)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=base))  # 0700
    try:
        for folder in FILE_FOLDERS:
            (staging / folder).mkdir(mode=0o700)
        for name in backup.files:
            dest = staging / name
            try:
                for parent in reversed(dest.relative_to(staging).parents[:-1]):
                    (staging / parent).mkdir(mode=0o700, exist_ok=True)
                backup.extract(name, dest)
            except OSError as exc:
                raise MachiplanError(
                    f"a file named {name!r} cannot be restored ({exc.strerror or type(exc).__name__}), "
                    "nothing restored",
                    where=where,
                ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _place(staging: Path) -> None:
    """The unpacked folders in place of the data folder's, each swapped by a rename."""
    base = Path(settings.DATA_DIR)
    try:
        for folder in FILE_FOLDERS:
            old = staging / f".old-{folder}"
            with contextlib.suppress(FileNotFoundError):
                os.rename(base / folder, old)
            os.rename(staging / folder, base / folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def backup_restore(path: str | Path, *, replace: bool = False, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Put the backup at ``path`` in place of this database's data, in one transaction."""
    backup = read_backup(path)
    where = str(path)
    connection = connections[using]
    executor = MigrationExecutor(connection)
    recorded = _recorded(backup, where)
    unknown = sorted(
        {(a, n) for a, names in recorded.items() for n in names} - set(executor.loader.graph.nodes)
    )
    if unknown:
        app, name = unknown[0]
        raise MachiplanError(
            f"the backup was made by a newer machiplan (migration {app}.{name} is unknown here): "
            "upgrade machiplan, then restore",
            where=where,
        )
    older = _pairs(recorded) != _pairs(_applied(connection))
    tables = _tables(executor, recorded, where=where)
    _check_tables(backup, tables, where)
    sqlite = connection.vendor == "sqlite"
    if older and sqlite and connection.in_atomic_block:
        raise MachiplanError(
            "a backup from older migrations cannot be restored inside a transaction on SQLite"
        )
    staging = _unpack(backup, where)
    lifted = older and sqlite and connection.disable_constraint_checking()  # SQLite alters tables only so
    try:
        with transaction.atomic(using=using):
            _empty(connection, replace, where)
            if older:
                executor.migrate(_targets(executor, recorded, where))  # back to the backup's, on empty tables
            for label, model in tables.items():
                _insert(model, backup.rows(label), using, where)
            if older:
                call_command("migrate", database=using, interactive=False, verbosity=0)
            for sql in connection.ops.sequence_reset_sql(
                no_style(), list(installed.get_models(include_auto_created=True))
            ):
                with connection.cursor() as cursor:
                    cursor.execute(sql)
            connection.check_constraints()
            _check_plans(where)
    except IntegrityError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise MachiplanError(
            f"the backup's rows do not fit together ({first}): nothing restored", where=where
        ) from None
    except DatabaseError as exc:  # a value the column cannot hold (PostgreSQL: a text too long, a NUL)
        shutil.rmtree(staging, ignore_errors=True)
        log.warning("restore of %s refused by the database", where, exc_info=True)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise MachiplanError(
            f"damaged backup: the database refuses a row ({first}); nothing restored", where=where
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if lifted:
            connection.enable_constraint_checking()
    _place(staging)  # the rows are in: their files now
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # its ids are the backup's now
    manifest = backup.manifest
    rows = {label: table["rows"] for label, table in backup.tables.items()}
    return Summary(Path(path), manifest.get("created_at", "?"), manifest.get("machiplan", "?"),
                   manifest.get("database", "?"), rows, len(backup.files), migrated=older)  # fmt: skip


# --- migrations and tables ---------------------------------------------------------------------


def _applied(connection) -> Migrations:
    found: Migrations = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        found.setdefault(app, []).append(name)
    return found


def _pairs(migrations: Migrations) -> set[tuple[str, str]]:
    return {(app, name) for app, names in migrations.items() for name in names}


def _recorded(backup: Backup, where: str) -> Migrations:
    migrations = backup.manifest["migrations"]
    if not all(
        isinstance(names, list) and all(isinstance(n, str) for n in names) for names in migrations.values()
    ):
        raise MachiplanError("the backup's manifest lists its migrations wrongly", where=where)
    return migrations


def _targets(executor: MigrationExecutor, recorded: Migrations, where: str) -> list[tuple[str, str | None]]:
    """Each app's last migration in ``recorded`` (None: none of them), as ``migrate`` takes them."""
    graph = executor.loader.graph
    targets: list[tuple[str, str | None]] = []
    for app in sorted({a for a, _ in graph.nodes}):
        names = set(recorded.get(app, []))
        last = next(
            (n for n in sorted(names) if names <= {m for a, m in graph.forwards_plan((app, n)) if a == app}),
            None,
        )
        if names and last is None:
            raise MachiplanError(
                f"the backup's migrations of {app} are not a sequence this machiplan knows", where=where
            )
        targets.append((app, last))
    return targets


def _tables(executor: MigrationExecutor, recorded: Migrations, where: str) -> dict[str, type[models.Model]]:
    """Every table as it was under ``recorded``, by label: the models of that moment, not of today."""
    nodes = [(app, name) for app, name in _targets(executor, recorded, where) if name]
    state = executor.loader.project_state(nodes, at_end=True)
    found = {
        m._meta.label_lower: m
        for m in state.apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in LEFT_OUT
    }
    return dict(sorted(found.items()))


def _check_tables(backup: Backup, tables: dict[str, type[models.Model]], where: str) -> None:
    if set(backup.tables) != set(tables):
        odd = sorted(set(backup.tables) ^ set(tables))
        raise MachiplanError(
            f"the backup's tables do not match its migrations ({', '.join(odd[:3])})", where=where
        )
    for label, model in tables.items():
        if backup.columns(label) != [f.attname for f in model._meta.concrete_fields]:
            raise MachiplanError(f"the backup's table {label} does not match its migrations", where=where)


# --- emptying and filling ----------------------------------------------------------------------


def _empty(connection, replace: bool, where: str) -> None:
    """Refuse a database that holds data (unless ``replace``); then empty every table."""
    present = [
        m for m in installed.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy
    ]
    holding = [m for m in present if m._meta.label_lower not in MADE_BY_MIGRATE | LEFT_OUT
               and m._base_manager.using(connection.alias).exists()]  # fmt: skip
    if holding and not replace:
        counts = {m._meta.label_lower: m._base_manager.using(connection.alias).count() for m in holding}
        shown = ", ".join(
            f"{what} {counts[label]:,}" for label, what in COUNTED if label in counts
        ) or ", ".join(counts)
        raise MachiplanError(
            f"the database is not empty ({shown}): restore into a new database, "
            "or add --replace to put the backup in place of everything in it",
            where=where,
        )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in present:
            table = quote(model._meta.db_table)
            if model._meta.label_lower == APPEND_ONLY and connection.vendor == "postgresql":
                # the one deliberate way past the append-only trigger: lifted for this statement only,
                # inside the restore's transaction (a failure rolls it back in force)
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                cursor.execute(f"DELETE FROM {table}")
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            else:
                cursor.execute(f"DELETE FROM {table}")


def _check_plans(where: str) -> None:
    """Each plan restored keeps the rules every plan keeps, whatever way it came in (``check_plan``, as
    ``load`` applies them): a backup's rows carry only a checksum anyone can make again, and a plan
    code such as '../../x' would name folders outside the data folder."""
    from machiplan.domain.validation import check_plan
    from machiplan.plans.models import Plan
    from machiplan.plans.selectors import plan_data

    for code in Plan.objects.order_by("code").values_list("code", flat=True):
        try:
            check_plan(plan_data(code))
        except MachiplanError as exc:
            raise MachiplanError(
                f"damaged backup: plan {code!r} breaks a rule every plan keeps ({exc}); nothing restored",
                where=where,
            ) from None
        except (ValueError, TypeError, ArithmeticError, LookupError) as exc:  # a value no plan could hold
            log.warning("restore of %s: plan %r cannot be read", where, code, exc_info=True)
            raise MachiplanError(
                f"damaged backup: plan {code!r} cannot be read ({type(exc).__name__}: {exc}); nothing restored",
                where=where,
            ) from None


def _check_entry(entry, where: str) -> None:
    """A figure being entered keeps its own rules, as the form, the bulk upload and the API hold it to
    them: no control character in its texts, each within its column, its numbers kept exactly.
    Checked as each row is read, before the database sees it (PostgreSQL refuses a NUL itself, in
    its own words). Not the rules beside its indicator's other years or unit: those may have changed
    since it was saved (the owner made the indicator a %), and an honest backup must come back."""
    from machiplan.domain import limits
    from machiplan.domain.entry_checks import fy_problem, length_problem, number_problem, text_problem
    from machiplan.staff.services.entries import ENTERED

    problems = [fy_problem(entry.fy)]
    for spec in ENTERED:
        value = getattr(entry, spec.name)
        if spec.type == "text":
            problems += [text_problem(value, spec.name), length_problem(value, spec.max_length, spec.name)]
        elif spec.type == "decimal" and value is not None:
            problems.append(number_problem(value, spec.name))
        elif spec.type == "breakdown":
            problems += [number_problem(Decimal(str(part[1])), spec.name) for part in value or ()]
    said = {"data_source": limits.ENTRY["data_source"], "reason": None, "comment": limits.ENTRY["comment"]}
    for name, limit in said.items():
        text = getattr(entry, name)
        problems += [text_problem(text, name), length_problem(text, limit, name)]
    found = next((p for p in problems if p is not None), None)
    if found is not None:
        ind = entry.indicator  # stored before the entries (the tables in their models' order)
        raise MachiplanError(
            f"damaged backup: a figure being entered ({ind.plan.code} {ind.code} FY{entry.fy}) breaks "
            f"a rule every figure keeps ({found.field}: {found.message('en')}); nothing restored",
            where=where,
        )


_ROW_RULES: dict[str, Callable[[Any, str], None]] = {"staff.entry": _check_entry}


def _insert(model: type[models.Model], rows: Iterable[list[Any]], using: str, where: str) -> None:
    """Insert rows exactly as given: primary keys, and ``auto_now`` times, as stored (a raw insert)."""
    fields = model._meta.concrete_fields
    decode = [_decoder(f) for f in fields]
    manager = model._base_manager.db_manager(using)
    size = max(1, min(_BATCH, connections[using].ops.bulk_batch_size(fields, [None] * _BATCH)))
    label = model._meta.label_lower
    batch: list[models.Model] = []
    first = 2  # the member's line of the batch's first row: its header is line 1

    def flush(last: int) -> None:
        try:  # a value its column's type refuses ('abc' for a year) is found only as it is written
            manager._insert(batch, fields=fields, using=using, raw=True)
        except (ValidationError, ValueError, TypeError) as exc:
            raise _damaged(label, _culprit(batch, fields, using, first, last), exc, where) from None

    check = _ROW_RULES.get(label)
    for number, row in enumerate(rows, start=2):
        try:
            batch.append(model(*(d(v) for d, v in zip(decode, row, strict=True))))
        except (ValidationError, ValueError, TypeError) as exc:
            raise _damaged(label, f"line {number}", exc, where) from None
        if check is not None:
            check(batch[-1], where)
        if len(batch) >= size:
            flush(number)
            batch, first = [], number + 1
    if batch:
        flush(first + len(batch) - 1)


def _culprit(batch: list[models.Model], fields, using: str, first: int, last: int) -> str:
    """The line of the batch's row whose value its column's type refused, found again value by value
    as the write prepares them (only after a batch failed: nothing is written here)."""
    connection = connections[using]
    for number, obj in enumerate(batch, start=first):
        try:
            for field in fields:
                field.get_db_prep_save(getattr(obj, field.attname), connection)
        except (ValidationError, ValueError, TypeError):
            return f"line {number}"
    return f"lines {first}–{last}"


def _damaged(label: str, lines: str, exc: Exception, where: str) -> MachiplanError:
    message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return MachiplanError(f"damaged backup: table {label}, {lines}: {message}; nothing restored", where=where)


# --- values as JSON --------------------------------------------------------------------------------

_AS_TEXT = (models.DecimalField, models.UUIDField, models.DateField, models.TimeField, models.DurationField,
            models.BinaryField)  # fmt: skip


def _own(field: models.Field) -> models.Field:
    """A foreign key's values are its target's: encode and decode them as that."""
    return _own(field.target_field) if field.is_relation else field


def _encoder(field: models.Field) -> Callable[[Any], Any]:
    own = _own(field)
    if not isinstance(own, _AS_TEXT) or isinstance(own, models.JSONField):
        return _same
    if isinstance(own, models.BinaryField):
        return lambda v: None if v is None else base64.b64encode(bytes(v)).decode("ascii")
    if isinstance(own, models.DurationField):
        return lambda v: None if v is None else duration_iso_string(v)
    if isinstance(
        own, models.DateField | models.TimeField
    ):  # DateTimeField too: ISO 8601, to the microsecond
        return lambda v: None if v is None else v.isoformat()
    return lambda v: None if v is None else str(v)


def _decoder(field: models.Field) -> Callable[[Any], Any]:
    own = _own(field)
    if not isinstance(own, _AS_TEXT) or isinstance(own, models.JSONField):
        return _same
    return lambda v: None if v is None else own.to_python(v)


def _same(value: Any) -> Any:
    return value
