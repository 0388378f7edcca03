"""Customers' queries on an order (客户查询, SPEC §8) and the callbacks promised on them: recorded on the order
whatever the result; a promised callback is a follow-up on the due-now board until it is made."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.errors import DomainError
from freightdesk.followups.models import FollowUp, FollowUpKind
from freightdesk.followups.services import claim, schedule
from freightdesk.orders.models import Order
from freightdesk.orders.timeline import add_event

from .models import ActionKind, CallOutcome, FollowUpAction, Query, QueryChannel, QueryType


def complete_callback(*, followup: FollowUp, agent, note: str, call_outcome: str = "", now=None):
    """The promised callback was made (SPEC §8; 004 §三(三)6: call back before the promised time)."""
    now = now or timezone.now()
    note = (note or "").strip()[:200]
    if followup.kind != FollowUpKind.CALLBACK:
        raise DomainError("not_a_callback", _("This follow-up is not a promised callback."))
    if not note:
        raise DomainError("note_required", _("Write what the customer was told."), field="note")
    if call_outcome not in CallOutcome.values or not call_outcome:
        raise DomainError("bad_outcome", _("Choose the outcome of the call."), field="call_outcome")
    with transaction.atomic():
        claim(followup=followup, by=agent, outcome=ActionKind.CALLBACK, now=now)
        action = FollowUpAction.objects.create(
            followup=followup,
            order=followup.order,
            kind=ActionKind.CALLBACK,
            at=now,
            by=agent,
            call_outcome=call_outcome,
            note=note,
        )
        params = {"outcome": call_outcome, "late": now > followup.due_at, "note": note}
        add_event(
            order=followup.order,
            kind="callback",
            by=agent,
            params=params,
            changes={"followup": followup.pk},
            at=now,
        )
    return action


def _validate_query(*, type: str, channel: str, answer: str, callback_at, now) -> None:
    errors = {}
    if type not in QueryType.values:
        errors["type"] = _("Choose the type of query.")
    if channel not in QueryChannel.values:
        errors["channel"] = _("Choose where the query came from.")
    if callback_at is None and not (answer or "").strip():
        errors["answer"] = _("Write the answer given, or promise a callback time.")
    if callback_at is not None and callback_at <= now:
        errors["callback_at"] = _("A callback is promised for a time in the future.")
    if errors:
        raise ValidationError(errors)


def _record_on_timeline(order: Order, query: Query, agent, now) -> None:
    params = {
        "type": query.type,
        "channel": query.channel,
        "question": query.question,
        "answer": query.answer,
        "callback_by": query.callback_at.isoformat() if query.callback_at else "",
    }
    add_event(
        order=order,
        kind="query",
        by=agent,
        params=params,
        changes={"query": query.pk},
        at=now,
    )


def record_query(
    *, order: Order, agent, type: str, channel: str, question: str = "", answer: str = "", callback_at=None, now=None
) -> Query:
    """Record a customer's query on the order (客户查询, SPEC §8), whatever the result: answered on the spot,
    or a callback promised for a time — which puts it on the due-now board until it is made."""
    now = now or timezone.now()
    _validate_query(type=type, channel=channel, answer=answer, callback_at=callback_at, now=now)
    with transaction.atomic():
        query = Query.objects.create(
            order=order,
            type=type,
            channel=channel,
            question=(question or "").strip()[:300],
            answer=(answer or "").strip()[:300],
            on_the_spot=callback_at is None,
            callback_at=callback_at,
            at=now,
            by=agent,
        )
        if callback_at:
            schedule(
                kind=FollowUpKind.CALLBACK,
                order=order,
                subject=query,
                due_at=callback_at,
                deadline=callback_at,
                note=query.question,
                created_by=agent,
                now=now,
            )
        _record_on_timeline(order, query, agent, now)
    return query
