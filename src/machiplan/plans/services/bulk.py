"""Fast inserts for the large tables of a plan (indicators, observations, targets).

``bulk_create`` builds and adapts a model instance per row: about 100 µs each,
two minutes for a 100,000-indicator plan's million observations. Here rows go
straight to the database through Django's own connection: with ``executemany``
in batches, or on PostgreSQL with COPY. Table and column names come from the
models' metadata and values are adapted by Django's database operations, so the
migrations stay the one definition of the schema and both SQLite and
PostgreSQL are served alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

BATCH = 10_000


def _adapter(field: models.Field, db: BaseDatabaseWrapper) -> Callable[[Any], Any] | None:
    """The field's conversion to its column, as Django's own, with the connection resolved once
    (``django.db.connection`` is a proxy looked up per use: a tenth of a load went to it). A Decimal
    goes to the driver as it is: Django's ``adapt_decimalfield_value`` is the identity on every backend."""
    ops = db.ops
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        prepare = field.get_db_prep_save
        empty = prepare([], db)  # most lists (series, departments, breakdowns) are empty: adapted once
        return lambda v: empty if type(v) is list and not v else prepare(v, db)
    return None


def bulk_insert(model: type[models.Model], field_names: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (values in the order of ``field_names``; foreign keys as ids)."""
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    table = f"{quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
    db = connections[DEFAULT_DB_ALIAS]
    adapters = [(i, a) for i, a in enumerate(_adapter(f, db) for f in fields) if a is not None]
    if adapters:
        rows = (_adapt(row, adapters) for row in rows)
    with connection.cursor() as cursor:
        if db.vendor == "postgresql":
            # Django translates the driver's errors for execute and executemany, not for COPY: a value
            # too long for its column is then the DataError every other write raises (one line from
            # the command line), not psycopg's own
            with db.wrap_database_errors:
                return _copy(cursor, table, rows)
        return _insert(cursor, table, len(fields), rows)


def _insert(cursor: Any, table: str, width: int, rows: Iterable[Sequence[Any]]) -> int:
    sql = f"INSERT INTO {table} VALUES ({', '.join(['%s'] * width)})"
    count = 0
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        cursor.executemany(sql, batch)
        count += len(batch)
    return count


def _copy(cursor: Any, table: str, rows: Iterable[Sequence[Any]]) -> int:
    """PostgreSQL's COPY: the rows stream in one statement (``executemany`` sends them one by one,
    a round trip each: a load of 10,000 indicators took more than twice as long)."""
    count = 0
    with cursor.copy(f"COPY {table} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _adapt(row: Sequence[Any], adapters: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    values = list(row)
    for index, adapt in adapters:
        values[index] = adapt(values[index])
    return values


def delete_rows(model: type[models.Model], field_name: str, value: Any) -> int:
    """Delete the rows of ``model`` whose ``field_name`` is ``value``, in one statement and without
    Django's collector: for rows nothing points to any more (the caller deleted whatever did)."""
    field = model._meta.get_field(field_name)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quote(model._meta.db_table)} WHERE {quote(field.column)} = %s", [value])
        return cursor.rowcount
