"""The approval inbox (SPEC §9, §10): every ticket step that waits for a supervisor or a manager — a complaint's
proposed resolution to approve or send back, an emergency to take over and resolve, a crisis (management's alone) —
with how long it has waited. Which steps those are is read from the tickets' workflow table, not listed here.

Four eyes: who proposed a resolution does not find it in his inbox (he may not approve it; the tickets workflow
refuses him); a proposal above the compensation cap waits for a manager."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.accounts.roles import Role
from freightdesk.tickets.models import PENDING_STATUSES, Severity, Status, Ticket, TicketEvent
from freightdesk.tickets.steps import compensation_cap
from freightdesk.tickets.workflow import TRANSITIONS

COUNT_CAP = 99  # the menu says "99+" beyond


def _supervision_steps() -> list[tuple[str, str]]:
    """(category, status) of every pending ticket whose next steps are all out of an agent's hands."""
    roles: dict[tuple[str, str], list[frozenset]] = {}
    for t in TRANSITIONS:
        if t.source in PENDING_STATUSES:
            roles.setdefault((t.category, t.source), []).append(t.roles)
    return sorted(key for key, held in roles.items() if not any(Role.AGENT in r for r in held))


WAITING = _supervision_steps()


@dataclass(frozen=True)
class InboxRow:
    ticket: Ticket
    kind: str  # approval | emergency | crisis
    waiting_since: datetime
    needs_manager: bool


def _waiting() -> QuerySet[Ticket]:
    """Every ticket waiting on supervision, with when it began to wait and who proposed its resolution. Pending
    tickets only (``queue_due_at`` is set exactly while a ticket is pending: the partial indexes' condition)."""
    entered = TicketEvent.objects.filter(ticket=OuterRef("pk"), to_status=OuterRef("status")).order_by("-at", "-id")
    escalated = TicketEvent.objects.filter(ticket=OuterRef("pk"), kind="escalated").order_by("-at", "-id")
    proposer = TicketEvent.objects.filter(ticket=OuterRef("pk"), kind="transition", to_status=Status.PROPOSED)
    steps = Q(pk__in=[])
    for category, status in WAITING:
        steps |= Q(category=category, status=status)
    return (
        Ticket.objects.filter(steps | Q(severity=Severity.CRISIS), queue_due_at__isnull=False)
        .annotate(
            waiting_since=Coalesce(Subquery(entered.values("at")[:1]), "created_at"),
            crisis_since=Subquery(escalated.values("at")[:1]),
            proposer_id=Subquery(proposer.order_by("-at", "-id").values("by")[:1]),
            crisis_first=Case(
                When(severity=Severity.CRISIS, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        .select_related("handler__profile", "sla_policy")
    )


def inbox_for(user) -> QuerySet[Ticket]:
    """The tickets ``user`` may act on: a manager every one; a supervisor all but crises and proposals above the
    cap; nobody his own proposal. Crises first, then the longest waiting."""
    if not has_capability(user, Capability.SUPERVISE_TICKETS):
        return Ticket.objects.none()
    qs = _waiting().exclude(status=Status.PROPOSED, proposer_id=user.pk)
    if not has_capability(user, Capability.WORK_CRISIS):
        qs = qs.exclude(severity=Severity.CRISIS)
    if not has_capability(user, Capability.APPROVE_RESOLUTION):
        qs = qs.exclude(status=Status.PROPOSED, resolution_amount__gt=compensation_cap())
    return qs.order_by("crisis_first", "waiting_since", "id")


def rows(user, *, limit: int = 100) -> list[InboxRow]:
    cap = compensation_cap()
    out = []
    for ticket in inbox_for(user)[:limit]:
        kind = "crisis" if ticket.severity == Severity.CRISIS else "approval"
        if kind != "crisis" and ticket.status != Status.PROPOSED:
            kind = "emergency"
        since = max(filter(None, (ticket.waiting_since, ticket.crisis_since))) if kind == "crisis" else None
        out.append(
            InboxRow(
                ticket=ticket,
                kind=kind,
                waiting_since=since or ticket.waiting_since,
                needs_manager=ticket.status == Status.PROPOSED and (ticket.resolution_amount or 0) > cap,
            )
        )
    return out


def count_for(user) -> int:
    """How many wait for ``user``, up to COUNT_CAP + 1 (a capped count never walks a long backlog)."""
    return inbox_for(user).order_by()[: COUNT_CAP + 1].count()
