"""Bearer tokens: no token or a bad one -> 401; a token without the right -> 403 (API.md conventions)."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from freightdesk.accounts.bearer import user_for_token
from freightdesk.accounts.models import ApiToken
from freightdesk.accounts.roles import roles_of
from freightdesk.orders.models import Order

from .conftest import example_order, make_user, token_for

ENDPOINTS = [
    ("post", "/orders"),
    ("get", "/orders"),
    ("get", "/orders/261123001"),
    ("get", "/orders/261123001/timeline"),
    ("get", "/regions"),
]


def _call(api, method, path):
    return api.post(path, example_order()) if method == "post" else api.get(path)


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_no_token_is_401_with_a_bearer_challenge(api, method, path):
    response = _call(api.as_(token=""), method, path)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "header",
    ["Bearer fd_not-a-real-token", "Bearer ", "Basic d2FuZzpwYXNz", "fd_token-without-scheme", "Bearer " + "x" * 5000],
)
def test_bad_token_is_401_and_nothing_is_created(api, client, header):
    response = client.post(
        "/api/v1/orders", example_order(), content_type="application/json", HTTP_AUTHORIZATION=header
    )

    assert response.status_code == 401
    assert Order.objects.count() == 0


def test_revoked_token_is_401(api, agent):
    ApiToken.objects.filter(user=agent).update(revoked_at=timezone.now())

    assert api.get("/orders").status_code == 401


def test_token_of_a_deactivated_user_is_401(api, agent):
    agent.is_active = False
    agent.save()

    assert api.get("/orders").status_code == 401


def test_401_message_follows_accept_language(api):
    zh = api.as_(token="", lang="zh-hans").get("/orders").json()["detail"]
    en = api.as_(token="", lang="en").get("/orders").json()["detail"]

    assert en == "Send a valid API token: Authorization: Bearer <token>."
    assert zh  # translated by the locale pass; never empty


@pytest.mark.parametrize("role", ["driver", "fleet_manager", "developer", "integration"])
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_roles_without_order_rights_are_403(api, role, method, path):
    token = token_for(make_user(f"someone-{role}", role))

    response = _call(api.as_(token=token), method, path)

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Order.objects.count() == 0


def test_user_without_any_role_is_403(api):
    assert api.as_(token=token_for(make_user("nobody"))).get("/regions").status_code == 403


def test_customer_role_without_an_account_is_403(api):
    token = token_for(make_user("half-set-up", "customer"))

    assert api.as_(token=token).get("/orders").status_code == 403
    assert api.as_(token=token).post("/orders", example_order()).status_code == 403


def test_manager_reads_orders_but_cannot_take_them(api):
    token = token_for(make_user("chief", "manager"))

    assert api.as_(token=token).get("/orders").status_code == 200
    assert api.as_(token=token).post("/orders", example_order()).status_code == 403


def test_issue_token_prints_a_token_that_works(api, agent, capsys):
    call_command("issue_token", agent.username, name="website")
    raw = capsys.readouterr().out.strip()

    assert api.as_(token=raw).get("/regions").status_code == 200


def test_token_user_and_roles_are_read_in_one_statement(db):
    both = make_user("both", "agent", "supervisor")
    admin = User.objects.create_superuser(username="root", password="x-unused-password")
    for user, expected in [(both, {"agent", "supervisor"}), (make_user("none"), set()), (admin, {"admin"})]:
        raw = token_for(user)
        with CaptureQueriesContext(connection) as queries:
            found = user_for_token(raw)
            roles = roles_of(found)

        assert (found.pk, set(roles)) == (user.pk, expected)
        assert len(queries) == 1
