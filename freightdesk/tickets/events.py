"""Append a line to a ticket's history (append-only): every step, message and rise writes one."""

from django.utils import timezone

from freightdesk.accounts.identity import agent_label

from .models import TicketEvent


def record_event(*, ticket, kind, by=None, text="", before="", after="", changes=None, at=None) -> TicketEvent:
    """Append one line to the ticket's history (append-only)."""
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        by=by,
        by_label=agent_label(by),
        from_status=before,
        to_status=after,
        text=text[:500],
        changes=changes or {},
        at=at or timezone.now(),
    )
