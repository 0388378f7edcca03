"""Who may see and do what on the tracking pages (SPEC §1): the desk works follow-ups; others are refused."""

import pytest
import time_machine
from django.urls import reverse

from freightdesk.followups.models import FollowUp

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(dispatched):
    with time_machine.travel(at(24, 10, 0), tick=False):
        return dispatched(at(24, 10, 0))


@pytest.mark.parametrize("role", ["driver", "customer", "fleet_manager", "developer", "manager"])
def test_only_the_desk_sees_the_board_and_works_an_order(client, user_for, order, role):
    client.force_login(user_for(role))
    assert client.get(reverse("desk:board")).status_code == 403
    check = FollowUp.objects.get(order=order, kind="pickup_check")
    for name, data in [
        ("urge", {"followup": check.pk, "text": "x"}),
        ("escalate", {"followup": check.pk, "text": "x"}),
        ("report", {"type": "picked_up"}),
        ("query", {"type": "other", "channel": "phone"}),
    ]:
        assert client.post(reverse(f"tracking:{name}", args=[order.serial]), data).status_code == 403
    assert order.status_events.count() == 0 and order.messages.filter(kind="urge").count() == 0


def test_anonymous_visitors_are_sent_to_login_but_may_track(client, order):
    assert client.get(reverse("desk:board")).status_code == 302
    assert client.post(reverse("tracking:report", args=[order.serial]), {"type": "picked_up"}).status_code == 302
    assert client.get(reverse("tracking:track")).status_code == 200


def test_state_changes_only_on_post(agent_client, order):
    assert agent_client.get(reverse("tracking:report", args=[order.serial]), {"type": "picked_up"}).status_code == 405
    assert order.status_events.count() == 0


def test_an_agent_reports_on_the_phone_s_behalf(agent_client, order):
    with time_machine.travel(at(24, 10, 30), tick=False):
        agent_client.post(reverse("tracking:report", args=[order.serial]), {"type": "picked_up", "note": "司机来电"})
    event = order.status_events.get()
    assert (event.type, event.source, event.by_label) == ("picked_up", "agent", "8011")
