"""Follow-up texts say only what is true (SPEC §7): a routine urge is not "the customer called", an escalation
calls a delivery late only past its deadline and by its real lateness, and the call outcome is never preset."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from freightdesk.followups.models import FollowUp
from freightdesk.tracking import queries, status, urging
from freightdesk.tracking.forms import ActionForm, CallbackForm
from freightdesk.tracking.models import FollowUpAction

from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_routine_urge_does_not_say_the_customer_called(dispatched, agent):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0))
    routine, _c, _p = urging.draft("urge", order=order, agent=agent, now=at(24, 10, 0))
    called, _c, _p = urging.draft("urge", order=order, agent=agent, now=at(24, 10, 0), customer_called=True)
    assert "客已来电" not in routine and routine.startswith(order.serial) and "尚未提货" in routine
    assert "客已来电催提货" in called


def test_an_urge_after_the_customer_called_is_sent_with_the_called_text(dispatched, agent):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0))
    check = FollowUp.objects.get(order=order, kind="pickup_check")
    with time_machine.travel(at(24, 9, 50), tick=False):
        queries.record_query(
            order=order, agent=agent, type="cargo_status", channel="phone", question="提了吗?", answer="正在催"
        )
        assert urging.customer_called_recently(order, at(24, 9, 50))
        text, _c, _p = urging.draft("urge", order=order, agent=agent, customer_called=True)
        action = urging.urge_driver(followup=check, agent=agent, text=text, customer_called=True)
    assert "客已来电催提货" in action.message.text
    assert action.message.template_code == ""  # free-text gateway in tests; the draft went out unedited


def test_the_urge_page_offers_the_called_text_only_when_the_customer_asked(dispatched, agent, client):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0))
    check = FollowUp.objects.get(order=order, kind="pickup_check")
    client.force_login(agent)
    url = reverse("tracking:order", args=[order.serial]) + f"?action=urge&followup={check.pk}"
    with time_machine.travel(at(24, 9, 40), tick=True):
        page = client.get(url).content.decode()
        assert "客已来电" not in page
        queries.record_query(
            order=order, agent=agent, type="cargo_status", channel="phone", question="?", answer="正在催"
        )
        assert "客已来电催提货" in client.get(url).content.decode()
        assert "客已来电" not in client.get(url + "&called=0").content.decode()


def test_an_escalation_before_pickup_never_claims_a_late_delivery(dispatched, agent):
    """The day's finding: a pickup check escalated 24 hours before the delivery deadline said 超过配送时效1小时."""
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0), delivery_deadline=at(25, 12, 0))
    text, _c, _p = urging.draft("escalate", order=order, agent=agent, now=at(24, 12, 0))
    assert "超过配送时效" not in text and "尚未提货" in text


def test_an_escalation_of_a_delivery_not_late_yet_names_its_deadline(dispatched, agent):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0), delivery_deadline=at(24, 16, 0))
        status.report_event(order=order, type="picked_up", source="agent", by=agent, waybill="7551234567")
    text, _c, _p = urging.draft("escalate", order=order, agent=agent, now=at(24, 15, 0))
    assert "超过配送时效" not in text
    assert "7551234567" in text and "11-24 16:00到期" in text


@pytest.mark.parametrize(
    ("late", "said"),
    [
        (timedelta(minutes=40), "40分钟"),
        (timedelta(hours=3), "3小时"),
        (timedelta(hours=3, minutes=1), "3小时1分钟"),
        (timedelta(days=1, hours=2, minutes=30), "1天2小时"),
    ],
)
def test_a_late_delivery_escalation_states_the_real_lateness(dispatched, agent, late, said):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0), delivery_deadline=at(24, 12, 0))
        status.report_event(order=order, type="picked_up", source="agent", by=agent)
    text, _c, _p = urging.draft("escalate", order=order, agent=agent, now=at(24, 12, 0) + late)
    assert f"货物已超过配送时效{said}," in text


def test_the_call_outcome_has_no_default_and_must_be_chosen(dispatched, agent, client):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0))
    check = FollowUp.objects.get(order=order, kind="pickup_check")
    assert not ActionForm({"followup": check.pk, "text": "x"}).is_valid()
    assert not CallbackForm({"followup": check.pk, "note": "x"}).is_valid()
    no_call = ActionForm({"followup": check.pk, "text": "x", "call_outcome": "none"})
    assert no_call.is_valid() and no_call.cleaned_data["call_outcome"] == ""
    client.force_login(agent)
    with time_machine.travel(at(24, 9, 40), tick=True):
        page = client.get(
            reverse("tracking:order", args=[order.serial]) + f"?action=urge&followup={check.pk}"
        ).content.decode()
        options = page.split('name="call_outcome"')[1].split("</select>")[0]
        assert 'value="" selected' in options and options.count("selected") == 1
        response = client.post(
            reverse("tracking:urge", args=[order.serial]), {"followup": check.pk, "text": "261124001速提"}
        )
    assert response.status_code == 302
    assert not FollowUpAction.objects.filter(order=order).exists()
