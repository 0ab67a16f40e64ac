"""Every staff page and API write, for every role: allowed, refused (403), or sent to sign in."""

import pytest

from machiplan.staff.services.people import token_create

from .conftest import PLAN, edit_url, step_url

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
