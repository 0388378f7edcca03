"""SPEC §2: the ringing agent sees who is calling — customer by any form of his number, his orders, his
tickets — and after the call links it in one click; only desk roles see the pop."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from freightdesk.customers.models import Customer, CustomerPhone
from freightdesk.telephony import callbacks
from freightdesk.telephony.ingest import ingest_event
from freightdesk.telephony.models import Call
from freightdesk.telephony.selectors import access_call_for
from freightdesk.telephony.services import block_number

from .factories import T0, ev


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(T0 + timedelta(seconds=30), tick=False):
        yield


def ring(caller, call_id="c1", agent="8011"):
    return ingest_event(
        payload=ev("ringing", call_id, 0, direction="in", agent=agent, **{"from": caller, "to": "4008001234"})
    ).call


@pytest.fixture
def wang(demo):
    c = Customer.objects.create(name="王先生")
    CustomerPhone.objects.create(customer=c, number="+8613800138000")
    return c


@pytest.mark.django_db
@pytest.mark.parametrize("caller", ["13800138000", "+8613800138000", "8613800138000", "013800138000", "138 0013 8000"])
def test_mobile_in_any_written_form_matches_the_customer(wang, caller):
    assert ring(caller).customer == wang


@pytest.mark.django_db
@pytest.mark.parametrize("caller", ["02188887777", "021-88887777", "88887777", "+862188887777"])
def test_landline_with_or_without_area_code_matches(demo, caller):
    call = ring(caller)
    assert call.customer.name == "华东汽配公司"


@pytest.mark.django_db
def test_400_number_matches_a_company_that_calls_from_it(demo):
    c = Customer.objects.create(name="大客户")
    CustomerPhone.objects.create(customer=c, number="+864008001234")
    assert ring("400-800-1234").customer == c


@pytest.mark.django_db
def test_a_number_with_several_names_pops_one_customer_with_its_contacts(wang, agent_client):
    from freightdesk.customers.services import remember_customer

    remember_customer(name="王先生", phone="+8613800138000")
    remember_customer(name="王太太", phone="+8613800138000")
    call = ring("13800138000")
    assert call.customer == wang and call.match_count == 1
    page = agent_client.get(reverse("telephony:pop")).content.decode()
    assert page.count('class="cti-customer"') == 1 and "王先生" in page
    assert page.count('class="cti-contact"') == 2 and "王太太" in page
    assert "/choose/" not in page


@pytest.mark.django_db
def test_pop_shows_the_callers_orders_and_answers_204_while_nothing_changes(wang, agent_client, cleaned_example, agent):
    from freightdesk.orders.intake import take_order

    order = take_order(data=cleaned_example, channel="phone", agent=agent).order
    call = ring("13800138000")
    r = agent_client.get(reverse("telephony:pop"))
    page = r.content.decode()
    assert r.status_code == 200 and "王先生" in page and order.serial in page
    assert "shipper_phone=%2B8613800138000" in page
    version = page.split("?v=", 1)[1].split('"', 1)[0]
    assert agent_client.get(reverse("telephony:pop"), {"v": version}).status_code == 204
    ingest_event(payload=ev("answered", call.call_id, 5, agent="8011"))
    assert agent_client.get(reverse("telephony:pop"), {"v": version}).status_code == 200


@pytest.mark.django_db
def test_unknown_number_offers_to_create_the_customer(demo, agent_client):
    call = ring("13911112222")
    assert 'name="name"' in agent_client.get(reverse("telephony:pop")).content.decode()
    agent_client.post(reverse("telephony:act", args=[call.pk, "create"]), {"name": "李小姐"})
    assert Call.objects.get(pk=call.pk).customer.name == "李小姐"
    assert Customer.objects.get(name="李小姐").phones.get().number == "+8613911112222"


@pytest.mark.django_db
def test_after_hangup_the_agent_links_the_call_to_the_order_in_one_click(wang, agent_client, cleaned_example, agent):
    from freightdesk.orders.intake import take_order

    with time_machine.travel(T0 - timedelta(hours=1), tick=False):
        order = take_order(data=cleaned_example, channel="phone", agent=agent).order
    call = ring("13800138000")
    for payload in (ev("answered", "c1", 3, agent="8011"), ev("hangup", "c1", 20, cause="normal")):
        ingest_event(payload=payload)
    call.refresh_from_db()
    assert call.order is None  # the order was saved before the call, so it did not link itself
    r = agent_client.post(reverse("telephony:act", args=[call.pk, "link"]), {"order": order.serial})
    assert r.status_code == 200
    assert Call.objects.get(pk=call.pk).order == order
    line = order.events.get(kind="call")
    assert line.by == agent and line.by_label == "8011"  # the timeline names who linked it by his agent id


@pytest.mark.django_db
def test_order_saved_during_the_call_links_itself(wang, cleaned_example, agent):
    from freightdesk.orders.intake import take_order

    ring("13800138000")
    ingest_event(payload=ev("answered", "c1", 3, agent="8011"))
    order = take_order(data=cleaned_example, channel="phone", agent=agent).order
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
        call = ingest_event(payload=ev("hangup", "c1", 120, cause="normal")).call
    assert call.order == order


@pytest.mark.django_db
def test_blocked_caller_is_logged_but_gets_no_callback(wang, agent):
    block_number(number="13800138000", by=agent, reason="无聊电话")
    ring("13800138000", "b1")
    call = ingest_event(payload=ev("hangup", "b1", 20, cause="cancelled")).call
    assert call.blocked and callbacks.due_at(call) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"), [("agent", 200), ("supervisor", 200), ("manager", 403), ("customer", 403), ("driver", 403)]
)
def test_only_agents_and_supervisors_poll_the_pop(client, user_for, role, status):
    client.force_login(user_for(role))
    assert client.get(reverse("telephony:pop")).status_code == status


@pytest.mark.django_db
def test_another_agents_call_is_not_found(wang, user_for):
    from django.http import Http404

    call = ring("13800138000")
    with pytest.raises(Http404):
        access_call_for(user_for("customer"), call.pk)
    other = user_for("agent").__class__.objects.get(username="8012")
    with pytest.raises(Http404):
        access_call_for(other, call.pk)
    assert access_call_for(user_for("supervisor"), call.pk) == call


@pytest.mark.django_db
def test_call_actions_are_post_only(wang, agent_client):
    call = ring("13800138000")
    assert agent_client.get(reverse("telephony:act", args=[call.pk, "link"])).status_code == 405
