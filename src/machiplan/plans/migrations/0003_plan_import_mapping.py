"""A plan keeps the mapping its table was read with (import-table, docs/import.md), so that next
year's sheet imports in one step."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_general_plan_model"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="import_mapping",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="how its table is read (machiplan/table-mapping@1, docs/import.md): next year's sheet "
                "imports with it in one step; empty when it did not come from a table",
            ),
        ),
    ]
