"""The tickets Router (mounted by the integrator): create, read, transition with a bearer token."""

import pytest
from ninja.testing import TestClient

from freightdesk.accounts.models import ApiToken
from freightdesk.tickets.api import router
from freightdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_create_read_and_move_a_complaint_over_json(agent, late_order):
    _token, raw = ApiToken.issue(agent)
    client = TestClient(router, headers={"Authorization": f"Bearer {raw}"})
    created = client.post(
        "/tickets",
        json={
            "category": "complaint",
            "subcategory": "transit_time",
            "channel": "phone",
            "order": late_order.serial,
            "customer": {"name": "王先生", "phone": "13800138000"},
            "description": "还没来提货",
            "demand": "尽快",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["number"].startswith("C2026") and body["status"] == "recorded" and body["severity"] == "class1"
    assert body["owner"] == "agent" and body["due_at"].endswith("+08:00")
    assert "validated" in body["allowed_transitions"]
    assert client.get(f"/tickets/{body['number']}").json()["order"] == late_order.serial
    moved = client.post(f"/tickets/{body['number']}/transition", json={"to": "validated"})
    assert moved.status_code == 200 and moved.json()["status"] == "validated"


def test_no_token_is_refused(demo):
    assert TestClient(router).get("/tickets/C202611001").status_code == 401


def _bearer(user) -> dict:
    _token, raw = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en"}


def test_over_the_api_a_step_from_the_wrong_status_is_409_with_the_reason(client, new_ticket, agent):
    ticket = new_ticket()
    response = client.post(
        f"/api/v1/tickets/{ticket.number}/transition",
        {"to": "closed"},
        content_type="application/json",
        **_bearer(agent),
    )
    assert response.status_code == 409 and "cannot go from" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "recorded" and ticket.events.count() == 1


def test_over_the_api_a_step_not_for_the_role_is_403_with_the_reason(client, new_ticket, agent):
    ticket = new_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(status="proposed", resolution_kind="apology")
    response = client.post(
        f"/api/v1/tickets/{ticket.number}/transition",
        {"to": "approved"},
        content_type="application/json",
        **_bearer(agent),
    )
    assert response.status_code == 403 and "Only " in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "proposed" and ticket.approved_by is None


@pytest.mark.parametrize("role", ["customer", "driver", "fleet_manager", "developer"])
def test_over_the_api_roles_outside_the_desk_cannot_move_tickets(client, new_ticket, user_for, role):
    ticket = new_ticket()
    response = client.post(
        f"/api/v1/tickets/{ticket.number}/transition",
        {"to": "validated"},
        content_type="application/json",
        **_bearer(user_for(role)),
    )
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == "recorded"


@pytest.mark.parametrize(
    ("amount", "message"), [("-5", "cannot be negative"), ("12.345", "two decimals"), ("lots", "amount in yuan")]
)
def test_over_the_api_a_bad_amount_is_422_on_the_field_and_nothing_is_written(
    client, new_ticket, agent, amount, message
):
    ticket = new_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(status="investigated")
    response = client.post(
        f"/api/v1/tickets/{ticket.number}/transition",
        {"to": "proposed", "resolution_kind": "compensation", "resolution_amount": amount, "resolution_note": "赔偿"},
        content_type="application/json",
        **_bearer(agent),
    )
    assert response.status_code == 422
    assert message in response.json()["errors"]["resolution_amount"][0]
    ticket.refresh_from_db()
    assert ticket.status == "investigated" and ticket.resolution_amount is None


def test_over_the_api_an_amount_above_the_cap_waits_for_a_manager(client, new_ticket, user_for, settings):
    settings.FREIGHTDESK = {**settings.FREIGHTDESK, "COMPENSATION_CAP": "300"}
    ticket = new_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(
        status="proposed", resolution_kind="compensation", resolution_amount="300.01"
    )
    url = f"/api/v1/tickets/{ticket.number}/transition"
    refused = client.post(url, {"to": "approved"}, content_type="application/json", **_bearer(user_for("supervisor")))
    assert refused.status_code == 403 and "a manager must approve" in refused.content.decode()
    approved = client.post(url, {"to": "approved"}, content_type="application/json", **_bearer(user_for("manager")))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
