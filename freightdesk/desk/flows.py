"""Flows from one operational app's step to another's work, wired here so that neither knows the other:
a delivered order gets its satisfaction survey, a resolved ticket gets its survey (SPEC §10 table 3)."""

from django.db import transaction

from freightdesk.surveys.tasks import on_delivered, survey_after_resolution
from freightdesk.tickets.signals import ticket_resolved
from freightdesk.tracking.signals import order_delivered


def survey_after_delivery(sender, *, order, **kwargs) -> None:
    on_delivered(order)  # queued after commit, if the company wants it (SURVEY_AFTER_DELIVERY)


def survey_after_ticket(sender, *, ticket, **kwargs) -> None:
    if ticket.customer_phone:
        ticket_id = ticket.pk
        transaction.on_commit(lambda: survey_after_resolution.enqueue(ticket_id=ticket_id))


def connect() -> None:
    order_delivered.connect(survey_after_delivery, dispatch_uid="desk.survey_after_delivery")
    ticket_resolved.connect(survey_after_ticket, dispatch_uid="desk.survey_after_ticket")
