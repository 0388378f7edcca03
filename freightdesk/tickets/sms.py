"""Outbound SMS from the ticket workflow (survey links, emergency and crisis paging, breach escalations;
urging a driver goes through tracking's actions instead).

Each message is a row of messaging's transactional outbox, written in the same transaction as the step that
wants it (the worker sends it after commit) and listed on the ticket (``Ticket.messages``). A number the outbox
refuses is logged and skipped, so the step itself still completes.
"""

import logging

from django.conf import settings

from freightdesk.core.errors import DomainError
from freightdesk.messaging.models import Message
from freightdesk.messaging.services import Outgoing, queue_message

logger = logging.getLogger(__name__)


def queue_sms(*, to: str, text: str, role: str, kind: str, ticket=None, order=None) -> Message | None:
    """Queue an SMS of ``kind`` (a ``MessageKind``) in the outbox, on the ticket's list when there is one; a
    recipient without a number, or one the outbox refuses, is skipped (and logged)."""
    if not to:
        return None
    try:
        message = queue_message(
            outgoing=Outgoing(to=to, text=text, signature=settings.SMS_SIGNATURE, role=role),
            kind=kind,
            order=order or getattr(ticket, "order", None),
        )
    except DomainError as exc:
        logger.warning(
            "%s SMS to %s for ticket %s not queued: %s", kind, to, getattr(ticket, "number", "-"), exc.message
        )
        return None
    if ticket is not None:
        ticket.messages.add(message)
    return message
