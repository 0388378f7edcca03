"""Outbound SMS from the ticket workflow (survey links, emergency and crisis paging, breach escalations;
urging a driver goes through tracking's actions instead).

Each message is kept as an `OutboundSms` row (the ticket's record of what was sent) and handed
to messaging's transactional outbox in the same transaction as the step that wants it; the
worker sends it after commit. A number the outbox refuses stays recorded, not handed over,
and is logged, so the step itself still completes.
"""

import logging

from django.conf import settings
from django.utils import timezone

from freightdesk.core.errors import DomainError
from freightdesk.messaging.models import MessageKind
from freightdesk.messaging.services import Outgoing, queue_message

from .models import OutboundSms

logger = logging.getLogger(__name__)


def queue_sms(*, to: str, text: str, role: str, purpose: str, ticket=None, order=None) -> OutboundSms | None:
    """Record an SMS and queue it in the outbox; a recipient without a number is skipped (the caller logs that)."""
    if not to:
        return None
    now = timezone.now()
    row = OutboundSms.objects.create(ticket=ticket, to=to, text=text[:500], role=role, purpose=purpose, created_at=now)
    try:
        queue_message(
            outgoing=Outgoing(to=to, text=text, signature=settings.SMS_SIGNATURE, role=role),
            kind=MessageKind.OTHER,
            order=order or getattr(ticket, "order", None),
            key=f"ticket-sms-{row.pk}",
            now=now,
        )
    except DomainError as exc:
        logger.warning("ticket SMS %s to %s not queued: %s", row.pk, to, exc.message)
        return row
    OutboundSms.objects.filter(pk=row.pk).update(handed_over_at=now)
    row.handed_over_at = now
    return row
