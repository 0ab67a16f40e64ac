"""Upgrading an installation: today's roles become roles in every plan there is (staff 0006)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# the plans app as it was then too: its later columns (import_mapping …) have no database default
BEFORE = [("staff", "0005_audit_series_group"), ("plans", "0002_general_plan_model")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_owners_editors_and_viewers_get_their_role_in_every_plan():
    old = _migrate(BEFORE)
    Plan, Department = old.get_model("plans", "Plan"), old.get_model("plans", "Department")
    User, Profile = old.get_model("auth", "User"), old.get_model("staff", "Profile")
    for code in ("plan-a", "plan-b"):
        Plan.objects.create(code=code, title=code, municipality_name="札幌市", municipality_code="011002",
                            start_fy=2014, end_fy=2018)  # fmt: skip
    department = Department.objects.create(code="chiiki-katsudo", name="地域活動推進課")
    for name, role in (("tanaka", "owner"), ("sato", "editor"), ("suzuki", "viewer"), ("yamada", "admin")):
        user = User.objects.create(username=name, is_superuser=role == "admin", is_staff=role == "admin")
        Profile.objects.create(user=user, role=role, department=department if role == "editor" else None)

    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(leaves)
    from machiplan.domain import roles
    from machiplan.staff.models import PlanRole, Profile
    from machiplan.staff.policy import staff_of

    grants = sorted(PlanRole.objects.values_list("user__username", "plan_code", "role", "department__code"))
    assert grants == [
        ("sato", "plan-a", "editor", "chiiki-katsudo"), ("sato", "plan-b", "editor", "chiiki-katsudo"),
        ("suzuki", "plan-a", "viewer", None), ("suzuki", "plan-b", "viewer", None),
        ("tanaka", "plan-a", "owner", None), ("tanaka", "plan-b", "owner", None),
    ]  # fmt: skip
    assert dict(Profile.objects.values_list("user__username", "role")) == {
        "tanaka": "", "sato": "", "suzuki": "", "yamada": "admin",
    }  # fmt: skip
    from django.contrib.auth import get_user_model

    tanaka = staff_of(get_user_model().objects.get(username="tanaka"))
    assert roles.reach(tanaka, "plan-b").can_review and roles.reach(tanaka, "plan-c").role == roles.READER


def _refuses_update(table: str) -> bool:
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET reason = 'rewritten'")
    except DatabaseError:
        return True
    return False


@pytest.mark.django_db(transaction=True)
def test_the_trail_stays_append_only_through_its_migrations_both_ways():
    """0005 rebuilds the table on SQLite: the trigger that refuses updates is made again, both ways."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    for targets in ([("staff", "0004_entry_series")], leaves):
        apps = _migrate(targets)
        apps.get_model("staff", "AuditEvent").objects.create(actor="x", plan_code="p", action="save")
        assert _refuses_update("staff_auditevent"), targets
