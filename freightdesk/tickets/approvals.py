"""Who may approve a proposed resolution (SPEC §9): never who proposed it (four eyes), and a manager when the
amount is above the configured cap."""

from django.utils.translation import gettext as _

from .models import Status, Ticket, TicketEvent
from .steps import compensation_cap


def proposer_id(ticket: Ticket) -> int | None:
    """Who proposed the resolution now waiting (the latest step into "proposed"): four eyes, he may not approve it
    (SPEC §9: the supervisor approves the handler's proposal)."""
    return (
        TicketEvent.objects.filter(ticket=ticket, kind="transition", to_status=Status.PROPOSED)
        .order_by("-at", "-id")
        .values_list("by", flat=True)
        .first()
    )


def needs_manager(ticket: Ticket) -> str:
    """Why a proposed amount waits for a manager (above the configured cap), or "" when a supervisor may approve."""
    amount = ticket.resolution_amount
    if amount is None or amount <= compensation_cap():
        return ""
    return _("%(amount)s yuan is above the cap of %(cap)s: a manager must approve.") % {
        "amount": amount,
        "cap": compensation_cap(),
    }
