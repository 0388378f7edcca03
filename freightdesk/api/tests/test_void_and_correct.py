"""Voiding and correcting an order over the API (API.md additions): reasons from the list, `other` needs a note,
after pickup refused with the reason, re-validated and re-quoted, the recipients told, follow-ups closed or moved,
the origin-analysis row kept true; every refusal writes nothing."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from freightdesk.accounts.models import ApiToken
from freightdesk.dispatch.models import DriverLink
from freightdesk.dispatch.services import dispatch_order
from freightdesk.followups.models import FollowUp, FollowUpKind, FollowUpState
from freightdesk.messaging.models import Message
from freightdesk.network.models import Driver
from freightdesk.orders.forms import OrderForm
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Enquiry, EnquiryOutcome, Order, OrderEvent, Status
from freightdesk.tracking.status import report_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(demo, user_for, example_order_data):
    agent = user_for("agent")
    form = OrderForm({**example_order_data, "channel": "phone"})
    assert form.is_valid(), form.errors
    order = take_order(data=form.cleaned_data, channel="phone", agent=agent).order
    return {"agent": agent, "token": ApiToken.issue(agent)[1], "order": order, "user_for": user_for}


def call(client, method, path, token, body=None):
    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    return getattr(client, method)(
        f"/api/v1{path}", HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Bearer {token}", **kwargs
    )


def snapshot(order: Order) -> tuple:
    """Everything a refused void or correction must leave as it was."""
    fresh = Order.objects.get(pk=order.pk)
    return (
        fresh.status,
        fresh.quantity,
        fresh.goods_name,
        fresh.total,
        OrderEvent.objects.filter(order=order).count(),
        Message.objects.filter(order=order).count(),
        FollowUp.objects.filter(order=order, state=FollowUpState.DONE).count(),
        list(Enquiry.objects.filter(order=order).values_list("outcome", "goods_name")),
    )


def dispatch(desk):
    dispatch_order(order=desk["order"], agent=desk["agent"])
    desk["order"].refresh_from_db()


def test_void_a_confirmed_order_with_a_reason_from_the_list(client, desk):
    serial = desk["order"].serial
    answer = call(client, "post", f"/orders/{serial}/void", desk["token"], {"reason": "customer_cancelled"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "void"
    event = OrderEvent.objects.get(order=desk["order"], kind="voided")
    assert event.by == desk["agent"] and event.by_label == "8011"
    timeline = call(client, "get", f"/orders/{serial}/timeline", desk["token"]).json()
    assert any(e["kind"] == "voided" and "Customer cancelled" in e["text"] and e["by"] == "8011" for e in timeline)
    assert Enquiry.objects.get(order=desk["order"]).outcome == EnquiryOutcome.VOIDED
    assert not Message.objects.filter(order=desk["order"], text__contains="作废").exists()  # never dispatched


def test_other_reason_needs_a_note_and_nothing_is_written_without_it(client, desk):
    serial, before = desk["order"].serial, snapshot(desk["order"])
    answer = call(client, "post", f"/orders/{serial}/void", desk["token"], {"reason": "other"})
    assert answer.status_code == 422 and "note" in answer.json()["errors"]
    assert snapshot(desk["order"]) == before
    answer = call(client, "post", f"/orders/{serial}/void", desk["token"], {"reason": "other", "note": "客户改用自提"})
    assert answer.status_code == 200 and answer.json()["status"] == "void"


def test_a_reason_off_the_list_is_refused(client, desk):
    before = snapshot(desk["order"])
    answer = call(client, "post", f"/orders/{desk['order'].serial}/void", desk["token"], {"reason": "unreachable"})
    assert answer.status_code == 422 and "reason" in answer.json()["errors"]
    assert snapshot(desk["order"]) == before


def test_voiding_a_dispatched_order_recalls_it_from_every_recipient_and_closes_its_followups(client, desk):
    dispatch(desk)
    order = desk["order"]
    recipients = set(Message.objects.filter(order=order, kind="dispatch").values_list("to", flat=True))
    assert FollowUp.objects.filter(order=order, closed_at__isnull=True).count() == 2  # pickup and delivery checks
    assert DriverLink.objects.filter(order=order, expires_at__gt=timezone.now()).exists()
    answer = call(client, "post", f"/orders/{order.serial}/void", desk["token"], {"reason": "duplicate"})
    assert answer.status_code == 200, answer.content
    recalls = Message.objects.filter(order=order, text__contains="作废")
    assert {m.to for m in recalls} == recipients and len(recipients) == 2
    assert all(order.serial in m.text and "请勿提货" in m.text for m in recalls)
    listed = call(client, "get", f"/messages?order={order.serial}", desk["token"]).json()
    assert {m["id"] for m in listed} >= {m.pk for m in recalls}
    assert not FollowUp.objects.filter(order=order, closed_at__isnull=True).exists()
    assert set(FollowUp.objects.filter(order=order).values_list("outcome", flat=True)) == {"voided"}
    assert not DriverLink.objects.filter(order=order, expires_at__gt=timezone.now()).exists()  # the link is dead


def test_a_recipient_whose_number_is_no_longer_valid_is_given_to_the_agent_to_call(client, desk):
    dispatch(desk)
    order = desk["order"]
    # the driver's phone was mistyped in master data since (the outbox refuses it)
    Driver.objects.filter(pk=order.driver_id).update(phone="12345")
    Message.objects.filter(order=order, kind="dispatch", recipient_role="driver").update(to="12345")
    answer = call(client, "post", f"/orders/{order.serial}/void", desk["token"], {"reason": "duplicate"})
    assert answer.status_code == 200, answer.content
    recalls = Message.objects.filter(order=order, text__contains="作废")
    assert "12345" not in {m.to for m in recalls} and len(recalls) == 1  # the others were texted
    call_instead = FollowUp.objects.get(order=order, closed_at__isnull=True)
    assert call_instead.kind == FollowUpKind.CALLBACK and call_instead.state == FollowUpState.RAISED
    assert "12345" in call_instead.note and "请勿提货" in call_instead.note
    assert Order.objects.get(pk=order.pk).status == Status.VOID
    client.force_login(desk["agent"])
    board = client.get("/tracking/")
    assert board.status_code == 200 and "12345" in board.content.decode()  # the call to make, on the board


def test_after_pickup_void_and_correct_are_refused_with_the_reason(client, desk):
    dispatch(desk)
    report_event(order=desk["order"], type="picked_up", source="agent", by=desk["agent"])
    order, before = desk["order"], snapshot(desk["order"])
    voided = call(client, "post", f"/orders/{order.serial}/void", desk["token"], {"reason": "customer_cancelled"})
    assert voided.status_code == 409 and "picked up" in voided.json()["detail"]
    corrected = call(client, "patch", f"/orders/{order.serial}", desk["token"], {"goods": {"quantity": 20}})
    assert corrected.status_code == 409 and "picked up" in corrected.json()["detail"]
    assert snapshot(order) == before


def test_a_manager_may_neither_void_nor_correct(client, desk):
    token = ApiToken.issue(desk["user_for"]("manager"))[1]
    before, serial = snapshot(desk["order"]), desk["order"].serial
    assert call(client, "post", f"/orders/{serial}/void", token, {"reason": "duplicate"}).status_code == 403
    assert call(client, "patch", f"/orders/{serial}", token, {"note": "x"}).status_code == 403
    assert snapshot(desk["order"]) == before


def test_correction_is_requoted_and_the_timeline_shows_before_after_and_who(client, desk):
    order = desk["order"]
    old_total = order.total
    answer = call(client, "patch", f"/orders/{order.serial}", desk["token"], {"goods": {"weight_kg": "400"}})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["status"] == "confirmed" and body["goods"]["weight_kg"] == "400.00"
    assert body["quote"]["total"] != f"{old_total:.2f}"
    event = OrderEvent.objects.get(order=order, kind="corrected")
    assert event.by == desk["agent"]
    assert event.changes["before"]["weight_kg"] == "200" and event.changes["after"]["weight_kg"] == "400"
    assert "total" in event.changes["before"]  # the re-quote is a change too
    timeline = call(client, "get", f"/orders/{order.serial}/timeline", desk["token"]).json()
    line = next(e for e in timeline if e["kind"] == "corrected")
    assert "200 → 400" in line["text"] and line["by"] == "8011"


def test_correction_is_revalidated_prohibited_goods_too_and_writes_nothing(client, desk):
    order, before = desk["order"], snapshot(desk["order"])
    answer = call(client, "patch", f"/orders/{order.serial}", desk["token"], {"goods": {"name": "雷管"}})
    assert answer.status_code == 422 and "goods.name" in answer.json()["errors"]
    answer = call(client, "patch", f"/orders/{order.serial}", desk["token"], {"goods": {"quantity": 0}})
    assert answer.status_code == 422
    assert snapshot(order) == before


def test_correcting_a_dispatched_order_texts_the_recipients_and_moves_the_delivery_check(client, desk):
    dispatch(desk)
    order = desk["order"]
    check = FollowUp.objects.get(order=order, kind=FollowUpKind.DELIVERY_CHECK, closed_at__isnull=True)
    new_deadline = timezone.localtime(check.deadline + timedelta(days=2)).replace(microsecond=0)
    answer = call(
        client,
        "patch",
        f"/orders/{order.serial}",
        desk["token"],
        {"goods": {"quantity": 20}, "delivery_deadline": new_deadline.isoformat()},
    )
    assert answer.status_code == 200, answer.content
    texts = list(Message.objects.filter(order=order, text__contains="改单"))
    assert len(texts) == 2 and all(order.serial in m.text and "20" in m.text for m in texts)
    check.refresh_from_db()
    assert check.deadline == new_deadline and check.due_at > new_deadline


def test_correction_updates_the_origin_analysis_row(client, desk):
    order = desk["order"]
    answer = call(client, "patch", f"/orders/{order.serial}", desk["token"], {"goods": {"name": "轮胎"}})
    assert answer.status_code == 200, answer.content
    assert Enquiry.objects.get(order=order).goods_name == "轮胎"


def test_void_in_review_and_a_second_void_is_refused(client, desk, example_order_data):
    form = OrderForm({**example_order_data, "channel": "web"})
    assert form.is_valid()
    web = take_order(data=form.cleaned_data, channel="web").order
    first = call(client, "post", f"/orders/{web.serial}/void", desk["token"], {"reason": "duplicate"})
    assert first.status_code == 200 and Order.objects.get(pk=web.pk).status == Status.VOID
    before = snapshot(web)
    second = call(client, "post", f"/orders/{web.serial}/void", desk["token"], {"reason": "duplicate"})
    assert second.status_code == 409
    assert snapshot(web) == before


def test_corrected_extra_fees_keep_their_kinds_and_replace_every_fee(client, desk):
    order = desk["order"]
    body = {"extra_fees": [{"kind": "pickup", "amount": "30.00"}, {"kind": "delivery", "amount": "20.00"}]}
    answer = call(client, "patch", f"/orders/{order.serial}", desk["token"], body)
    assert answer.status_code == 200, answer.content
    fees = sorted((f.kind, str(f.amount)) for f in Order.objects.get(pk=order.pk).fees.all())
    assert fees == [("delivery", "20.00"), ("pickup", "30.00")]
    assert sorted((f["kind"], f["amount"]) for f in answer.json()["quote"]["fees"]) == [
        ("delivery", "20.00"),
        ("pickup", "30.00"),
    ]
    answer = call(client, "patch", f"/orders/{order.serial}", desk["token"], {"extra_fees": []})
    assert answer.status_code == 200 and not Order.objects.get(pk=order.pk).fees.exists()


def test_a_changed_fee_reads_as_its_name_on_the_timeline_and_in_the_sms(client, desk):
    dispatch(desk)
    order = desk["order"]
    body = {"extra_fees": [{"kind": "loading", "amount": "150.00"}]}
    assert call(client, "patch", f"/orders/{order.serial}", desk["token"], body).status_code == 200
    timeline = call(client, "get", f"/orders/{order.serial}/timeline", desk["token"]).json()
    line = next(e["text"] for e in timeline if e["kind"] == "corrected")
    assert "Loading/unloading fee 150.00" in line and "loading 150" not in line
    sms = Message.objects.filter(order=order, text__contains="改单").first()
    assert "装卸费150.00" in sms.text.replace(" ", "") and "loading" not in sms.text
