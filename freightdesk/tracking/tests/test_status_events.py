"""Status reports and the state machine (SPEC §7; API POST /orders/{serial}/events): who, when, from where;
impossible, out-of-order and future reports are refused and change nothing."""

from datetime import timedelta

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from freightdesk.core.errors import DomainError
from freightdesk.followups.models import FollowUp, FollowUpState
from freightdesk.orders.models import Order, OrderEvent
from freightdesk.tracking import status
from freightdesk.tracking.models import Shipment, Source, StatusEvent

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(dispatched):
    with time_machine.travel(at(24, 10, 0), tick=False):
        return dispatched(at(24, 10, 0))


def report(order, type, when, **kw):
    with time_machine.travel(when, tick=False):
        return status.report_event(order=order, type=type, at=when, source=kw.pop("source", Source.API), **kw)


def test_each_report_records_who_when_and_from_where_and_moves_the_status(order, agent):
    report(order, "picked_up", at(24, 10, 20), by=agent, source=Source.AGENT)
    report(order, "in_transit", at(24, 11, 0))
    report(order, "delivered", at(24, 13, 0), by_label="刘师傅", source=Source.DRIVER_LINK)
    assert Order.objects.get(pk=order.pk).status == "delivered"
    rows = list(StatusEvent.objects.filter(order=order).values_list("type", "source", "by_label"))
    assert rows == [("picked_up", "agent", "8011"), ("in_transit", "api", ""), ("delivered", "driver_link", "刘师傅")]
    shipment = Shipment.objects.get(order=order)
    assert shipment.picked_up_at == at(24, 10, 20) and shipment.delivered_at == at(24, 13, 0)
    assert list(OrderEvent.objects.filter(order=order, kind="status").values_list("changes__status", flat=True))[
        1:
    ] == [["dispatched", "picked_up"], ["picked_up", "in_transit"], ["in_transit", "delivered"]]


@pytest.mark.parametrize(
    "first, then",
    [
        (None, "delivered"),  # delivered without pickup
        (None, "in_transit"),
        ("picked_up", "picked_up"),  # reported twice
    ],
)
def test_impossible_transitions_are_refused_with_the_reason_and_change_nothing(order, first, then):
    if first:
        report(order, first, at(24, 10, 30))
    before = (Order.objects.get(pk=order.pk).status, StatusEvent.objects.count(), OrderEvent.objects.count())
    with pytest.raises(DomainError) as refused:
        report(order, then, at(24, 11, 0))
    assert refused.value.code == "impossible_transition" and refused.value.http_status == 409
    assert order.serial in refused.value.message
    assert (Order.objects.get(pk=order.pk).status, StatusEvent.objects.count(), OrderEvent.objects.count()) == before


def test_a_report_dated_before_the_last_event_is_out_of_order(order):
    report(order, "picked_up", at(24, 12, 0))
    with pytest.raises(DomainError) as refused:
        report(order, "delivered", at(24, 11, 0))
    assert refused.value.code == "out_of_order"
    assert Order.objects.get(pk=order.pk).status == "picked_up"


def test_a_report_before_the_dispatch_is_out_of_order(order):
    with pytest.raises(DomainError) as refused:
        report(order, "picked_up", at(24, 9, 0))
    assert refused.value.code == "out_of_order"


def test_a_report_from_the_future_is_refused_beyond_five_minutes_logged_and_changes_nothing(order, caplog):
    with time_machine.travel(at(24, 11, 0), tick=False):
        status.report_event(order=order, type="picked_up", at=at(24, 11, 4), source=Source.API)  # phone clock
    before = (StatusEvent.objects.count(), OrderEvent.objects.count(), Order.objects.get(pk=order.pk).status)
    with time_machine.travel(at(24, 11, 10), tick=False), pytest.raises(DomainError) as refused:
        status.report_event(order=order, type="in_transit", at=at(24, 11, 10) + timedelta(minutes=6), source=Source.API)
    assert refused.value.code == "event_in_future" and refused.value.field == "at"
    assert (StatusEvent.objects.count(), OrderEvent.objects.count(), Order.objects.get(pk=order.pk).status) == before
    assert f"status report refused (event_in_future): order {order.serial}" in caplog.text


def test_an_exception_needs_a_reason_keeps_the_status_and_goes_on_the_board(order):
    with pytest.raises(DomainError) as refused:
        report(order, "exception", at(24, 10, 30), note="  ")
    assert refused.value.code == "reason_required"
    report(order, "exception", at(24, 10, 30), note="车辆故障")
    assert Order.objects.get(pk=order.pk).status == "dispatched"
    assert FollowUp.objects.get(order=order, kind="exception").state == FollowUpState.RAISED
    assert Shipment.objects.get(order=order).exception == "车辆故障"
    assert OrderEvent.objects.filter(order=order, kind="exception", text__contains="车辆故障").exists()


def test_an_order_not_yet_dispatched_cannot_be_reported(take):
    with time_machine.travel(at(24, 10, 0), tick=False):
        order = take(at(24, 10, 0))
        with pytest.raises(DomainError):
            status.report_event(order=order, type="picked_up", source=Source.API)
    assert Order.objects.get(pk=order.pk).status == "confirmed"


def test_pickup_moves_the_delivery_check_to_the_route_transit_time_and_enqueues_its_task(
    order, django_capture_on_commit_callbacks
):
    check = FollowUp.objects.get(order=order, kind="delivery_check")
    assert check.deadline == at(25, 10, 0)  # no customer deadline: dispatch + 24 h standard transit time
    with django_capture_on_commit_callbacks(execute=True):
        report(order, "picked_up", at(24, 14, 0))
    check.refresh_from_db()
    assert check.deadline == at(25, 14, 0) and check.due_at == at(25, 15, 0)
    assert DBTaskResult.objects.filter(task_path__endswith="run_followup", run_after=at(25, 15, 0)).exists()


def test_a_telematics_event_for_an_unknown_serial_is_refused_like_any_unknown_order_and_changes_nothing(
    client, order, django_user_model
):
    from django.contrib.auth.models import Group

    from freightdesk.accounts.models import ApiToken

    robot = django_user_model.objects.create_user("telematics")
    robot.groups.add(Group.objects.get_or_create(name="integration")[0])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(robot)[1]}", "HTTP_ACCEPT_LANGUAGE": "en"}
    before = (StatusEvent.objects.count(), OrderEvent.objects.count())
    with time_machine.travel(at(24, 10, 30), tick=False):
        unknown = client.post(
            "/api/v1/orders/999999999/events", data={"type": "picked_up"}, content_type="application/json", **headers
        )
        known = client.post(
            f"/api/v1/orders/{order.serial}/events",
            data={"type": "delivered"},
            content_type="application/json",
            **headers,
        )  # impossible: not picked up yet
    assert unknown.status_code == 404
    assert known.status_code == 409 and "cannot be reported" in known.json()["detail"]
    assert (StatusEvent.objects.count(), OrderEvent.objects.count()) == before
    assert Order.objects.get(pk=order.pk).status == "dispatched"
