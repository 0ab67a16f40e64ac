from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0009_table_upload"),
    ]

    operations = [
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
                    ("deadline", "提出期限の設定 (deadline)"),
                    ("report", "報告書の作成 (report generated)"),
                    ("publish", "報告書の公開 (report published)"),
                    ("method", "評価方法の変更 (method)"),
                ],
                max_length=16,
            ),
        ),
    ]
