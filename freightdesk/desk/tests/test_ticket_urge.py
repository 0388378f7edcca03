"""A transport complaint urges through tracking's follow-up actions (SPEC §9 via §7), one action per press."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from freightdesk.core.errors import DomainError
from freightdesk.desk.ticket_urge import urge_driver
from freightdesk.dispatch.services import dispatch_order
from freightdesk.followups.models import FollowUp
from freightdesk.messaging.models import Message
from freightdesk.tickets.services import open_ticket
from freightdesk.tracking.models import FollowUpAction
from freightdesk.tracking.status import report_event

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(day, hh, mm):
    return datetime(2026, 11, day, hh, mm, tzinfo=SH)


def complaint(order, agent):
    return open_ticket(
        by=agent,
        category="complaint",
        subcategory="transit_time",
        channel="phone",
        order=order,
        description="货还没到",
        demand="尽快",
    )


def test_a_late_delivery_escalates_to_the_fleet_manager_and_copies_the_driver(late_order, agent, time_machine):
    dispatch_order(order=late_order, agent=agent, now=at(23, 14, 0))
    time_machine.move_to(at(23, 14, 20), tick=False)
    report_event(order=late_order, type="picked_up", source="agent", by=agent)
    time_machine.move_to(at(24, 16, 0), tick=False)
    ticket = complaint(late_order, agent)
    sent = urge_driver(ticket=ticket, by=agent, stage="delivery")
    assert [m.recipient_role for m in sent] == ["fleet_manager", "driver"]
    assert sent[0].text == sent[1].text and "超过配送时效" in sent[0].text and sent[0].text.endswith("8011")
    assert FollowUpAction.objects.get(order=late_order).kind == "escalate"


def test_nothing_to_urge_before_dispatch_or_after_pickup(late_order, agent):
    ticket = complaint(late_order, agent)
    with pytest.raises(DomainError) as err:
        urge_driver(ticket=ticket, by=agent)
    assert err.value.code == "no_open_check" and late_order.serial in err.value.message
    dispatch_order(order=late_order, agent=agent)
    report_event(order=late_order, type="picked_up", source="agent", by=agent)
    with pytest.raises(DomainError):
        urge_driver(ticket=ticket, by=agent)
    assert not Message.objects.filter(kind="urge").exists() and not ticket.events.filter(kind="urged").exists()


def test_each_urge_closes_its_check_and_the_next_urge_goes_on_the_recheck(late_order, agent, user_for):
    dispatch_order(order=late_order, agent=agent)
    ticket = complaint(late_order, agent)
    first = urge_driver(ticket=ticket, by=agent)
    again = urge_driver(ticket=ticket, by=user_for("supervisor"))  # on the re-check the first urge scheduled
    assert len(first) == len(again) == 2 and {m.pk for m in first}.isdisjoint(m.pk for m in again)
    assert FollowUp.objects.filter(order=late_order, kind="pickup_check", state="done").count() == 2


def test_the_urge_button_refuses_with_the_reason(agent_client, late_order, agent):
    ticket = complaint(late_order, agent)
    response = agent_client.post(
        reverse("desk:ticket_urge", args=[ticket.number]), {"stage": "pickup"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409 and "has no pickup to urge" in response.content.decode()
    dispatch_order(order=late_order, agent=agent)
    response = agent_client.post(reverse("desk:ticket_urge", args=[ticket.number]), {"stage": "pickup"})
    assert response.status_code == 302 and Message.objects.filter(kind="urge").count() == 2
