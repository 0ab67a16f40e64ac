"""Signing in: CSRF on the form, a brake on guessing, and no session cookie readable by scripts."""

import pytest
from django.test import Client

from .conftest import PASSWORD


def test_sign_in_and_out(people):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/staff/login/")
    token = page.cookies["csrftoken"].value
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert (
        client.post("/staff/login/", {"username": "editor", "password": PASSWORD}).status_code == 403
    )  # no token
    response = client.post(
        "/staff/login/", {"username": "editor", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert response.cookies["sessionid"]["httponly"]
    token = client.cookies["csrftoken"].value
    assert client.post("/staff/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get("/staff/").status_code == 302


def test_repeated_failures_pause_sign_in(people, settings):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        page = client.post("/staff/login/", {"username": "editor", "password": "wrong-password"})
        assert "ユーザー名またはパスワードが正しくありません" in page.content.decode()
    # now even the right password is refused for a while
    page = client.post("/staff/login/", {"username": "Editor", "password": PASSWORD})
    assert page.status_code == 200 and "しばらく受け付けません" in page.content.decode()
    # another person is not locked out by it, nor is the same person signing in from elsewhere
    assert client.post("/staff/login/", {"username": "owner", "password": PASSWORD}).status_code == 302
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert elsewhere.post("/staff/login/", {"username": "editor", "password": PASSWORD}).status_code == 302


def test_one_address_guessing_many_names_is_paused(people, settings):
    guesser = Client(REMOTE_ADDR="198.51.100.9")
    for n in range(settings.LOGIN_FAILURE_LIMIT * 4):
        guesser.post("/staff/login/", {"username": f"name{n}", "password": "wrong-password"})
    page = guesser.post("/staff/login/", {"username": "owner", "password": PASSWORD})
    assert "しばらく受け付けません" in page.content.decode()


def test_a_forwarded_address_from_a_proxy_nobody_named_is_not_believed(people, settings):
    # On the default bind (loopback) with no proxy named, X-Forwarded-For is only the client's claim:
    # a different claim per try is still the same address.
    for n in range(settings.LOGIN_FAILURE_LIMIT * 4):
        claim = Client(HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        claim.post("/staff/login/", {"username": f"name{n}", "password": "wrong-password"})
    page = Client(HTTP_X_FORWARDED_FOR="198.51.100.99").post(
        "/staff/login/", {"username": "owner", "password": PASSWORD}
    )
    assert page.status_code == 200 and "しばらく受け付けません" in page.content.decode()


def test_behind_named_proxies_the_address_they_saw_counts(settings):
    from machiplan.staff.services.people import client_address

    def seen(remote: str, forwarded: str | None = None) -> str | None:
        meta = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_address(meta)

    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert seen("127.0.0.1", "203.0.113.5, 198.51.100.2") == "198.51.100.2"  # what our proxy added
    assert seen("127.0.0.1", "203.0.113.5, 10.1.2.3") == "203.0.113.5"  # through two named proxies
    assert seen("127.0.0.1", "10.1.2.3") == "10.1.2.3"  # only proxies: the farthest one
    assert seen("192.0.2.1", "203.0.113.5") == "192.0.2.1"  # not a proxy we named
    assert seen("127.0.0.1") == "127.0.0.1"
    assert seen("127.0.0.1", "198.51.100.2:5123") == "198.51.100.2"
    assert seen("127.0.0.1", "[2001:db8::1]:443") == "2001:db8::1"
    assert seen("127.0.0.1", "unknown") == "127.0.0.1"  # the proxy did not know: count it at the proxy
    assert seen("127.0.0.1", "198.51.100.2, unknown") == "127.0.0.1"
    settings.TRUSTED_PROXIES = []
    assert seen("127.0.0.1", "203.0.113.5") == "127.0.0.1"
    assert seen("not-an-address") is None


@pytest.mark.parametrize(
    "forwarded",
    [
        "unknown",
        "",
        " , ",
        "198.51.100.2:5123",
        "[2001:db8::1]:443",
        pytest.param("x" * 300, id="x*300"),
        "unknown, 10.0.0.1",
    ],
)
def test_any_forwarded_header_signs_in_and_fails_cleanly(people, settings, forwarded):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    client = Client(HTTP_X_FORWARDED_FOR=forwarded)
    wrong = client.post("/staff/login/", {"username": "editor", "password": "wrong-password"})
    assert wrong.status_code == 200 and "正しくありません" in wrong.content.decode()
    assert client.post("/staff/login/", {"username": "editor", "password": PASSWORD}).status_code == 302


def test_staff_forms_need_csrf(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["editor"])
    response = client.post(
        "/staff/plans/sapporo-machizukuri-2/indicators/1b/2017/edit/",
        {"kind": "actual", "value": "70.9", "revision": "0"},
    )
    assert response.status_code == 403


def test_changing_ones_password(people):
    client = Client()
    client.force_login(people["viewer"])
    page = client.get("/staff/password/")
    assert page.status_code == 200 and 'autocomplete="current-password"' in page.content.decode()
    weak = client.post(
        "/staff/password/",
        {"old_password": PASSWORD, "new_password1": "12345678901", "new_password2": "12345678901"},
    )
    assert weak.status_code == 400 and "このパスワードは数字しか使われていません。" in weak.content.decode()
    new = "another-long-password-3"
    done = client.post(
        "/staff/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert (
        done.status_code == 302 and client.get("/staff/plans/sapporo-machizukuri-2/").status_code == 200
    )  # still signed in
    assert Client().login(username="viewer", password=new)


def test_the_admin_sign_in_has_the_same_brake(people):
    guesser = Client()
    for _ in range(30):
        page = guesser.post("/admin/login/", {"username": "admin", "password": "wrong-password"})
        assert page.status_code == 200
    page = guesser.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD, "next": "/admin/"}
    )
    assert page.status_code == 200 and "しばらく受け付けません" in page.content.decode()
    assert guesser.get("/admin/").status_code == 302  # not signed in
    # one brake: the failures at the admin's door count at the staff door too
    staff_door = Client().post("/staff/login/", {"username": "admin", "password": PASSWORD})
    assert staff_door.status_code == 200 and "しばらく受け付けません" in staff_door.content.decode()
    # and the admin signs in from elsewhere
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert elsewhere.post("/admin/login/", {"username": "admin", "password": PASSWORD}).status_code == 302
