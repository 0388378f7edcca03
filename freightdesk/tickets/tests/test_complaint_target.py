"""What a complaint is about (投诉对象, API.md additions): given by the desk or the API, else from the order — a
transit-time complaint is about the driver who picks the order up, any other complaint about the company."""

import pytest
from django.urls import reverse
from ninja.testing import TestClient

from freightdesk.accounts.models import ApiToken
from freightdesk.core.errors import DomainError
from freightdesk.network.models import Driver
from freightdesk.tickets.api import router
from freightdesk.tickets.models import Ticket
from freightdesk.tickets.services import open_ticket
from freightdesk.tickets.targets import TargetIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned_driver(late_order):
    """The fleet manager sent 张师傅 (what the assignment stores on the order)."""
    driver = Driver.objects.create(name="张师傅", phone="+8613900004444", code="zhang")
    late_order.driver = driver
    late_order.save(update_fields=["driver"])
    return driver


def _complaint(agent, order, subcategory="transit_time", target=None, category="complaint"):
    return open_ticket(
        by=agent,
        category=category,
        subcategory=subcategory,
        channel="phone",
        description="还没来提货",
        order=order,
        target=target,
    )


def test_a_transit_time_complaint_is_about_the_driver_who_picks_up(agent, late_order, assigned_driver):
    ticket = _complaint(agent, late_order)
    assert (ticket.target_kind, ticket.driver) == ("driver", assigned_driver)


def test_before_dispatch_it_is_about_the_pickup_regions_driver(agent, late_order):
    ticket = _complaint(agent, late_order)
    assert (ticket.target_kind, ticket.driver) == ("driver", late_order.pickup_region.driver)


def test_any_other_complaint_is_about_the_company_unless_the_desk_says(agent, late_order, assigned_driver):
    ticket = _complaint(agent, late_order, subcategory="attitude")
    assert ticket.target_kind == "company" and ticket.driver == assigned_driver  # the order's driver stays linked


def test_a_complaint_about_an_agent_names_him_by_agent_id(agent, user_for, late_order):
    other = user_for("agent").__class__.objects.get(username="8012")
    ticket = _complaint(agent, late_order, subcategory="attitude", target=TargetIn(kind="agent", agent="8012"))
    assert (ticket.target_kind, ticket.agent) == ("agent", other)


def test_a_suggestion_has_no_target(agent, late_order):
    ticket = _complaint(agent, late_order, category="suggestion", subcategory="general")
    assert ticket.target_kind == ""


@pytest.mark.parametrize(
    "target, field",
    [
        (TargetIn(kind="driver", driver="nobody"), "target_driver"),
        (TargetIn(kind="agent", agent="9999"), "target_agent"),
        (TargetIn(kind="company", driver="zhang"), "target_driver"),
        (TargetIn(kind="someone"), "target_kind"),
    ],
)
def test_a_bad_target_is_refused_under_its_field_and_nothing_is_written(
    agent, late_order, assigned_driver, target, field
):
    with pytest.raises(DomainError) as refused:
        _complaint(agent, late_order, target=target)
    assert refused.value.field == field
    assert not Ticket.objects.exists()


def test_a_suggestion_with_a_target_is_refused(agent, late_order):
    with pytest.raises(DomainError) as refused:
        _complaint(agent, late_order, category="suggestion", subcategory="general", target=TargetIn(kind="driver"))
    assert refused.value.field == "target_kind" and not Ticket.objects.exists()


def test_over_the_api_the_target_goes_in_by_code_and_comes_back(agent, late_order, assigned_driver):
    _token, raw = ApiToken.issue(agent)
    client = TestClient(router, headers={"Authorization": f"Bearer {raw}"})
    body = {"category": "complaint", "subcategory": "attitude", "order": late_order.serial, "description": "态度差"}
    created = client.post("/tickets", json={**body, "target": {"kind": "driver", "driver": "zhang"}})
    assert created.status_code == 201, created.content
    assert created.json()["target"] == {"kind": "driver", "driver": "zhang", "agent": None}
    about_agent = client.post("/tickets", json={**body, "target": {"kind": "agent", "agent": "8011"}}).json()
    assert client.get(f"/tickets/{about_agent['number']}").json()["target"] == {
        "kind": "agent",
        "driver": None,
        "agent": "8011",
    }
    defaulted = client.post("/tickets", json={**body, "subcategory": "transit_time"}).json()
    assert defaulted["target"] == {"kind": "driver", "driver": "zhang", "agent": None}


def test_over_the_api_an_unknown_driver_is_422_and_nothing_is_written(client, agent, late_order):
    _token, raw = ApiToken.issue(agent)
    response = client.post(
        "/api/v1/tickets",
        {
            "category": "complaint",
            "subcategory": "transit_time",
            "order": late_order.serial,
            "description": "还没来提货",
            "target": {"kind": "driver", "driver": "nobody"},
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422, response.content
    assert "No driver with code nobody" in response.content.decode() and not Ticket.objects.exists()


def test_the_desks_form_records_the_target(client, agent, late_order, assigned_driver):
    client.force_login(agent)
    response = client.post(
        reverse("tickets:new"),
        {
            "kind": "complaint:attitude",
            "channel": "phone",
            "order": late_order.serial,
            "description": "司机态度差",
            "target_kind": "driver",
            "target_driver": "zhang",
        },
    )
    assert response.status_code == 302, response.content
    ticket = Ticket.objects.get()
    assert (ticket.target_kind, ticket.driver) == ("driver", assigned_driver)
    page = client.get(reverse("tickets:detail", args=[ticket.number]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "投诉对象" in page.content.decode() and "张师傅 (zhang)" in page.content.decode()
