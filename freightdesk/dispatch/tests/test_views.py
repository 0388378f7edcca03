"""The dispatch pages: who may use them, what the agent sees before and after pressing dispatch."""

from datetime import timedelta

import pytest
from django.urls import reverse

from freightdesk.dispatch.services import dispatch_order
from freightdesk.messaging.models import Message
from freightdesk.orders.models import Order

from .conftest import make_staff, take

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["dispatch:board", "dispatch:missed", "messaging:failed"])
def test_anonymous_users_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("role", ["driver", "customer", "fleet_manager"])
def test_people_outside_the_desk_get_403(client, world, role, seed_order):
    client.force_login(make_staff(f"u-{role}", role))
    for url in (
        reverse("dispatch:board"),
        reverse("dispatch:order", args=[seed_order.serial]),
        reverse("messaging:failed"),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("dispatch:order", args=[seed_order.serial])).status_code == 403
    assert Order.objects.get(pk=seed_order.pk).status == "confirmed"


def test_an_agent_may_not_see_the_supervisors_missed_page(desk_client):
    assert desk_client.get(reverse("dispatch:missed")).status_code == 403


def test_the_board_lists_confirmed_orders_by_region_with_their_deadline(desk_client, seed_order, desk_agent):
    other = take(desk_agent, pickup_address="火车站", delivery_address="汽配城")
    page = desk_client.get(reverse("dispatch:board"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "北区" in page and "南区" in page
    assert seed_order.serial in page and other.serial in page
    assert page.count('class="countdown" data-due="2') == 2  # an ISO deadline per row for the countdown


def test_the_dispatch_page_shows_exactly_what_will_be_sent_and_its_length(desk_client, seed_order):
    response = desk_client.get(reverse("dispatch:order", args=[seed_order.serial]), HTTP_ACCEPT_LANGUAGE="en")
    plan = response.context["plan"]
    page = response.content.decode()
    assert f"【滴客】{plan.composition.text}" in page
    assert f'<span id="char-count">{plan.composition.length}</span>' in page
    assert "longer than one SMS" in page  # the example with both phone numbers takes two parts
    assert "张师傅" in page and "+8613600136000" in page
    assert not Message.objects.exclude(recipient_role="customer").exists()  # GET writes nothing


def test_a_get_never_dispatches(desk_client, seed_order):
    desk_client.get(reverse("dispatch:order", args=[seed_order.serial]))
    assert Order.objects.get(pk=seed_order.pk).status == "confirmed"


def test_pressing_dispatch_queues_the_sms_and_the_order_page_timeline_shows_it(desk_client, seed_order):
    response = desk_client.post(reverse("dispatch:order", args=[seed_order.serial]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert Order.objects.get(pk=seed_order.pk).status == "dispatched"
    text = Message.objects.filter(order=seed_order).exclude(recipient_role="customer").first().text
    detail = desk_client.get(reverse("orders:detail", args=[seed_order.serial])).content.decode()
    assert text in detail  # the message on the order's timeline
    again = desk_client.post(
        reverse("dispatch:order", args=[seed_order.serial]), HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert "only a confirmed order can be dispatched" in again.content.decode()
    assert (
        Message.objects.exclude(recipient_role="customer").count() == 3
    )  # the dispatch SMS to driver and developer, the driver's link: once


def test_a_region_without_driver_shows_what_to_set_up_instead_of_the_button(desk_client, seed_order, world):
    world["north"].driver = None
    world["north"].save()
    page = desk_client.get(reverse("dispatch:order", args=[seed_order.serial]), HTTP_ACCEPT_LANGUAGE="en")
    assert "has no active driver" in page.content.decode() and page.context["plan"] is None


def test_the_agent_records_the_confirming_call(desk_client, seed_order, desk_agent):
    dispatch_order(order=seed_order, agent=desk_agent)
    desk_client.post(
        reverse("dispatch:call", args=[seed_order.serial]), {"role": "driver", "outcome": "reached", "note": ""}
    )
    page = desk_client.get(reverse("dispatch:order", args=[seed_order.serial])).content.decode()
    assert "+8613700137000" in page
    assert seed_order.dispatch.calls.get().outcome == "reached"
    bad = desk_client.post(reverse("dispatch:call", args=[seed_order.serial]), {"role": "pilot", "outcome": "x"})
    assert bad.status_code == 302 and seed_order.dispatch.calls.count() == 1


def test_the_supervisor_sees_missed_dispatches_per_agent(client, supervisor, seed_order, desk_agent):
    dispatch_order(order=seed_order, agent=desk_agent, now=seed_order.dispatch_due_at + timedelta(minutes=2))
    on_time = take(desk_agent)
    dispatch_order(order=on_time, agent=desk_agent, now=on_time.dispatch_due_at - timedelta(minutes=1))
    client.force_login(supervisor)
    response = client.get(reverse("dispatch:missed"))
    assert response.context["per_agent"] == [{"agent_code": "8011", "missed": 1, "total": 2}]
    assert [d.order.serial for d in response.context["rows"]] == [seed_order.serial]


def test_the_board_refreshes_its_rows_as_an_htmx_partial(desk_client, seed_order):
    response = desk_client.get(reverse("dispatch:board"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert seed_order.serial in page and "<html" not in page
