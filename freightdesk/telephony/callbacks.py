"""The callback a missed call is owed (回电, SPEC §10): a missed or abandoned inbound call is called back before the
"callback" policy's deadline. The promise is a follow-up (``followups.FollowUp``, kind ``missed_call``, about the
call) like every other promised contact; this module opens it when the call's events show it was missed, closes
it when a later event shows it was answered after all, when an answered outbound call reaches the number, when an
agent marks it done, or when the number is blocked as a nuisance caller.

Calls are re-projected from their events as events arrive (in any order); a promise is opened once per call, and
one that was kept is never opened again."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core import worktime
from freightdesk.core.errors import DomainError
from freightdesk.followups.models import OPEN_FOLLOWUP, FollowUp, FollowUpKind, FollowUpState
from freightdesk.followups.services import claim, schedule_all

from .models import Call, CallState, Direction

KIND = FollowUpKind.MISSED_CALL


def _call_type() -> ContentType:
    return ContentType.objects.get_for_model(Call)


def _promises(call_ids) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(kind=KIND, subject_type=_call_type(), subject_id__in=call_ids)


def _open_promises(call_ids) -> QuerySet[FollowUp]:
    return _promises(call_ids).filter(state__in=OPEN_FOLLOWUP)


def is_owed(call: Call) -> bool:
    """A missed or abandoned inbound call from a number we can call, not a nuisance caller."""
    return (
        call.direction == Direction.IN
        and call.state == CallState.ENDED
        and call.answered_at is None
        and not call.blocked
        and bool(call.customer_number)
    )


def sync(calls: list[Call], now: datetime) -> None:
    """After the calls' projection is saved: open the promise of every newly missed call, close the open promise
    of a call a late event shows answered (or blocked). Two queries for the batch, plus the new rows."""
    if not calls:
        return
    by_id = {call.pk: call for call in calls}
    promised = {}
    for followup in _promises(by_id):
        promised.setdefault(followup.subject_id, []).append(followup)
    plans, settled = [], []
    for pk, call in by_id.items():
        rows = promised.get(pk, [])
        if is_owed(call) and not rows:
            due = worktime.deadline_for("callback", call.ended_at)
            plans.append({"kind": KIND, "due_at": due, "deadline": due, "subject": call, "order": call.order})
        elif not is_owed(call):
            settled += [f.pk for f in rows if f.state in OPEN_FOLLOWUP]
    if plans:
        schedule_all(plans=plans, now=now)
    if settled:
        FollowUp.objects.filter(pk__in=settled, state__in=OPEN_FOLLOWUP).update(
            state=FollowUpState.DONE, outcome="not_needed", closed_at=now
        )


def close_by_outbound(call: Call) -> None:
    """An answered outbound call to a number with pending callbacks is that callback (logged like any call)."""
    if call.direction != Direction.OUT or call.answered_at is None or not call.customer_number:
        return
    missed = Call.objects.filter(customer_number=call.customer_number, ended_at__lte=call.answered_at).exclude(
        pk=call.pk
    )
    _open_promises(missed.values("pk")).update(
        state=FollowUpState.DONE, outcome="called_back", closed_at=call.answered_at, note=f"call {call.call_id}"[:200]
    )


def close_for_number(number: str, *, outcome: str, now: datetime) -> int:
    """Drop the pending callbacks of a number (a nuisance caller blocked)."""
    calls = Call.objects.filter(customer_number=number).values("pk")
    return _open_promises(calls).update(state=FollowUpState.DONE, outcome=outcome, closed_at=now)


def mark_done(*, call: Call, by, now: datetime | None = None) -> FollowUp:
    """The agent called the missed caller back (or reached him another way)."""
    followup = _open_promises([call.pk]).first()
    if followup is None:
        raise DomainError("no_callback", _("This call has no pending callback."))
    claim(followup=followup, by=by, outcome="called_back", now=now or timezone.now())
    return followup


def owed_calls(now: datetime) -> QuerySet[Call]:
    """Missed and abandoned inbound calls still to be called back, most urgent first (the due-now board, the call
    pop-up). Each row has ``callback_due_at`` (the promise's deadline), ``customer_number``, ``customer`` and
    ``overdue`` (deadline passed at ``now``). The open promises are one range scan of the follow-ups' partial index
    (kind, due time); the calls are read by primary key."""
    promises = FollowUp.objects.filter(kind=KIND, closed_at__isnull=True, subject_type=_call_type())
    due = promises.filter(subject_id=OuterRef("pk")).order_by("due_at").values("due_at")[:1]
    return (
        Call.objects.filter(pk__in=promises.values("subject_id"))
        .annotate(callback_due_at=Subquery(due))
        .select_related("customer")
        .annotate(overdue=Q(callback_due_at__lte=now))
        .order_by("callback_due_at", "id")
    )


def pending(call: Call) -> FollowUp | None:
    """The call's open promise, if it has one."""
    return _open_promises([call.pk]).first()


def due_at(call: Call) -> datetime | None:
    followup = pending(call)
    return followup.due_at if followup else None
