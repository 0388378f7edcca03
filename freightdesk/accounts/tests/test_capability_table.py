"""The capability table is the one place that says who may do what: for each capability, one role it names
gets into a page or endpoint the capability guards and one role it does not name gets 403."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from freightdesk.accounts.capabilities import ROLES_FOR, Capability, roles_for
from freightdesk.accounts.models import ApiToken
from freightdesk.accounts.roles import Role
from freightdesk.api.router import api

from .test_role_walk import _concrete, page_views

pytestmark = pytest.mark.django_db

# Tried in this order, so the representative role is the everyday one.
ROLE_ORDER = [
    Role.AGENT,
    Role.SUPERVISOR,
    Role.MANAGER,
    Role.ADMIN,
    Role.CUSTOMER,
    Role.DRIVER,
    Role.FLEET_MANAGER,
    Role.DEVELOPER,
    Role.INTEGRATION,
]
SAMPLE_ARGS = {"{serial}": "999999", "{number}": "C000000000"}

# Capabilities no page or route is guarded by: a service asks for them, and these tests prove the rule.
T = "freightdesk/tickets/tests/test_transition_permissions.py::"
SERVICE_RULES = {
    Capability.TAKE_ORDER: "freightdesk/api/tests/test_create_order.py::test_web_order_by_agent_awaits_review",
    Capability.TAKE_OVER_REVIEW: "freightdesk/orders/tests/test_review.py::test_a_supervisor_may_take_over_a_claimed_review",
    Capability.DECLARE_CRISIS: T + "test_only_supervisors_and_managers_declare_a_crisis",
    Capability.WORK_CRISIS: T + "test_a_crisis_is_locked_to_management",
    Capability.APPROVE_RESOLUTION: T + "test_compensation_above_the_cap_needs_a_manager",
    Capability.SUPERVISE_CALLS: "freightdesk/telephony/tests/test_screen_pop.py::test_another_agents_call_is_not_found",
    Capability.KEEP_CALENDAR: "freightdesk/accounts/tests/test_calendar_warning.py::"
    "test_supervisors_and_admins_are_warned_on_the_home_page_from_november",
}


def api_routes():
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for auth in operation.auth_callbacks:
                    if getattr(auth, "capability", None) is not None:
                        yield auth.capability, operation.methods[0], prefix + path


def representative(capability):
    """("page", url) for the first page the capability guards, else ("api", method, path)."""
    for route, pattern in page_views():
        if getattr(pattern.callback, "capability", None) == capability:
            return "page", _concrete(pattern, route)
    for cap, method, path in api_routes():
        if cap == capability:
            for name, value in SAMPLE_ARGS.items():
                path = path.replace(name, value)
            return "api", method, "/api/v1" + path
    return None


def someone(role, user_for):
    if role == Role.INTEGRATION:
        user = User.objects.create_user(username="cti", password="x-unused-password")
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        return user
    return user_for(role)


def status_for(client, user, where) -> int:
    if where[0] == "page":
        client.force_login(user)
        return client.get(where[1]).status_code
    _kind, method, path = where
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, name='test')[1]}"}
    if method == "GET":
        return client.get(path, **headers).status_code
    return client.post(path, "{}", content_type="application/json", **headers).status_code


def test_every_capability_has_its_roles_and_guards_something():
    assert set(ROLES_FOR) == set(Capability)
    for capability in Capability:
        assert roles_for(capability) <= set(Role.values), capability
        assert representative(capability) or capability in SERVICE_RULES, f"{capability} guards nothing"


def test_the_service_rules_name_their_tests():
    root = Path(__file__).resolve().parents[3]
    for capability, test in SERVICE_RULES.items():
        assert representative(capability) is None, f"{capability} guards a page: test it there"
        test_file, name = test.split("::")
        assert f"def {name}(" in (root / test_file).read_text(encoding="utf-8"), test


@pytest.mark.parametrize("capability", [c for c in Capability if c not in SERVICE_RULES])
def test_a_role_in_the_table_gets_in_and_one_outside_gets_403(client, user_for, capability):
    where = representative(capability)
    allowed = roles_for(capability)
    inside = next(r for r in ROLE_ORDER if r in allowed)
    assert status_for(client, someone(inside, user_for), where) not in (401, 403), f"{inside} refused at {where}"
    outside = next((r for r in ROLE_ORDER if r not in allowed), None)
    if outside is None:  # every role holds it; anonymous visitors still do not
        client.logout()
        assert client.get(where[1]).status_code == 302
        return
    client.logout()
    assert status_for(client, someone(outside, user_for), where) == 403, f"{outside} let in at {where}"
