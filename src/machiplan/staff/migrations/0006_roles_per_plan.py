"""Roles per plan (#11): a plan's owner, a department's editor and a viewer are roles in one plan
(``PlanRole``); a profile keeps only an installation-wide role (admin, or the planning section's
planner).

Today's installations keep working: an owner becomes the owner of every plan there is, an editor
the editor (of the same department) of every plan, a viewer a viewer of every plan; an admin stays
an admin. Going back, a person's strongest role in any plan becomes their role again.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PER_PLAN = ("owner", "editor", "viewer")
STRENGTH = {"owner": 3, "editor": 2, "viewer": 1}


def roles_per_plan(apps, schema_editor):
    Profile = apps.get_model("staff", "Profile")
    PlanRole = apps.get_model("staff", "PlanRole")
    Plan = apps.get_model("plans", "Plan")
    plans = list(Plan.objects.order_by("code").values_list("code", flat=True))
    for profile in Profile.objects.filter(role__in=PER_PLAN):
        department = profile.department_id if profile.role == "editor" else None
        PlanRole.objects.bulk_create(
            PlanRole(user_id=profile.user_id, plan_code=code, role=profile.role, department_id=department)
            for code in plans
        )
        profile.role = ""
        profile.save(update_fields=["role"])


def one_role_again(apps, schema_editor):
    Profile = apps.get_model("staff", "Profile")
    PlanRole = apps.get_model("staff", "PlanRole")
    for profile in Profile.objects.filter(role__in=["", "planner"]):
        grants = sorted(PlanRole.objects.filter(user_id=profile.user_id), key=lambda g: -STRENGTH[g.role])
        strongest = grants[0] if grants else None
        profile.role = strongest.role if strongest else "viewer"
        profile.department_id = strongest.department_id if strongest else None
        profile.save(update_fields=["role", "department"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_general_plan_model"),
        ("staff", "0005_audit_series_group"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PlanRole",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("plan_code", models.SlugField(max_length=64)),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("owner", "計画所管 (plan owner)"),
                            ("editor", "担当部署 (department editor)"),
                            ("viewer", "閲覧 (viewer)"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="plans.department",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="plan_roles",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["user", "plan_code"]},
        ),
        migrations.RemoveConstraint(model_name="profile", name="profile_editor_has_department"),
        migrations.AlterField(
            model_name="profile",
            name="role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "計画ごとの役割のみ (roles per plan)"),
                    ("admin", "管理者 (admin)"),
                    ("planner", "企画・全計画の閲覧 (planner)"),
                    ("owner", "計画所管 (plan owner)"),
                    ("editor", "担当部署 (department editor)"),
                    ("viewer", "閲覧 (viewer)"),
                ],
                default="",
                max_length=16,
            ),
        ),
        migrations.RunPython(roles_per_plan, one_role_again),
        migrations.RemoveField(model_name="profile", name="department"),
        migrations.AlterField(
            model_name="profile",
            name="role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "計画ごとの役割のみ (roles per plan)"),
                    ("admin", "管理者 (admin)"),
                    ("planner", "企画・全計画の閲覧 (planner)"),
                ],
                default="",
                max_length=16,
            ),
        ),
        migrations.AddConstraint(
            model_name="planrole",
            constraint=models.UniqueConstraint(fields=("user", "plan_code"), name="plan_role_one_per_plan"),
        ),
        migrations.AddConstraint(
            model_name="planrole",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("department__isnull", False), ("role", "editor")),
                    models.Q(models.Q(("role", "editor"), _negated=True), ("department__isnull", True)),
                    _connector="OR",
                ),
                name="plan_role_editor_has_department",
            ),
        ),
    ]
