"""Every staff page and API write, for every role: allowed, refused (403), or sent to sign in."""

import pytest

from machiplan.staff.services.people import token_create

from .conftest import PASSWORD, PLAN, edit_url, step_url

P = f"/staff/plans/{PLAN}"
ROLES = ["admin", "owner", "editor", "other_editor", "viewer"]

# path -> the roles that may open it; everyone else gets 403
PAGES = {
    f"{P}/": ROLES,
    f"{P}/indicators/1b/": [*ROLES[:3], "viewer"],  # 1b is chiiki-katsudo's: not the other editor's
    f"{P}/indicators/1a/": ["admin", "owner", "other_editor", "viewer"],
    f"{P}/indicators/1a/history/": ["admin", "owner", "other_editor", "viewer"],
    edit_url("1b", 2017): ["admin", "owner", "editor"],
    edit_url("1a", 2017): ["admin", "owner", "other_editor"],
    f"{P}/review/": ["admin", "owner", "viewer"],  # a viewer reads the queue, without its buttons
    f"{P}/structure/": ["admin", "owner"],
    f"{P}/structure/indicators/1b/": ["admin", "owner"],
    f"{P}/structure/nodes/1/": ["admin", "owner"],
    f"{P}/structure/indicators/1b/delete/": ["admin", "owner"],
    f"{P}/structure/nodes/1/delete/": ["admin", "owner"],
    f"{P}/bulk/": ["admin", "owner", "editor", "other_editor"],
    f"{P}/history/": ROLES,
    "/staff/password/": ROLES,
    f"{P}/bulk/template/?fy=2017": ["admin", "owner", "editor", "other_editor"],
    f"{P}/reports/": ["admin", "owner", "viewer"],  # a viewer follows the reports; the owner makes them
    f"{P}/deadlines/": ["admin", "owner"],
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", list(PAGES))
def test_pages_by_role(as_, role, path):
    response = as_(role).get(path)
    expected = 200 if role in PAGES[path] else 403
    assert response.status_code == expected, f"{role} {path}: {response.status_code}"
    if expected == 403:
        assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize("path", list(PAGES))
def test_signed_out_people_are_sent_to_sign_in(client, people, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")


def test_an_editor_cannot_act_on_another_departments_indicator_by_guessing_urls(as_):
    editor = as_("editor")
    assert (
        editor.post(edit_url("1a", 2017), {"kind": "actual", "value": "50", "revision": "0"}).status_code
        == 403
    )
    assert editor.post(step_url("1a", 2017, "submit"), {"revision": "0"}).status_code == 403
    assert editor.post(step_url("1b", 2017, "approve"), {"revision": "0"}).status_code == 403
    from machiplan.staff.models import Entry

    assert not Entry.objects.exists()


def test_the_editors_list_shows_only_their_indicators(as_):
    page = as_("editor").get(f"{P}/").content.decode()
    assert "町内会加入率" in page and "市民まちづくり活動に参加したことのある人の割合" not in page
    assert "71.1%<br><small>平成28年度 (2016)</small>" in page  # 1b's latest published figure
    assert "市民まちづくり活動に参加したことのある人の割合" in as_("viewer").get(f"{P}/").content.decode()


def test_the_bulk_template_holds_only_the_editors_indicators(as_):
    body = as_("editor").get(f"{P}/bulk/template/?fy=2017&format=csv&department=shimin-jichi").content
    codes = [line.split(",")[0] for line in body.decode("utf-8-sig").splitlines()[1:]]
    assert codes == ["1b", "3a", "3b", "3c"]  # the department asked for is ignored: an editor gets their own


@pytest.mark.parametrize(
    ("role", "indicator", "status"),
    [("editor", "1b", 200), ("editor", "1a", 403), ("viewer", "1b", 403), ("owner", "1a", 200)],
)
def test_api_writes_follow_the_same_roles(client, people, role, indicator, status):
    key = token_create(username=role)
    response = client.post(
        f"/api/plans/{PLAN}/indicators/{indicator}/observations/2017/",
        {"kind": "actual", "value": "70.9", "revision": 0},
        content_type="application/json",
        headers={"Authorization": f"Token {key}"},
    )
    assert response.status_code == status, response.content


def test_only_admins_reach_the_django_admin(as_):
    assert as_("admin").get("/admin/").status_code == 200
    assert as_("owner").get("/admin/").status_code == 302  # to the admin's own sign-in


def test_the_admin_shows_the_trail_read_only(as_):
    from machiplan.staff.models import AuditEvent

    admin = as_("admin")
    event = AuditEvent.objects.get(action="load")
    assert admin.get("/admin/staff/auditevent/").status_code == 200
    page = admin.get(f"/admin/staff/auditevent/{event.pk}/change/")
    assert (
        page.status_code == 200 and 'type="submit"' not in page.content.decode().split('id="content-main"')[1]
    )
    assert admin.post(f"/admin/staff/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert admin.get("/admin/auth/user/").status_code == 200


# --- roles per plan: a second plan -----------------------------------------------------------------

B = "second-plan"
PB = f"/staff/plans/{B}"


@pytest.fixture
def second_plan(people, sapporo):
    """Plan B, loaded after everyone got their roles in plan A: nobody above holds a role in it but the
    admin; ``owner_b`` owns it alone, ``planner`` reads every plan."""
    from dataclasses import replace

    from machiplan.plans.services import plan_load
    from machiplan.staff.services.people import user_add

    plan_load(plan=replace(sapporo, code=B, title="第2の計画"), source="test")
    extra = {
        "owner_b": user_add(username="owner_b", role="owner", plan=B, password=PASSWORD),
        "planner": user_add(username="planner", role="planner", password=PASSWORD),
    }
    people.update(extra)
    return B


EVERYONE = [*ROLES, "owner_b", "planner"]
READERS_OF_B = [
    "admin",
    "owner",
    "viewer",
    "owner_b",
    "planner",
]  # the owner and viewer of A read B's published
FULL_READ_B = ["admin", "owner_b", "planner"]
OWNERS_OF_B = ["admin", "owner_b"]
PLAN_B_PAGES = {
    f"{PB}/": READERS_OF_B,
    f"{PB}/indicators/1b/": READERS_OF_B,
    f"{PB}/indicators/1b/history/": FULL_READ_B,
    f"/staff/plans/{B}/indicators/1b/2017/edit/": OWNERS_OF_B,
    f"{PB}/review/": FULL_READ_B,
    f"{PB}/history/": FULL_READ_B,
    f"{PB}/bulk/": OWNERS_OF_B,
    f"{PB}/bulk/template/?fy=2017": OWNERS_OF_B,
    f"{PB}/structure/": OWNERS_OF_B,
    f"{PB}/structure/plan/": OWNERS_OF_B,
    f"{PB}/structure/method/": OWNERS_OF_B,
    f"{PB}/structure/add-node/": OWNERS_OF_B,
    f"{PB}/structure/add-node/?parent=1": OWNERS_OF_B,
    f"{PB}/structure/nodes/1/": OWNERS_OF_B,
    f"{PB}/structure/nodes/1-1/delete/": OWNERS_OF_B,
    f"{PB}/structure/add-indicator/": OWNERS_OF_B,
    f"{PB}/structure/indicators/1b/": OWNERS_OF_B,
    f"{PB}/structure/indicators/1b/delete/": OWNERS_OF_B,
    f"{PB}/structure/import/": OWNERS_OF_B,
    f"{PB}/reports/": FULL_READ_B,
    f"{PB}/deadlines/": OWNERS_OF_B,
}
# and plan A for the two people with no role there: the planner reads it all, B's owner its published figures
PLAN_A_PAGES = {
    f"{P}/": ["planner", "owner_b"],
    f"{P}/indicators/1a/": ["planner", "owner_b"],
    f"{P}/indicators/1a/history/": ["planner"],
    f"{P}/review/": ["planner"],
    f"{P}/history/": ["planner"],
    edit_url("1a", 2017): [],
    f"{P}/structure/": [],
    f"{P}/structure/import/": [],
    f"{P}/bulk/": [],
    f"{P}/reports/": ["planner"],
    f"{P}/deadlines/": [],
}


def test_every_staff_url_of_a_plan_is_covered():
    """The lists above name a page of every staff URL pattern (a new page must be added to them)."""
    from django.urls import get_resolver

    patterns = {p.pattern.name for p in get_resolver("machiplan.staff.urls").url_patterns}
    reached = set()
    from django.urls import resolve

    for path in [*PAGES, *PLAN_B_PAGES, *PLAN_A_PAGES]:
        reached.add(resolve(path.split("?")[0]).url_name)
    steps = {"submit", "approve", "return", "bulk-preview"}  # POSTs and an upload's own page: tested below
    steps |= {
        "table-preview",
        "table-mapping",
        "report-run",
        "report-status",
        "report-file",
        "report-publish",
    }  # a table upload's own pages (tests/staff/test_table_import.py), a generation's (test_reports.py)
    assert patterns - reached - steps - {"home", "login", "logout"} == set()


@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize("path", [*PLAN_B_PAGES, *PLAN_A_PAGES])
def test_pages_of_two_plans_by_role(as_, second_plan, role, path):
    allowed = {**PLAN_B_PAGES, **PLAN_A_PAGES}[path]
    if path in PLAN_A_PAGES and role not in ("planner", "owner_b"):
        return  # plan A's roles are the test above
    response = as_(role).get(path)
    expected = 200 if role in allowed else 403
    assert response.status_code == expected, f"{role} {path}: {response.status_code}"


def test_the_owner_of_plan_a_cannot_approve_change_or_see_drafts_of_plan_b(as_, second_plan):
    from machiplan.plans.models import Indicator, Node
    from machiplan.staff.models import AuditEvent, Entry

    owner_b, owner = as_("owner_b"), as_("owner")
    edit = f"{PB}/indicators/1b/2017/edit/"
    assert owner_b.post(edit, {"kind": "actual", "value": "70.9", "revision": "0"}).status_code == 302
    assert owner_b.post(f"{PB}/indicators/1b/2017/submit/", {"revision": "1"}).status_code == 302
    page = owner.get(f"{PB}/indicators/1b/").content.decode()
    assert (
        "70.9" not in page and "承認待ち" not in page and "公開中の値だけ" in page
    )  # published figures only
    assert "70.9" not in owner.get(f"{PB}/").content.decode()
    assert owner.post(f"{PB}/indicators/1b/2017/approve/", {"revision": "2"}).status_code == 403
    assert owner.post(f"{PB}/review/", {"scope": "all", "all": ["1b|2017|2"]}).status_code == 403
    assert owner.post(edit, {"kind": "actual", "value": "1", "revision": "2"}).status_code == 403
    assert owner.post(f"{PB}/structure/nodes/1-1/delete/").status_code == 403
    assert owner.post(f"{PB}/structure/indicators/1b/delete/").status_code == 403
    assert Entry.objects.get(indicator__plan__code=B).status == "submitted"
    assert (
        Node.objects.filter(plan__code=B, code="1-1").exists()
        and Indicator.objects.filter(plan__code=B, code="1b").exists()
    )
    key = token_create(username="owner")
    url = f"/api/plans/{B}/indicators/1b/observations/2017/"
    api = as_("owner")
    assert api.get(url, headers={"Authorization": f"Token {key}"}).status_code == 403  # not even its draft
    for path in (url, url + "approve/"):
        answer = api.post(
            path, {"revision": 2}, content_type="application/json", headers={"Authorization": f"Token {key}"}
        )
        assert answer.status_code == 403, path
    # the same person owns plan A as before, and B's owner approves in B
    assert owner_b.post(f"{PB}/indicators/1b/2017/approve/", {"revision": "2"}).status_code == 302
    assert Entry.objects.get(indicator__plan__code=B).status == "approved"
    assert AuditEvent.objects.filter(plan_code=B, action="approve", actor="owner_b").count() == 1


def test_the_home_page_lists_the_plans_with_the_persons_role(as_, second_plan):
    page = as_("owner").get("/staff/").content.decode()
    assert f"/staff/plans/{PLAN}/" in page and f"/staff/plans/{B}/" in page
    assert page.index("計画所管") < page.index("閲覧（公開中の値のみ）")  # their own plan first
    editor = as_("editor").get("/staff/")
    assert (
        editor.status_code == 302 and editor["Location"] == f"/staff/plans/{PLAN}/"
    )  # the one plan they edit
    planner = as_("planner").get("/staff/").content.decode().split("<main")[1]
    assert planner.count("企画（全計画の閲覧）") == 2


def test_a_department_editor_of_plan_b_works_on_their_indicators_there_only(as_, people, second_plan):
    from machiplan.staff.services.people import user_add

    people["editor"] = user_add(
        username="editor", role="editor", plan=B, department="shimin-jichi", password=PASSWORD
    )
    editor = as_("editor")
    assert editor.get(f"{PB}/indicators/1a/2017/edit/").status_code == 200  # shimin-jichi's in B
    assert editor.get(f"{PB}/indicators/1b/2017/edit/").status_code == 403
    assert editor.get(edit_url("1b", 2017)).status_code == 200  # still chiiki-katsudo's in A
    assert editor.get(edit_url("1a", 2017)).status_code == 403
