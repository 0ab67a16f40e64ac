"""The database itself refuses to change the audit trail.

Updates are refused on every database. Deletes are refused on PostgreSQL; on
SQLite a trigger against deletes would also stop Django's test-database flush,
so there the model's guards refuse them.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER staff_auditevent_append_only BEFORE UPDATE ON staff_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
]
POSTGRESQL = [
    """CREATE FUNCTION staff_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$""",
    """CREATE TRIGGER staff_auditevent_append_only BEFORE UPDATE OR DELETE ON staff_auditevent
       FOR EACH ROW EXECUTE FUNCTION staff_auditevent_append_only()""",
]
UNDO = {
    "sqlite": ["DROP TRIGGER staff_auditevent_append_only"],
    "postgresql": [
        "DROP TRIGGER staff_auditevent_append_only ON staff_auditevent",
        "DROP FUNCTION staff_auditevent_append_only()",
    ],
}


def forwards(apps, schema_editor):
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for statement in UNDO.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
