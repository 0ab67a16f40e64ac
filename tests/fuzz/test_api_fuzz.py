"""The write API under random bodies: a 2xx, or a 4xx whose errors name fields in one line each
and leave the database as it was; never a server error."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from machiplan.plans.models import Observation
from machiplan.staff.models import AuditEvent, Entry
from machiplan.staff.services.people import token_create

from .conftest import PLAN

FIELDS = ("kind", "value", "as_of", "approximate", "breakdown", "note", "source", "revision", "reason",
          "submit", "comment")  # fmt: skip
ERROR_FIELDS = {*FIELDS, "fy"}

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**70), max_value=10**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip
numbers = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["70.9", "0", "100", "-1", "1e999999", "1" * 60, "0.1234567", "NaN", "", " 12 ", "1_000"]
    ),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
)
dates = st.one_of(
    st.dates().map(str), st.sampled_from(["2017-09-15", "0001-01-01", "9999-12-31", "20170915", "x"])
)
field_values = {
    "kind": st.sampled_from(["actual", "interim", "pending", "none", "guess", ""]) | json_values,
    "value": numbers | json_values,
    "as_of": dates | json_values,
    "breakdown": st.lists(st.tuples(st.text(max_size=10), numbers).map(list), max_size=3)
    | st.text(max_size=30)
    | json_values,
    "revision": st.integers(min_value=-2, max_value=3) | st.integers() | json_values,
    **{key: st.text(max_size=30) | json_values for key in ("note", "source", "reason", "comment")},
    **{key: st.booleans() | json_values for key in ("approximate", "submit")},
}
bodies = st.fixed_dictionaries({}, optional=field_values).map(
    lambda body: json.dumps(body, allow_nan=True, ensure_ascii=False).encode()
)
# Bodies that mostly make sense, to reach the checks, the workflow and the database; the test
# gives them the figure's current revision.
sensible = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["actual", "actual", "interim", "pending"]),
        "value": st.decimals(min_value=60, max_value=80, places=1).map(str),
        "as_of": st.dates(min_value=dt.date(2017, 4, 1), max_value=dt.date(2018, 3, 31)).map(str),
        "reason": st.just("確認済み"),
    },
    optional={"note": st.text(max_size=20), "submit": st.booleans(), "comment": st.text(max_size=10)},
).map(lambda body: {**body, "value": None} if body["kind"] == "pending" else body)
raw_bodies = st.one_of(
    st.binary(max_size=200),
    st.integers(min_value=1, max_value=20_000).map(lambda depth: ("[" * depth + "]" * depth).encode()),
    st.just(b'{"revision": 0, "note": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    json_values.map(lambda v: json.dumps(v, allow_nan=True).encode()),
)
years = st.one_of(
    st.just(2017),
    st.sampled_from([2016, 2018, 2019, 2004, 1927, 2200]),
    st.integers(min_value=0, max_value=2**70),
)
actions = st.one_of(st.just(""), st.just(""), st.sampled_from(["", "submit/", "approve/", "return/"]))


def database_state() -> tuple:
    return (
        sorted(
            Entry.objects.values_list("indicator_id", "fy", "revision", "status", "kind", "value", "note")
        ),
        AuditEvent.objects.count(),
        sorted(Observation.objects.values_list("indicator_id", "fy", "kind", "value", "as_of", "note")),
    )


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    body=st.one_of(sensible, sensible, bodies, raw_bodies),
    fy=years,
    action=actions,
    user=st.sampled_from(["owner", "editor", "owner", "viewer"]),
)
def test_random_bodies_get_a_2xx_or_a_4xx_naming_the_field(people, body, fy, action, user):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)  # a crash answers 500
    key = token_create(username=user)
    if isinstance(body, dict):  # a sensible body, at the revision the figure is at
        entry = Entry.objects.filter(indicator__code="1b", fy=fy).first() if fy < 2**15 else None
        body = json.dumps({**body, "revision": entry.revision if entry else 0}, ensure_ascii=False).encode()
    before = database_state()
    response = client.post(
        f"/api/plans/{PLAN}/indicators/1b/observations/{fy}/{action}", body,
        content_type="application/json", headers={"Authorization": f"Token {key}"},
    )  # fmt: skip
    event(f"status {response.status_code}")
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        answer = response.json()
        assert "\n" not in answer["error"]
        assert set(answer.get("errors", {})) <= ERROR_FIELDS, answer
        assert all("\n" not in m for ms in answer.get("errors", {}).values() for m in ms)
        assert database_state() == before
    else:
        assert response.json()["fy"] == fy
