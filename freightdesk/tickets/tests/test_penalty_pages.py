"""The ticket page and the API: the penalty step shows what it proposes and pre-fills the shares, the API takes
them; the desk records that the customer asks for management, and the rise reads on the history."""

import pytest
from django.urls import reverse

from freightdesk.accounts.models import ApiToken
from freightdesk.tickets.models import DepartmentHead, Penalty, Ticket

from .test_penalties import approved

pytestmark = pytest.mark.django_db


def test_the_penalty_step_proposes_and_prefills_the_shares(client, new_ticket, agent, supervisor, manager):
    DepartmentHead.objects.create(department="transport", user=manager)
    ticket = approved(new_ticket(), agent, supervisor, amount="300", department_at_fault=True)
    client.force_login(agent)
    page = client.get(reverse("tickets:detail", args=[ticket.number]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert 'id="penalty-proposals"' in html and "建议扣罚" in html
    assert 'name="penalty_percent" inputmode="numeric" value="5"' in html
    assert 'name="head_penalty_percent" inputmode="numeric" value="1"' in html


def test_the_desk_records_a_request_for_management_from_the_page(client, new_ticket, agent):
    ticket = new_ticket()
    client.force_login(agent)
    url = reverse("tickets:asks_management", args=[ticket.number])
    response = client.post(url, {"note": "客户要求经理回电"})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).severity == "class2"
    page = client.get(reverse("tickets:detail", args=[ticket.number]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "严重程度上升" in page.content.decode()


def test_an_empty_request_for_management_is_refused_on_the_page_and_nothing_changes(client, new_ticket, agent):
    ticket = new_ticket()
    client.force_login(agent)
    response = client.post(reverse("tickets:asks_management", args=[ticket.number]), {"note": ""})
    assert response.status_code == 422
    assert Ticket.objects.get(pk=ticket.pk).severity == "class1"
    assert not ticket.events.filter(kind__in=["asks_management", "severity_raised"]).exists()


def test_a_get_changes_nothing(client, new_ticket, agent):
    ticket = new_ticket()
    client.force_login(agent)
    assert client.get(reverse("tickets:asks_management", args=[ticket.number])).status_code == 405


def _post(client, ticket, token, body):
    return client.post(
        f"/api/v1/tickets/{ticket.number}/transition",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_api_refuses_a_missing_penalty_with_422_and_writes_nothing(client, new_ticket, agent, supervisor):
    ticket = approved(new_ticket(), agent, supervisor)
    token = ApiToken.issue(agent)[1]
    response = _post(client, ticket, token, {"to": "resolved", "customer_notified_via": "call", "feedback": "好"})
    assert response.status_code == 422 and "penalty_percent" in response.json()["errors"]
    assert Ticket.objects.get(pk=ticket.pk).status == "approved" and not Penalty.objects.exists()


def test_the_api_charges_the_shares_it_is_given(client, new_ticket, agent, supervisor, manager):
    DepartmentHead.objects.create(department="transport", user=manager)
    ticket = approved(new_ticket(), agent, supervisor, department_at_fault=True)
    token = ApiToken.issue(agent)[1]
    body = {"to": "resolved", "customer_notified_via": "sms", "feedback": "好", "penalty_percent": 3}
    response = _post(client, ticket, token, {**body, "head_penalty_percent": 1})
    assert response.status_code == 200, response.content
    outcome = response.json()["outcome"]
    assert {(p["kind"], p["percent"]) for p in outcome["penalties"]} == {("responsible", 3), ("department_head", 1)}
