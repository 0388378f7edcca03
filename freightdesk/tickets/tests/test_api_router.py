"""The tickets Router (mounted by the integrator): create, read, transition with a bearer token."""

import pytest
from ninja.testing import TestClient

from freightdesk.accounts.models import ApiToken
from freightdesk.tickets.api import router

pytestmark = pytest.mark.django_db


def test_create_read_and_move_a_complaint_over_json(agent, late_order):
    _token, raw = ApiToken.issue(agent)
    client = TestClient(router, headers={"Authorization": f"Bearer {raw}"})
    created = client.post("/tickets", json={
        "category": "complaint", "subcategory": "transit_time", "channel": "phone", "order": late_order.serial,
        "customer": {"name": "王先生", "phone": "13800138000"}, "description": "还没来提货", "demand": "尽快"})
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
