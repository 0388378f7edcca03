"""Outbound SMS from the ticket workflow (survey links, emergency paging, urging drivers).

Until messaging's outbox lands, each message is kept as an `OutboundSms` row in the same
transaction as the step that wants it, so nothing is lost; `handed_over_at` stays empty until
messaging takes it. Connect here: call messaging's queue function from `queue_sms` (and set
`handed_over_at`), keeping the row as the ticket's record of what was sent.
"""

from django.utils import timezone

from .models import OutboundSms


def queue_sms(*, to: str, text: str, role: str, purpose: str, ticket=None) -> OutboundSms | None:
    """Record an SMS to send; a recipient without a number is skipped (the caller logs that)."""
    if not to:
        return None
    return OutboundSms.objects.create(
        ticket=ticket, to=to, text=text[:500], role=role, purpose=purpose, created_at=timezone.now()
    )
