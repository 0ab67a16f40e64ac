"""Start Django for the command line: settings, migrations, the embedded default plan."""

from __future__ import annotations

import os

DEFAULT_PLAN_CODE = "sapporo-machizukuri-2"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "machiplan.settings")
    import django

    django.setup()


def ensure_database() -> None:
    """Apply migrations that are not yet applied (first use, or after an upgrade)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def ensure_default_plan() -> None:
    """Load the embedded Sapporo plan the first time it is needed."""
    from machiplan.embedded import DEFAULT_PLAN_DIR
    from machiplan.interchange.package import read_package
    from machiplan.plans.models import Plan
    from machiplan.plans.services import plan_load

    if not Plan.objects.filter(code=DEFAULT_PLAN_CODE).exists():
        plan_load(plan=read_package(DEFAULT_PLAN_DIR), source="embedded:sapporo")


def ready(*, default_plan: bool = True) -> None:
    setup_django()
    ensure_database()
    if default_plan:
        ensure_default_plan()
