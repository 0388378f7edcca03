"""Desk pages that span the operational apps: the due-now board, a ticket's urge through tracking, the approval
inbox."""

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required, has_capability
from freightdesk.accounts.identity import agent_id_of
from freightdesk.accounts.models import StaffProfile
from freightdesk.accounts.roles import Role
from freightdesk.core.errors import DomainError
from freightdesk.tickets.views import act_on_ticket

from . import approvals as approval_inbox
from . import board as due_board
from . import board_actions
from .board_rows import board_rows
from .ticket_urge import urge_driver

COUNT_LABELS = {
    "emergencies": gettext_lazy("emergencies and crises"),
    "checks": gettext_lazy("checks"),
    "callbacks": gettext_lazy("callbacks"),
    "reviews": gettext_lazy("reviews"),
    "dispatches": gettext_lazy("dispatches"),
    "missed_calls": gettext_lazy("missed calls"),
    "web_messages": gettext_lazy("website messages"),
    "tickets": gettext_lazy("tickets past deadline"),
    "ticket_callbacks": gettext_lazy("ticket callbacks"),
    "sms_to_phone": gettext_lazy("dispatch SMS to phone"),
}


def _board_scope(request) -> dict:
    """Who sees which rows: a supervisor everyone's (or one agent's, by the filter); an agent his own and the
    rows nobody owns yet. ``kind``: one count's rows."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in due_board.COUNT_KINDS else ""
    if has_capability(request.user, Capability.OVERSEE_DEADLINES):
        agent = request.GET.get("agent", "")
        agents = list(
            StaffProfile.objects.filter(user__groups__name=Role.AGENT, user__is_active=True)
            .exclude(agent_id="")
            .order_by("agent_id")
            .values_list("agent_id", "display_name")
        )
        agent = agent if agent in {a for a, _n in agents} else ""
        return {"kind": kind, "agent": agent or None, "unowned": not agent, "agents": agents, "everyone": True}
    return {"kind": kind, "agent": agent_id_of(request.user), "unowned": True, "agents": [], "everyone": False}


@capability_required(Capability.WATCH_DUE_NOW)
@require_GET
def board(request):
    """The due-now board; htmx polls it for the rows partial (with the same filters)."""
    now = timezone.now()
    scope = _board_scope(request)
    items, counts = due_board.due_now(now, kind=scope["kind"], agent=scope["agent"], unowned=scope["unowned"])
    shown = {k: f"{due_board.COUNT_CAP}+" if n > due_board.COUNT_CAP else n for k, n in counts.items()}
    context = {
        "rows": board_rows(items, now),
        "counts": [(key, COUNT_LABELS[key], shown[key]) for key in due_board.COUNT_KINDS],
        "now": now,
        "query": request.GET.urlencode(),
        **scope,
    }
    template = "desk/board.html#rows" if request.htmx else "desk/board.html"
    return render(request, template, context)


@capability_required(Capability.WATCH_DUE_NOW)
@require_POST
def board_act(request):
    """A row's action done from the board (htmx): the row comes back done, or with why not (nothing written)."""
    kind, ref, action = request.POST.get("kind", ""), request.POST.get("ref", ""), request.POST.get("action", "")
    if not (ref.isascii() and ref.isdigit() and len(ref) <= 18):
        return render(request, "desk/board.html#done", {"error": _("This row is gone: reload the board.")})
    try:
        done = board_actions.act(
            kind=kind, ref=int(ref), action=action, by=request.user, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        return render(request, "desk/board.html#done", {"error": exc.message, "kind": kind, "ref": ref})
    return render(request, "desk/board.html#done", {"done": done, "kind": kind, "ref": ref})


@capability_required(Capability.RECORD_TICKET)
@require_POST
def ticket_urge(request, number: str):
    """A transport complaint's "urge the driver": tracking's urge or escalation, recorded on the ticket."""
    stage = request.POST.get("stage", "pickup")

    def go(ticket):
        sent = urge_driver(ticket=ticket, by=request.user, stage=stage)
        messages.success(request, _("Urged: %(n)d SMS queued.") % {"n": len(sent)})

    return act_on_ticket(request, number, go)


@capability_required(Capability.SUPERVISE_TICKETS)
@require_GET
def approvals(request):
    """The approval inbox: what waits for this supervisor or manager, crises first, then the longest waiting.
    htmx (the tickets queue embeds it, and it refreshes itself) gets the list alone."""
    context = {"rows": approval_inbox.rows(request.user), "now": timezone.now()}
    template = "desk/approvals.html#inbox" if request.htmx else "desk/approvals.html"
    return render(request, template, context)
