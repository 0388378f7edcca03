"""Background work for surveys: each task loads its row by id and calls a service; safe to run twice."""

from django.conf import settings
from django.db import transaction
from django_tasks import task

from freightdesk.orders.models import Order
from freightdesk.tickets.models import Ticket


@task()
def survey_after_delivery(order_id: int) -> bool:
    """SMS the satisfaction survey for a delivered order (SPEC §10 table 3, "after a delivery"); one per order."""
    from .services import send_order_survey

    order = Order.objects.filter(pk=order_id).first()
    return order is not None and send_order_survey(order=order) is not None


@task()
def survey_after_resolution(ticket_id: int) -> None:
    """Send the satisfaction survey SMS once a ticket is resolved (SPEC §10 table 3)."""
    from .services import send_ticket_survey

    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is not None:
        send_ticket_survey(ticket=ticket)


def on_delivered(order) -> None:
    """Called (through desk) when an order is reported delivered: if the company wants it (settings
    SURVEY_AFTER_DELIVERY), the survey is queued once the delivery is committed — a rolled-back report sends none."""
    if not settings.SURVEY_AFTER_DELIVERY:
        return
    order_id = order.pk
    transaction.on_commit(lambda: survey_after_delivery.enqueue(order_id=order_id))
