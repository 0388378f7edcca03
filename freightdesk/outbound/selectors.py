"""Named reads of outbound work: the agent's queue (due items in working hours), an item for its agent, the script
for a list kind, and the supervisor's progress per list and per agent (counted in SQL)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.followups.models import FollowUpKind
from freightdesk.knowledge.models import Phrase
from freightdesk.knowledge.selectors import STAGE_ORDER

from .models import CallItem, CallList, ItemState, Outcome
from .seeds import category_of

QUEUE_LIMIT = 50


def _open_due():
    return Q(
        followups__kind=FollowUpKind.OUTBOUND_CALL,
        followups__closed_at__isnull=True,
    )


def agent_queue(agent, now: datetime) -> QuerySet[CallItem]:
    """The agent's items due now, longest waiting first (a retry keeps its own time)."""
    return (
        CallItem.objects.filter(_open_due(), agent=agent, state=ItemState.OPEN, followups__due_at__lte=now)
        .annotate(due_at=Min("followups__due_at"))
        .select_related("call_list", "customer", "ticket")
        .order_by("due_at", "id")
    )


def agent_later(agent, now: datetime) -> QuerySet[CallItem]:
    """The agent's items waiting for a later attempt."""
    return (
        CallItem.objects.filter(_open_due(), agent=agent, state=ItemState.OPEN, followups__due_at__gt=now)
        .annotate(due_at=Min("followups__due_at"))
        .select_related("call_list")
        .order_by("due_at", "id")
    )


def agent_skipped(agent) -> QuerySet[CallItem]:
    return CallItem.objects.filter(agent=agent, state=ItemState.SKIPPED).select_related("call_list").order_by("-id")


def access_item_for(user, pk: int) -> CallItem:
    """The item if this user works it (its agent) or plans outbound work (a supervisor); else 404."""
    items = CallItem.objects.select_related("call_list", "customer", "ticket", "agent")
    if not has_capability(user, Capability.PLAN_OUTBOUND):
        items = items.filter(agent=user)
    item = items.filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def due_at_of(item: CallItem):
    followup = item.followups.filter(kind=FollowUpKind.OUTBOUND_CALL, closed_at__isnull=True).first()
    return followup.due_at if followup else None


def script_for(kind: str) -> list[Phrase]:
    """The list kind's standard phrases (knowledge), in call-stage order."""
    phrases = list(Phrase.objects.filter(category=category_of(kind), active=True))
    return sorted(phrases, key=lambda p: (STAGE_ORDER.get(p.stage, 99), p.position, p.pk))


def _counts(prefix: str = "") -> dict:
    state, outcome = f"{prefix}state", f"{prefix}outcome"
    counts = {
        "total": Count("pk" if not prefix else f"{prefix}pk"),
        "open": Count("pk" if not prefix else f"{prefix}pk", filter=Q(**{state: ItemState.OPEN})),
        "done": Count("pk" if not prefix else f"{prefix}pk", filter=Q(**{state: ItemState.DONE})),
        "skipped": Count("pk" if not prefix else f"{prefix}pk", filter=Q(**{state: ItemState.SKIPPED})),
    }
    for value in Outcome.values:
        counts[value] = Count("pk" if not prefix else f"{prefix}pk", filter=Q(**{outcome: value}))
    return counts


def lists_overview() -> list[dict]:
    """Every list with its progress and outcomes, newest first."""
    lists = CallList.objects.select_related("created_by").annotate(**_counts("items__")).order_by("-created_at", "-id")
    return list(lists[:200])


def progress_by_agent(call_list: CallList | None = None) -> list[dict]:
    """Per agent: items assigned, still to call, done, skipped, and each outcome (of one list, or of all)."""
    items = CallItem.objects.filter(agent__isnull=False)
    if call_list is not None:
        items = items.filter(call_list=call_list)
    return list(
        items.values("agent__username", "agent__profile__agent_id").annotate(**_counts()).order_by("agent__username")
    )


def needing_supervisor(call_list: CallList) -> QuerySet[CallItem]:
    return call_list.items.filter(needs_supervisor=True).select_related("ticket", "agent")
