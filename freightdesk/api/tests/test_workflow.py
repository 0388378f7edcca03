"""The order's workflow over the API: review, dispatch, messages, status events, public tracking."""

import json

import pytest
from django.contrib.auth.models import Group

from freightdesk.accounts.models import ApiToken
from freightdesk.orders.forms import OrderForm
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(demo, user_for, example_order_data):
    """Demo data, agent 8011's token and the seed's example order taken on the phone (confirmed)."""
    agent = user_for("agent")
    form = OrderForm({**example_order_data, "channel": "phone"})
    assert form.is_valid(), form.errors
    order = take_order(data=form.cleaned_data, channel="phone", agent=agent).order
    return {"agent": agent, "token": ApiToken.issue(agent)[1], "order": order}


def call(client, method, path, token=None, body=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    return getattr(client, method)(f"/api/v1{path}", HTTP_ACCEPT_LANGUAGE="en", **kwargs, **headers)


def test_dispatch_queues_the_sms_and_a_second_dispatch_is_refused(client, desk):
    serial = desk["order"].serial
    first = call(client, "post", f"/orders/{serial}/dispatch", desk["token"])
    assert first.status_code == 200, first.content
    messages = first.json()["messages"]
    assert messages and all(m["state"] == "queued" and serial in m["text"] for m in messages)
    assert {m["role"] for m in messages} == {"driver", "developer"}
    second = call(client, "post", f"/orders/{serial}/dispatch", desk["token"])
    assert second.status_code == 409
    listed = call(client, "get", f"/messages?order={serial}", desk["token"]).json()
    assert [m["id"] for m in listed if m["role"] != "customer"] == [m["id"] for m in messages]
    assert [m["role"] for m in listed if m["role"] == "customer"] == ["customer"]  # 下单成功提醒


def test_status_events_follow_the_state_machine(client, desk):
    serial = desk["order"].serial
    early = call(client, "post", f"/orders/{serial}/events", desk["token"], {"type": "delivered"})
    assert early.status_code == 409  # not dispatched yet
    call(client, "post", f"/orders/{serial}/dispatch", desk["token"])
    picked = call(client, "post", f"/orders/{serial}/events", desk["token"], {"type": "picked_up"})
    assert picked.status_code == 201 and picked.json()["status"] == "picked_up"
    future = call(
        client,
        "post",
        f"/orders/{serial}/events",
        desk["token"],
        {"type": "delivered", "at": "2099-01-01T00:00:00+08:00"},
    )
    assert future.status_code == 422 and "future" in future.json()["errors"]["at"][0]
    assert Order.objects.get(serial=serial).status == "picked_up"


def test_a_telematics_integration_reports_events_but_cannot_dispatch(client, desk, django_user_model):
    robot = django_user_model.objects.create_user("telematics")
    robot.groups.add(Group.objects.get_or_create(name="integration")[0])
    token = ApiToken.issue(robot)[1]
    serial = desk["order"].serial
    assert call(client, "post", f"/orders/{serial}/dispatch", token).status_code == 403
    call(client, "post", f"/orders/{serial}/dispatch", desk["token"])
    assert call(client, "post", f"/orders/{serial}/events", token, {"type": "picked_up"}).status_code == 201


def test_public_tracking_answers_only_on_a_matching_phone_and_looks_the_same_otherwise(client, desk):
    serial = desk["order"].serial
    ok = call(client, "get", f"/track/{serial}?phone_last4=8000")  # 王先生 13800138000
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"
    assert "王" not in ok.content.decode("unicode_escape") and "13800138000" not in ok.content.decode()
    wrong = call(client, "get", f"/track/{serial}?phone_last4=1234")
    unknown = call(client, "get", "/track/999999999?phone_last4=8000")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_public_tracking_is_rate_limited_per_client_address(client, desk):
    from django.core.cache import cache

    from freightdesk.tracking.ratelimit import TRACK_LIMIT

    cache.clear()
    serial = desk["order"].serial
    codes = [call(client, "get", f"/track/{serial}?phone_last4=0000").status_code for _ in range(TRACK_LIMIT + 1)]
    assert codes[:TRACK_LIMIT] == [404] * TRACK_LIMIT and codes[TRACK_LIMIT] == 429  # the tracking page's limit
    other = call(client, "get", f"/track/{serial}?phone_last4=8000", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    cache.clear()


def test_review_confirms_a_web_order_and_refuses_a_second_outcome(client, desk, example_order_data):
    form = OrderForm({**example_order_data, "channel": "web"})
    assert form.is_valid()
    web = take_order(data=form.cleaned_data, channel="web").order
    assert web.status == "submitted"
    uncalled = call(client, "post", f"/orders/{web.serial}/review", desk["token"], {"outcome": "confirm"})
    assert uncalled.status_code == 409 and uncalled.json()["code"] == "call_required"
    body = {"outcome": "confirm", "call": "answered"}
    confirmed = call(client, "post", f"/orders/{web.serial}/review", desk["token"], body)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["dispatch_due_at"]
    again = call(client, "post", f"/orders/{web.serial}/review", desk["token"], {"outcome": "void", "note": "x"})
    assert again.status_code == 409


def test_a_customer_token_cannot_review_or_dispatch(client, desk, user_for):
    token = ApiToken.issue(user_for("customer"))[1]
    serial = desk["order"].serial
    assert call(client, "post", f"/orders/{serial}/review", token, {"outcome": "confirm"}).status_code == 403
    assert call(client, "post", f"/orders/{serial}/dispatch", token).status_code == 403
