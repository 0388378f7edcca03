"""The follow-up scheduler (SPEC §7, §8, §10): schedule a follow-up with its deferred task, move or close the open
one, claim it for the person acting, run it when it falls due, and the safety sweep for tasks that were lost."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.errors import DomainError

from .models import OPEN_FOLLOWUP, FollowUp, FollowUpState
from .registry import handler_for

SWEEP_BATCH = 500


def enqueue(followups) -> None:
    """One on-commit callback enqueues a deferred task per scheduled follow-up, to run at its due time."""
    plan = [(f.pk, f.due_at) for f in followups if f.state == FollowUpState.SCHEDULED]
    if not plan:
        return

    def enqueue_tasks():
        from .tasks import run_followup

        for pk, due_at in plan:
            run_followup.using(run_after=due_at).enqueue(followup_id=pk)

    transaction.on_commit(enqueue_tasks)


def _subject_fields(subject) -> dict:
    if subject is None:
        return {}
    return {"subject_type": ContentType.objects.get_for_model(subject), "subject_id": subject.pk}


def schedule(
    *,
    kind: str,
    due_at,
    order=None,
    subject=None,
    deadline=None,
    note: str = "",
    owner: str = "",
    created_by=None,
    raised: bool = False,
    now=None,
) -> FollowUp:
    """A new follow-up of ``kind`` due at ``due_at``, with its deferred task (enqueued when the caller's
    transaction commits). ``raised``: it is due already and goes straight on the board (nothing to run)."""
    plan = {"kind": kind, "due_at": due_at, "order": order, "subject": subject, "deadline": deadline, "note": note}
    return schedule_all(plans=[{**plan, "owner": owner, "created_by": created_by, "raised": raised}], now=now)[0]


def schedule_all(*, plans: list[dict], now=None) -> list[FollowUp]:
    """Several follow-ups at once (each a dict of ``schedule``'s arguments), their tasks enqueued together."""
    now = now or timezone.now()
    with transaction.atomic():
        followups = [_create(now=now, **plan) for plan in plans]
        enqueue(followups)
    return followups


def _create(
    *, kind, due_at, now, order=None, subject=None, deadline=None, note="", owner="", created_by=None, raised=False
):
    return FollowUp.objects.create(
        kind=kind,
        due_at=due_at,
        deadline=deadline,
        order=order,
        note=(note or "")[:200],
        owner=owner,
        created_by=created_by,
        created_at=now,
        state=FollowUpState.RAISED if raised else FollowUpState.SCHEDULED,
        checked_at=now if raised else None,
        **_subject_fields(subject),
    )


def raise_many(*, kind: str, due_at, subjects: QuerySet, created_by=None, now=None) -> int:
    """A follow-up of ``kind`` on each of ``subjects`` (a queryset), put on their queue at once: no task to run,
    they are due at ``due_at`` and whoever works the queue reads them from then. One INSERT … SELECT in the
    database — a call list of 10,000 numbers is one statement, not 10,000 inserts and 10,000 deferred tasks."""
    now = now or timezone.now()
    ops = connection.ops
    subject_sql, subject_params = subjects.order_by().values(subject_pk=F("pk")).query.sql_with_params()
    values = {
        "kind": kind,
        "state": FollowUpState.RAISED,
        "due_at": ops.adapt_datetimefield_value(due_at),
        "subject_type_id": ContentType.objects.get_for_model(subjects.model).pk,
        "owner": "",
        "created_at": ops.adapt_datetimefield_value(now),
        "created_by_id": getattr(created_by, "pk", None),
        "checked_at": ops.adapt_datetimefield_value(now),
        "outcome": "",
        "note": "",
    }
    columns = ", ".join(ops.quote_name(c) for c in [*values, "subject_id"])
    placeholders = ", ".join(["%s"] * len(values))
    sql = (
        f"INSERT INTO {ops.quote_name(FollowUp._meta.db_table)} ({columns}) "
        f"SELECT {placeholders}, subject.subject_pk FROM ({subject_sql}) AS subject"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [*values.values(), *subject_params])
        return cursor.rowcount


def open_followups(*, kind: str, order=None, subject=None):
    qs = FollowUp.objects.filter(kind=kind, state__in=OPEN_FOLLOWUP)
    if order is not None:
        qs = qs.filter(order=order)
    if subject is not None:
        qs = qs.filter(**_subject_fields(subject))
    return qs


def schedule_check(*, order, kind: str, due_at, deadline=None, now=None) -> FollowUp:
    """Schedule (or move) the one open check of ``kind`` on the order. A check already on the board stays there
    until someone acts."""
    now = now or timezone.now()
    with transaction.atomic():
        followup = open_followups(kind=kind, order=order).first()
        if followup is None:
            return schedule(kind=kind, order=order, due_at=due_at, deadline=deadline, now=now)
        if followup.state == FollowUpState.SCHEDULED:
            followup.due_at, followup.deadline = due_at, deadline
            followup.save(update_fields=["due_at", "deadline"])
            enqueue([followup])
    return followup


def close_open(*, kinds, order=None, subject=None, now=None, outcome: str = "done") -> int:
    """Close the open follow-ups of ``kinds`` on the order (or the subject): their work is done."""
    now = now or timezone.now()
    qs = FollowUp.objects.filter(kind__in=list(kinds), state__in=OPEN_FOLLOWUP)
    if order is not None:
        qs = qs.filter(order=order)
    if subject is not None:
        qs = qs.filter(**_subject_fields(subject))
    return qs.update(state=FollowUpState.DONE, outcome=outcome, closed_at=now)


def claim(*, followup: FollowUp, by, outcome: str, now=None) -> None:
    """Close an open follow-up for the person acting on it; refused when someone else got there first."""
    now = now or timezone.now()
    done = FollowUp.objects.filter(pk=followup.pk, state__in=OPEN_FOLLOWUP).update(
        state=FollowUpState.DONE, outcome=outcome, closed_at=now, closed_by=by
    )
    if not done:
        raise DomainError("already_handled", _("Someone has handled this follow-up already."))
    followup.state, followup.outcome, followup.closed_at, followup.closed_by = FollowUpState.DONE, outcome, now, by


def run(*, followup_id: int, now=None) -> FollowUp | None:
    """Run one due follow-up (the deferred task, or the sweep): it goes on the board, unless the owning app's
    handler finds the work done, which closes it. Idempotent: the conditional update lets exactly one runner claim
    it; a follow-up moved later, already run or closed is left alone."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = FollowUp.objects.filter(pk=followup_id, state=FollowUpState.SCHEDULED, due_at__lte=now).update(
            state=FollowUpState.RAISED, checked_at=now
        )
        if not claimed:
            return None
        followup = FollowUp.objects.select_related("order").get(pk=followup_id)
        handler = handler_for(followup.kind)
        if handler is not None and handler(followup, now):
            FollowUp.objects.filter(pk=followup_id).update(
                state=FollowUpState.DONE, outcome="found_done", closed_at=now
            )
            followup.state, followup.outcome, followup.closed_at = FollowUpState.DONE, "found_done", now
    return followup


def sweep(*, now=None, limit: int = SWEEP_BATCH, kinds=None) -> int:
    """The safety sweep: run every scheduled follow-up whose time has come, including any whose task was lost.
    One range scan of the partial index on open follow-ups; safe beside the tasks (each is claimed by a
    conditional update, so it runs once whoever gets there first)."""
    now = now or timezone.now()
    due = FollowUp.objects.filter(closed_at__isnull=True, due_at__lte=now, state=FollowUpState.SCHEDULED)
    if kinds is not None:
        due = due.filter(kind__in=list(kinds))
    ran = 0
    for pk in list(due.order_by("due_at", "id").values_list("pk", flat=True)[:limit]):
        if run(followup_id=pk, now=now) is not None:
            ran += 1
    return ran
