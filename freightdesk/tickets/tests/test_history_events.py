"""Order and ticket histories are one kind of row (who, when, what, before -> after) in their own tables."""

from freightdesk.core.models import HistoryEvent
from freightdesk.orders.models import OrderEvent
from freightdesk.tickets.models import TicketEvent

SHARED = {"at", "kind", "by", "by_label", "text", "changes"}


def test_order_and_ticket_histories_record_who_when_what_and_the_change():
    for model in (OrderEvent, TicketEvent):
        assert issubclass(model, HistoryEvent)
        assert {f.name for f in model._meta.get_fields()} >= SHARED
        assert model._meta.ordering == ["at", "id"]


def test_each_history_keeps_its_own_table():
    assert (OrderEvent._meta.db_table, TicketEvent._meta.db_table) == ("orders_orderevent", "tickets_ticketevent")
