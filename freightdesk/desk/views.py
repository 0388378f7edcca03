"""Desk pages that span the operational apps: the due-now board, a ticket's urge through tracking."""

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required
from freightdesk.tickets.views import act_on_ticket

from . import board as due_board
from .ticket_urge import urge_driver


@capability_required(Capability.WATCH_DUE_NOW)
@require_GET
def board(request):
    """The due-now board; htmx polls it for the rows partial."""
    now = timezone.now()
    items, counts = due_board.due_now(now)
    counts = {k: f"{due_board.COUNT_CAP}+" if n > due_board.COUNT_CAP else n for k, n in counts.items()}
    template = "desk/board.html#rows" if request.htmx else "desk/board.html"
    return render(request, template, {"items": items, "counts": counts, "now": now})


@capability_required(Capability.RECORD_TICKET)
@require_POST
def ticket_urge(request, number: str):
    """A transport complaint's "urge the driver": tracking's urge or escalation, recorded on the ticket."""
    stage = request.POST.get("stage", "pickup")

    def go(ticket):
        sent = urge_driver(ticket=ticket, by=request.user, stage=stage)
        messages.success(request, _("Urged: %(n)d SMS queued.") % {"n": len(sent)})

    return act_on_ticket(request, number, go)
