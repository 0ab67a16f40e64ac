"""Schemathesis against /api/openapi.json, in process: no server error, no answer the spec does not allow.

Every check schemathesis has runs, on data that fits the description and data
that does not. One is told what the spec says of well-formed requests that a
figure's rules refuse: a 400 with the errors by field (a percentage above 100,
a year outside the plan, a change that needs a reason …) is the documented
answer to schema-valid data too, so "positive data accepted" allows it.

Each request carries the owner's API token, except where schemathesis made its headers wrong
on purpose. The first test sends whatever paths schemathesis makes up; the second sends its
bodies to a real figure (the embedded plan's 1b), so they reach the checks and
the database. Examples per operation: the hypothesis profile's ("ci" in bin/test,
"long" for a fuzzing run).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from machiplan.staff.services.people import token_create

from .conftest import PLAN

CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409"]}
        }
    }
)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler(), config=CONFIG)
# The staff fixtures set up people once per test, not per example: each example is one request.
FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: a request must not close the connection holding the test's
    transaction (on PostgreSQL it would)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(suppress_health_check=FIXTURES)
def test_the_api_keeps_to_its_description(case, people):
    case.call_and_validate(headers=_token(case))


@schema.parametrize()
@settings(suppress_health_check=FIXTURES)
def test_the_api_keeps_to_its_description_on_a_real_figure(case, people):
    meta = case.meta
    negative = meta is not None and meta.is_negative_at(ParameterLocation.PATH)  # a wrong path stays wrong
    if case.path_parameters and "indicator" in case.path_parameters and not negative:
        case.path_parameters = {**case.path_parameters, "code": PLAN, "indicator": "1b"}
    case.call_and_validate(headers=_token(case))


def _token(case) -> dict[str, str] | None:
    """The owner's token, unless schemathesis made the case's headers wrong on purpose (a missing or
    malformed Authorization): giving it then would turn a request that must be refused into a good one."""
    meta = case.meta
    if meta is not None and meta.is_negative_at(ParameterLocation.HEADER):
        return None
    return {"Authorization": f"Token {token_create(username='owner')}"}
