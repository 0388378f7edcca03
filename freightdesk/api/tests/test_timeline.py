"""GET /api/v1/orders/{serial}/timeline: every event, oldest first, as at/kind/by/text in the reader's language."""

import time_machine

from freightdesk.orders.models import Order
from freightdesk.orders.timeline import add_event

from .conftest import example_order


@time_machine.travel("2026-11-23T09:15:00+08:00", tick=False)
def test_timeline_starts_with_taken_by_the_agent_id(api):
    serial = api.post("/orders", example_order()).json()["serial"]

    response = api.as_(lang="en").get(f"/orders/{serial}/timeline")

    assert response.status_code == 200
    taken, texted = response.json()
    assert taken == {"at": "2026-11-23T09:15:00+08:00", "kind": "taken", "by": "8011", "text": "taken by 8011"}
    assert texted["kind"] == "sms_queued" and serial in texted["text"]  # the customer's 下单成功提醒


def test_timeline_is_oldest_first(api):
    with time_machine.travel("2026-11-23T09:15:00+08:00", tick=False):
        serial = api.post("/orders", example_order()).json()["serial"]
    order = Order.objects.get(serial=serial)
    with time_machine.travel("2026-11-23T09:17:00+08:00", tick=False):
        add_event(
            order=order,
            kind="status",
            text="status confirmed → dispatched",
            by_label="8011",
            params={"before": "confirmed", "after": "dispatched"},
        )

    entries = api.as_(lang="en").get(f"/orders/{serial}/timeline").json()

    assert [e["kind"] for e in entries] == ["taken", "sms_queued", "status"]
    assert entries[2]["at"] == "2026-11-23T09:17:00+08:00"
    assert entries[2]["text"] == "status Confirmed → Dispatched"  # status words in the reader's language


def test_timeline_of_unknown_order_is_404(api):
    assert api.get("/orders/000000000/timeline").status_code == 404
