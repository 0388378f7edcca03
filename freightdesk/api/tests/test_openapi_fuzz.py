"""The OpenAPI document is exact (API.md: "complete and accurate (it is fuzzed)"): schemathesis generates
requests for every operation from /api/v1/openapi.json and sends them to the Django app (WSGI); no answer may
be a 5xx, have a status the document does not list for the operation, or a body that breaks its schema.

Bounded so `make test` stays fast: 25 examples per operation, a fixed seed (derandomize), no shrinking.
"""

import pytest
import schemathesis
from django.contrib.auth.models import Group, User
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from freightdesk.accounts.models import ApiToken, StaffProfile
from freightdesk.accounts.roles import Role
from freightdesk.api.router import api

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def connection_outlives_each_request():
    """The requests run inside the test's transaction, so the connection must outlive each request (as
    Django's test client arranges)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def every_right(demo) -> dict:
    """A token whose user holds every staff role: each operation is reached past its capability check."""
    user = User.objects.create_user("fuzzer")
    for role in Role:
        if role != Role.CUSTOMER:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
    StaffProfile.objects.create(user=user, agent_id="8099", display_name="fuzz")
    return {"Authorization": f"Bearer {ApiToken.issue(user, name='fuzz')[1]}", "Accept-Language": "en"}


schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_the_document_says(case, every_right):
    case.call_and_validate(headers=every_right, checks=CHECKS)
