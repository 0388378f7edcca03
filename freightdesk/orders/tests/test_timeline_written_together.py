"""Taking an order writes its first timeline line and its SMS's line in one insert (`timeline.written_together`):
the lines come out as if each had been inserted at once, in the order they were added, or not at all."""

import pytest
from django.db import transaction

from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Channel, OrderEvent
from freightdesk.orders.timeline import add_event, written_together


def _texts(order) -> list[str]:
    return list(OrderEvent.objects.filter(order=order).order_by("id").values_list("text", flat=True))


def test_lines_written_together_are_inserted_in_their_order_as_the_block_ends(cleaned_example, agent):
    order = take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent).order
    before = _texts(order)

    with written_together():
        add_event(order=order, kind="status", text="one", by_label="system")
        add_event(order=order, kind="status", text="two", by_label="system")
        assert _texts(order) == before

    assert _texts(order) == [*before, "one", "two"]


def test_an_error_inside_drops_the_lines_and_outside_a_line_is_inserted_at_once(cleaned_example, agent):
    order = take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent).order
    before = _texts(order)

    with pytest.raises(RuntimeError), transaction.atomic(), written_together():
        add_event(order=order, kind="status", text="lost", by_label="system")
        raise RuntimeError("the step failed")
    add_event(order=order, kind="status", text="kept", by_label="system")

    assert _texts(order) == [*before, "kept"]


def test_a_phone_orders_first_line_comes_before_its_sms_line(cleaned_example, agent):
    order = take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent).order
    kinds = list(OrderEvent.objects.filter(order=order).order_by("id").values_list("kind", flat=True))
    assert kinds == ["taken", "sms_queued"]
