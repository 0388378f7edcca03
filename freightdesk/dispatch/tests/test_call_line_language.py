"""QA sweep regression: the confirming call's line on the order timeline was stored half and half
("已电话通知 张师傅 (driver): …"); it now keeps the facts and reads wholly in the reader's language."""

import pytest
from django.utils import translation

from freightdesk.dispatch.services import dispatch_order, record_call
from freightdesk.orders.models import OrderEvent
from freightdesk.orders.timeline import event_text

pytestmark = pytest.mark.django_db


def test_the_confirming_call_reads_in_the_readers_language(seed_order, desk_agent):
    dispatch_order(order=seed_order, agent=desk_agent)
    record_call(order=seed_order, agent=desk_agent, role="driver", outcome="reached", note="14点到")
    event = OrderEvent.objects.get(order=seed_order, kind="dispatch_call")
    with translation.override("zh-hans"):
        assert event_text(event) == "已电话通知 张师傅（司机）：已接通并确认 — 14点到"
    with translation.override("en"):
        assert event_text(event) == "phoned 张师傅 (Driver) about the dispatch: Reached, confirmed — 14点到"
    assert event.text == "已电话通知 张师傅（司机）：已接通并确认 — 14点到"


def test_a_line_written_before_keeps_its_text(seed_order):
    old = OrderEvent.objects.create(
        order=seed_order,
        kind="dispatch_call",
        text="已电话通知 张师傅 (driver): 已接通并确认",
        changes={"params": {"name": "张师傅", "role": "driver", "outcome": "已接通并确认", "note": ""}},
    )
    with translation.override("en"):
        assert event_text(old) == "已电话通知 张师傅 (driver): 已接通并确认"
