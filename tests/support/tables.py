"""Every row of every table, as the ORM reads it: to compare two databases row by row.

``python -m tests.support.tables`` prints them (as JSON of each table's rows' repr)
for the database that the environment names, so a test can compare a database
made in another process with its own.
"""

from __future__ import annotations

import json

LEFT_OUT = {"sessions.session"}  # a backup leaves sign-ins out


def snapshot(using: str = "default") -> dict[str, str]:
    """Each table's rows, ordered by primary key, every column, as one repr per table."""
    from django.apps import apps

    tables = {}
    for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.label_lower):
        label = model._meta.label_lower
        if label in LEFT_OUT:
            continue
        columns = [f.attname for f in model._meta.concrete_fields]
        rows = model._base_manager.using(using).order_by("pk").values_list(*columns)
        tables[label] = repr([tuple(_plain(v) for v in row) for row in rows])
    return tables


def _plain(value):
    """Bytes as bytes (PostgreSQL gives memoryviews); JSON objects with sorted keys (jsonb keeps its own order)."""
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, dict):
        return {k: _plain(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def applied(using: str = "default") -> list[str]:
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connections[using]).applied_migrations())


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "machiplan.settings")
    django.setup()
    print(json.dumps({"tables": snapshot(), "migrations": applied()}))


if __name__ == "__main__":
    main()
