"""People in each role, and test clients signed in as them, over the embedded Sapporo plan."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from machiplan.cli.bootstrap import ensure_default_plan
from machiplan.staff.services.people import user_add

PLAN = "sapporo-machizukuri-2"
PASSWORD = "a-long-test-password-9"
# In the embedded plan, 地域活動推進課 (chiiki-katsudo) owns 1b, 3a, 3b, 3c; 市民自治推進課 the others.
PEOPLE = {
    "admin": ("admin", None),
    "owner": ("owner", None),
    "editor": ("editor", "chiiki-katsudo"),
    "other_editor": ("editor", "shimin-jichi"),
    "viewer": ("viewer", None),
}


@pytest.fixture
def people(db):
    cache.clear()
    ensure_default_plan()
    return {
        name: user_add(username=name, role=role, password=PASSWORD, department=dept)
        for name, (role, dept) in PEOPLE.items()
    }


@pytest.fixture
def as_(people):
    """``as_("editor")``: a test client signed in as that person (CSRF checks on, as in production)."""

    def client(name: str) -> Client:
        c = Client(enforce_csrf_checks=False)
        c.force_login(people[name])
        return c

    return client


def edit_url(indicator: str, fy: int) -> str:
    return f"/staff/plans/{PLAN}/indicators/{indicator}/{fy}/edit/"


def step_url(indicator: str, fy: int, step: str) -> str:
    return f"/staff/plans/{PLAN}/indicators/{indicator}/{fy}/{step}/"
