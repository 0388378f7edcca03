"""Walk every page URL for every role: each view is either declared public or guarded by a capability, and
admits exactly the roles the capability table gives it."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from freightdesk.accounts.capabilities import roles_for
from freightdesk.accounts.roles import Role

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("admin/", "api/", "i18n/", "static/", "media/")
ROLES = [
    Role.AGENT,
    Role.SUPERVISOR,
    Role.MANAGER,
    Role.FLEET_MANAGER,
    Role.DRIVER,
    Role.DEVELOPER,
    Role.ADMIN,
    Role.CUSTOMER,
]
SAMPLE = {"int": "999999", "str": "000000000", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000", "path": "x"}


def _walk(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p


def _concrete(pattern: URLPattern, route: str) -> str:
    url = "/" + route
    for name, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__.replace("Converter", "").lower()
        url = url.replace(f"<{kind}:{name}>", SAMPLE.get(kind, "x")).replace(f"<{name}>", "x")
    return url.replace("^", "").replace("$", "")


def page_views():
    return [(route, p) for route, p in _walk(get_resolver().url_patterns) if not route.startswith(SKIP_PREFIXES)]


def allowed_roles(view) -> frozenset[str] | None:
    capability = getattr(view, "capability", None)
    return None if capability is None else roles_for(capability)


def test_every_page_view_is_public_or_names_its_capability():
    unguarded = [
        route
        for route, p in page_views()
        if not getattr(p.callback, "public", False) and getattr(p.callback, "capability", None) is None
    ]
    assert unguarded == []


def test_anonymous_users_are_sent_to_login_from_every_guarded_page(client):
    for route, p in page_views():
        if getattr(p.callback, "public", False):
            continue
        response = client.get(_concrete(p, route))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], route


@pytest.mark.parametrize("role", ROLES)
def test_every_role_is_allowed_exactly_where_the_view_says(client, user_for, role):
    client.force_login(user_for(role))
    for route, p in page_views():
        allowed = allowed_roles(p.callback)
        if allowed is None:
            continue
        status = client.get(_concrete(p, route)).status_code
        if role in allowed:
            assert status != 403, f"{role} refused at {route}"
        else:
            assert status == 403, f"{role} got {status} at {route}"
