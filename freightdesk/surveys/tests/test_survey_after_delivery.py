"""SPEC §10 table 3, "and, configurable, after a delivery": tracking's delivered report queues one survey SMS per
order, after commit; never twice; none when the company switches it off or the report is rolled back."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from freightdesk.dispatch.services import dispatch_order
from freightdesk.messaging.models import Message
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import OrderEvent
from freightdesk.surveys.models import Survey
from freightdesk.surveys.services import send_order_survey
from freightdesk.surveys.tasks import survey_after_delivery
from freightdesk.tracking.status import report_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def picked_up(cleaned_example, agent):
    order = take_order(data=cleaned_example, channel="phone", agent=agent).order
    dispatch_order(order=order, agent=agent)
    report_event(order=order, type="picked_up", source="agent", by=agent)
    return order


def deliver(order, agent):
    return report_event(order=order, type="delivered", source="agent", by=agent, note="收货人签收")


def test_a_delivery_sends_the_shipper_one_survey_after_commit(
    picked_up, agent, settings, django_capture_on_commit_callbacks
):
    settings.SURVEY_AFTER_DELIVERY = True
    with django_capture_on_commit_callbacks() as callbacks:
        deliver(picked_up, agent)
    assert not Survey.objects.exists()  # nothing before the delivery is committed
    survey_after_delivery.call(order_id=picked_up.pk)  # what the queued task runs …
    survey_after_delivery.call(order_id=picked_up.pk)  # … even twice
    survey = Survey.objects.get()
    assert callbacks and survey.order == picked_up and survey.ticket is None and survey.phone == "+8613800138000"
    [sms] = Message.objects.filter(kind="survey")
    assert sms.to == "+8613800138000" and picked_up.serial in sms.text
    assert reverse("surveys:answer", args=[survey.token]) in sms.text
    assert OrderEvent.objects.filter(order=picked_up, kind="survey_sent").count() == 1


def test_the_hook_enqueues_the_survey_task_on_commit(picked_up, agent, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.SURVEY_AFTER_DELIVERY = True
    with django_capture_on_commit_callbacks(execute=True):
        deliver(picked_up, agent)
    assert (
        DBTaskResult.objects.filter(
            task_path__endswith="survey_after_delivery", args_kwargs__kwargs__order_id=picked_up.pk
        ).count()
        == 1
    )


def test_no_survey_when_the_company_switches_it_off(picked_up, agent, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.SURVEY_AFTER_DELIVERY = False
    with django_capture_on_commit_callbacks(execute=True):
        deliver(picked_up, agent)
    assert picked_up.status == "delivered"
    assert not DBTaskResult.objects.filter(task_path__endswith="survey_after_delivery").exists()
    assert not Survey.objects.exists() and not Message.objects.filter(kind="survey").exists()


def test_a_rolled_back_delivery_queues_no_survey(picked_up, agent, settings, django_capture_on_commit_callbacks):
    settings.SURVEY_AFTER_DELIVERY = True
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        deliver(picked_up, agent)
        raise RuntimeError("the caller failed after the report")
    assert callbacks == [] and not Survey.objects.exists()


def test_one_survey_per_order_even_when_two_writers_race(picked_up):
    first = send_order_survey(order=picked_up)
    assert send_order_survey(order=picked_up) == first
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds the rule, not just the code
        Survey.objects.create(order=picked_up, token="second", phone=first.phone, expires_at=first.expires_at)
    assert Survey.objects.filter(order=picked_up).count() == 1
    assert Message.objects.filter(kind="survey").count() == 1


def test_the_delivery_survey_page_names_the_order(client, picked_up):
    survey = send_order_survey(order=picked_up)
    url = reverse("surveys:answer", args=[survey.token])
    assert picked_up.serial in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post(url, {"efficiency": "1", "attitude": "2", "solution": "1", "comment": "送晚了"})
    survey.refresh_from_db()
    assert survey.lowest == 1  # a low delivery score is written on the order's timeline for the desk to see
    assert OrderEvent.objects.filter(order=picked_up, kind="low_satisfaction", text__contains="1/2/1").exists()
