"""The audit trail names a figure's series, and the rows of one action share a group; its actions are a
closed list.

On SQLite, adding a column with a default rebuilds the table, and the append-only trigger
(0002_audit_append_only) goes with the old table: it is made again after the rebuild (and, going
back, after the rebuild of the reverse). PostgreSQL adds the columns in place, its trigger stays.
"""

from django.db import migrations, models

SQLITE_TRIGGER = """CREATE TRIGGER IF NOT EXISTS staff_auditevent_append_only BEFORE UPDATE ON staff_auditevent
   BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"""


def append_only_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0004_entry_series"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, append_only_again),  # going back: after the rebuild
        migrations.AddField(
            model_name="auditevent",
            name="group",
            field=models.UUIDField(
                blank=True,
                db_index=True,
                help_text="shared by every row of one action (empty on rows written before groups)",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="series",
            field=models.CharField(
                blank=True, help_text="the figure's series ('' = headline)", max_length=100
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("save", "保存 (save)"),
                    ("submit", "提出 (submit)"),
                    ("approve", "承認 (approve)"),
                    ("return", "差戻し (return)"),
                    ("structure", "構成の変更 (structure)"),
                    ("load", "計画の登録 (load)"),
                    ("role", "役割の変更 (role)"),
                ],
                max_length=16,
            ),
        ),
        migrations.RunPython(append_only_again, migrations.RunPython.noop),
    ]
