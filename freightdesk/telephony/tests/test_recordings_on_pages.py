"""SPEC §2 (录音): a call's recording plays from the page of the order or ticket it was linked to, even
when the platform sends the recording after the agent linked the call."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from freightdesk.telephony.ingest import ingest_event
from freightdesk.telephony.services import link_call

from .factories import T0, ev

pytestmark = pytest.mark.django_db
WAV = "https://pbx.example.com/monitor/c9.wav"


@pytest.fixture
def linked(cleaned_example, agent):
    """An answered call about the example order, linked after hangup; its recording is not in yet."""
    from freightdesk.orders.intake import take_order

    with time_machine.travel(T0 - timedelta(hours=1), tick=False):
        order = take_order(data=cleaned_example, channel="phone", agent=agent).order
    with time_machine.travel(T0 + timedelta(seconds=130), tick=False):
        for payload in (
            ev("ringing", "c9", 0, direction="in", agent="8011", **{"from": "13800138000", "to": "4008001234"}),
            ev("answered", "c9", 5, agent="8011"),
            ev("hangup", "c9", 125, cause="normal"),
        ):
            call = ingest_event(payload=payload).call
        link_call(call=call, agent=agent, order=order)
    return order


def test_a_recording_sent_after_the_link_plays_from_the_order_page(linked, agent_client):
    page = agent_client.get(reverse("orders:detail", args=[linked.serial])).content.decode()
    assert 'id="linked-calls"' in page and "相关通话" in page and "无录音" in page and "13800138000" in page
    assert "<audio" not in page
    with time_machine.travel(T0 + timedelta(minutes=4), tick=False):
        ingest_event(payload=ev("recording", "c9", 200, url=WAV))
    page = agent_client.get(reverse("orders:detail", args=[linked.serial])).content.decode()
    assert f'<audio controls preload="none" src="{WAV}">' in page


def test_the_recording_plays_from_the_ticket_the_call_was_about(cleaned_example, agent, agent_client):
    from freightdesk.tickets.models import Ticket

    with time_machine.travel(T0, tick=False):
        for payload in (
            ev("ringing", "c8", 0, direction="in", agent="8011", **{"from": "13800138000", "to": "4008001234"}),
            ev("answered", "c8", 5, agent="8011"),
            ev("hangup", "c8", 65, cause="normal"),
            ev("recording", "c8", 70, url=WAV),
        ):
            call = ingest_event(payload=payload).call
    response = agent_client.post(
        reverse("tickets:new"),
        {"kind": "inquiry:other", "channel": "phone", "customer_phone": "13800138000", "description": "问运价"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    ticket = Ticket.objects.get()
    link_call(call=call, agent=agent, ticket=ticket)
    page = agent_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert f'src="{WAV}"' in page and 'data-call="c8"' in page
