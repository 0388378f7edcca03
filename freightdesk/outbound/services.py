"""Outbound work (外呼, SPEC §2; §10 主动回访): build a call list from a rule or an uploaded file, assign it to
agents, keep the do-not-call list, dial an item and record what came of each call. Every item is a follow-up of
kind ``outbound_call`` (``followups``): due in working hours only, never on the do-not-call list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core import worktime
from freightdesk.core.errors import BadInput, DomainError, NotAllowed
from freightdesk.core.phones import display_phone, normalize_phone
from freightdesk.customers.models import CustomerPhone
from freightdesk.followups import services as followups
from freightdesk.followups.models import OPEN_FOLLOWUP, FollowUp, FollowUpKind
from freightdesk.telephony import dialing
from freightdesk.tickets.services import transition_ticket
from freightdesk.tickets.workflow import transitions_from

from .models import (
    MAX_ATTEMPTS,
    RETRY_OUTCOMES,
    CallAttempt,
    CallItem,
    CallList,
    DoNotCall,
    ItemState,
    ListKind,
    Outcome,
    SkipReason,
)
from .rules import CHUNK, MAX_ITEMS, Candidate, candidates, clean_params
from .uploads import read_upload

KIND = FollowUpKind.OUTBOUND_CALL
NO_ANSWER_RETRY_MINUTES = 60  # working minutes before a number that did not answer is tried again
SATISFIED_FROM = 3  # a 回访 scored below this reopens the ticket
LATEST_RETRY = timedelta(days=30)


@dataclass
class Built:
    call_list: CallList
    created: int = 0
    skipped: int = 0  # on the do-not-call list
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, why) of an uploaded file


def due_time(now: datetime) -> datetime:
    """When an item may be called: now in working hours, else the next opening (SPEC §2: 8:30–17:30)."""
    return worktime.next_opening(now)


def build_rule_list(*, kind: str, by, name: str = "", params: dict | None = None, now=None) -> Built:
    """A call list from a rule (SPEC §2 外呼; 002 主动回访新客户、高价值客户、问题解决后的客户): the customers the rule
    picks, each number once, numbers on the do-not-call list skipped with the reason."""
    now = now or timezone.now()
    if kind not in ListKind.values or kind == ListKind.UPLOAD:
        raise BadInput("invalid", _("Choose a rule."), field="kind")
    try:
        params = clean_params(kind, params or {})
    except ValidationError as exc:
        raise BadInput("required", exc.messages[0], field="min_orders") from exc
    found, matched = candidates(kind, params, now)
    label = name.strip() or f"{ListKind(kind).label} {now.astimezone(worktime.TZ):%Y-%m-%d}"
    with transaction.atomic():
        call_list = CallList.objects.create(
            name=label[:80], kind=kind, params=params, created_by=by, created_at=now, matched=matched
        )
        return _fill(call_list, _unique(found), by=by, now=now)


def import_list(*, upload, filename: str, by, name: str = "", now=None) -> Built:
    """A call list from an uploaded Excel/CSV file (营销名单): every row with a bad or repeated number is reported by
    its line and left out, the rest imported — all in one transaction, so a crash leaves nothing half-imported."""
    now = now or timezone.now()
    rows = read_upload(upload, filename)
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    found: list[Candidate] = []
    for row in rows:
        try:
            number = normalize_phone(row.phone)
        except ValidationError as exc:
            problems.append((row.line, exc.messages[0]))
            continue
        if number in seen:
            problems.append(
                (row.line, _("%(phone)s is already on line %(line)s.") % {"phone": row.phone, "line": seen[number]})
            )
            continue
        seen[number] = row.line
        found.append(Candidate(number, row.name, line=row.line))
    if not found:
        raise BadInput("invalid", _("No row of the file has a valid phone number."), field="file")
    _match_customers(found)
    label = name.strip() or (filename or _("Uploaded list"))
    with transaction.atomic():
        call_list = CallList.objects.create(
            name=label[:80], kind=ListKind.UPLOAD, created_by=by, created_at=now, matched=len(found)
        )
        built = _fill(call_list, found, by=by, now=now)
    built.problems = sorted(problems + built.problems)
    return built


def _unique(found: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    unique = []
    for candidate in found:
        if candidate.phone not in seen:
            seen.add(candidate.phone)
            unique.append(candidate)
    return unique


def _match_customers(found: list[Candidate]) -> None:
    by_number = {c.phone: c for c in found}
    numbers = list(by_number)
    for start in range(0, len(numbers), CHUNK):
        for number, customer_id in CustomerPhone.objects.filter(number__in=numbers[start : start + CHUNK]).values_list(
            "number", "customer_id"
        ):
            by_number[number].customer_id = by_number[number].customer_id or customer_id


def blocked_numbers(numbers) -> set[str]:
    """Which of ``numbers`` are on the do-not-call list. The list is usually far shorter than a call list: then
    it is read whole (one query, no ten-thousand-parameter IN)."""
    numbers = set(numbers)
    if DoNotCall.objects.count() <= len(numbers):
        return numbers & set(DoNotCall.objects.values_list("number", flat=True))
    ordered = list(numbers)
    blocked: set[str] = set()
    for start in range(0, len(ordered), CHUNK):
        blocked.update(
            DoNotCall.objects.filter(number__in=ordered[start : start + CHUNK]).values_list("number", flat=True)
        )
    return blocked


def _fill(call_list: CallList, found: list[Candidate], *, by, now) -> Built:
    """The list's items (do-not-call numbers skipped, with the reason) and one due follow-up per item to call."""
    found = found[:MAX_ITEMS]
    blocked = blocked_numbers(c.phone for c in found)
    _insert_items(
        [
            (
                call_list.pk,
                c.line,
                c.phone,
                c.name[:40],
                c.customer_id,
                c.ticket_id,
                ItemState.SKIPPED if c.phone in blocked else ItemState.OPEN,
                SkipReason.DO_NOT_CALL if c.phone in blocked else "",
            )
            for c in found
        ]
    )
    created = followups.raise_many(
        kind=KIND,
        due_at=due_time(now),
        subjects=CallItem.objects.filter(call_list=call_list, state=ItemState.OPEN),
        created_by=by,
        now=now,
    )
    skipped = [
        (c.line, _("%(phone)s is on the do-not-call list: skipped.") % {"phone": display_phone(c.phone)})
        for c in found
        if c.phone in blocked and c.line
    ]
    return Built(call_list, created=created, skipped=len(found) - created, problems=skipped)


ITEM_COLUMNS = ("call_list_id", "line", "phone", "name", "customer_id", "ticket_id", "state", "skip_reason")
ITEM_DEFAULTS = {"attempts": 0, "outcome": "", "note": "", "needs_supervisor": False}


def _insert_items(rows: list[tuple]) -> None:
    """The items in one executemany: ten thousand model instances would cost seconds of Python (bench_outbound)."""
    ops = connection.ops
    columns = [*ITEM_COLUMNS, *ITEM_DEFAULTS]
    sql = (
        f"INSERT INTO {ops.quote_name(CallItem._meta.db_table)} ({', '.join(ops.quote_name(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    defaults = tuple(ITEM_DEFAULTS.values())
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, [row + defaults for row in rows[start : start + CHUNK]])


def assign_list(*, call_list: CallList, agents, by) -> int:
    """Share the list's open, unassigned items among ``agents`` in turn; answers how many were assigned."""
    agents = list(agents)
    if not agents:
        raise BadInput("required", _("Choose at least one agent."), field="agents")
    for agent in agents:
        if not has_capability(agent, Capability.WORK_OUTBOUND):
            raise BadInput("invalid", _("%(name)s does not make outbound calls.") % {"name": agent}, field="agents")
    with transaction.atomic():
        pending = list(
            CallItem.objects.filter(call_list=call_list, state=ItemState.OPEN, agent__isnull=True)
            .order_by("id")
            .values_list("pk", flat=True)
        )
        for i, agent in enumerate(agents):
            mine = pending[i :: len(agents)]
            for start in range(0, len(mine), CHUNK):
                CallItem.objects.filter(pk__in=mine[start : start + CHUNK], agent__isnull=True).update(agent=agent)
    return len(pending)


def add_do_not_call(*, number: str, reason: str = "", by=None, now=None) -> DoNotCall:
    """Put a number on the do-not-call list (勿扰): every open item with it is skipped at once, with the reason."""
    now = now or timezone.now()
    try:
        e164 = normalize_phone(number)
    except ValidationError as exc:
        raise BadInput("invalid", exc.messages[0], field="number") from exc
    with transaction.atomic():
        entry, _created = DoNotCall.objects.get_or_create(
            number=e164, defaults={"reason": reason[:200], "added_by": by, "added_at": now}
        )
        skip_open_items(number=e164, now=now)
    return entry


def skip_open_items(*, number: str, now) -> int:
    """Skip the open items of a number now on the do-not-call list and close their follow-ups."""
    items = list(CallItem.objects.filter(phone=number, state=ItemState.OPEN).values_list("pk", flat=True))
    if not items:
        return 0
    CallItem.objects.filter(pk__in=items).update(
        state=ItemState.SKIPPED, skip_reason=SkipReason.DO_NOT_CALL, done_at=now
    )
    FollowUp.objects.filter(kind=KIND, state__in=OPEN_FOLLOWUP, outbound_item__in=items).update(
        state="done", outcome=SkipReason.DO_NOT_CALL, closed_at=now
    )
    return len(items)


def _may_work(item: CallItem, agent) -> None:
    if item.agent_id != agent.pk and not has_capability(agent, Capability.PLAN_OUTBOUND):
        raise NotAllowed("not_your_item", _("This number is on another agent's list."))
    if item.state != ItemState.OPEN:
        raise DomainError(
            "item_closed", _("This number has been dealt with: %(state)s.") % {"state": item.get_state_display()}
        )


def _refuse_blocked(item: CallItem, now) -> None:
    """Always honoured: a number put on the do-not-call list after the list was built is skipped when touched."""
    if DoNotCall.objects.filter(number=item.phone).exists():
        with transaction.atomic():
            skip_open_items(number=item.phone, now=now)
        raise DomainError(
            "do_not_call", _("%(phone)s is on the do-not-call list: skipped.") % {"phone": display_phone(item.phone)}
        )


def dial(*, item: CallItem, agent, now=None) -> dialing.Dial:
    """One click dials the item's number (SPEC §2): through the PBX (Asterisk AMI Originate rings the agent's phone,
    then the customer) when a bridge is connected, else the ``tel:`` link. Refused outside working hours and for a
    number on the do-not-call list."""
    now = now or timezone.now()
    _may_work(item, agent)
    _refuse_blocked(item, now)
    if not worktime.is_working_time(now):
        raise DomainError(
            "outside_working_hours",
            _("Outbound calls are made in working hours only; the next opening is %(at)s.")
            % {"at": f"{worktime.next_opening(now).astimezone(worktime.TZ):%m-%d %H:%M}"},
        )
    return dialing.dial(agent=agent, number=item.phone, reference=f"outbound:{item.pk}", now=now)


def record_outcome(
    *,
    item: CallItem,
    agent,
    outcome: str,
    note: str = "",
    next_at: datetime | None = None,
    satisfaction: int | None = None,
    now=None,
) -> CallAttempt:
    """What came of a call (SPEC §2 外呼; §10 回访): an attempt row; "no answer" and "call later" schedule the next
    attempt (at most MAX_ATTEMPTS, in working hours), the rest close the item. A 回访 reached records the customer's
    satisfaction (1–5) and reopens his ticket when he is not satisfied."""
    now = now or timezone.now()
    _may_work(item, agent)
    if outcome not in Outcome.values:
        raise BadInput("bad_outcome", _("Choose what came of the call."), field="outcome")
    _refuse_blocked(item, now)
    satisfaction = _satisfaction(item, outcome, satisfaction)
    retry_at = _retry_at(outcome, next_at, now) if outcome in RETRY_OUTCOMES else None
    attempts = item.attempts + 1
    if retry_at is not None and attempts >= MAX_ATTEMPTS:
        retry_at = None
    with transaction.atomic():
        current = _open_followup(item)
        followups.claim(followup=current, by=agent, outcome=outcome, now=now)
        note, refused = (note or "").strip(), False
        if satisfaction is not None and satisfaction < SATISFIED_FROM:
            note, refused = _reopen(item, agent, satisfaction, note, now)
        note = note[:200]
        attempt = CallAttempt.objects.create(
            item=item, agent=agent, at=now, outcome=outcome, note=note, next_at=retry_at, satisfaction=satisfaction
        )
        fields = {"attempts": attempts, "outcome": outcome, "note": note, "needs_supervisor": refused}
        if satisfaction is not None:
            fields["satisfaction"] = satisfaction
        if retry_at is not None:
            followups.schedule(kind=KIND, due_at=retry_at, subject=item, created_by=agent, note=note, now=now)
        elif outcome in RETRY_OUTCOMES:
            fields.update(state=ItemState.SKIPPED, skip_reason=SkipReason.ATTEMPTS, done_at=now)
        else:
            fields.update(state=ItemState.DONE, done_at=now)
        if not CallItem.objects.filter(pk=item.pk, state=ItemState.OPEN, attempts=item.attempts).update(**fields):
            raise DomainError("already_handled", _("Someone has handled this follow-up already."))
    for name, value in fields.items():
        setattr(item, name, value)
    return attempt


def _open_followup(item: CallItem) -> FollowUp:
    current = FollowUp.objects.filter(kind=KIND, state__in=OPEN_FOLLOWUP, outbound_item=item).first()
    if current is None:
        raise DomainError("already_handled", _("Someone has handled this follow-up already."))
    return current


def _satisfaction(item: CallItem, outcome: str, satisfaction) -> int | None:
    if not (item.ticket_id and outcome == Outcome.REACHED):
        return None
    if satisfaction in (None, ""):
        raise BadInput("required", _("Ask the customer how satisfied he is (1–5)."), field="satisfaction")
    value = int(satisfaction)
    if not 1 <= value <= 5:
        raise BadInput("invalid", _("Satisfaction is from 1 to 5."), field="satisfaction")
    return value


def _retry_at(outcome: str, next_at, now) -> datetime:
    if outcome == Outcome.NO_ANSWER and next_at is None:
        return worktime.add_working_minutes(due_time(now), NO_ANSWER_RETRY_MINUTES)
    if next_at is None:
        raise BadInput("required", _("When should the customer be called again?"), field="next_at")
    if next_at <= now or next_at > now + LATEST_RETRY:
        raise BadInput("invalid", _("Choose a time within the next 30 days."), field="next_at")
    return due_time(next_at)


def _reopen(item: CallItem, agent, satisfaction: int, note: str, now) -> tuple[str, bool]:
    """Not satisfied: reopen the ticket through its own workflow; when its workflow or the agent's role does not
    allow it, the item says why and the supervisor sees it on the list's page."""
    ticket = item.ticket
    why = _("Revisit: the customer is not satisfied (%(score)s/5).") % {"score": satisfaction}
    text = f"{why} {note}".strip()[:200]
    step = next((t for t in transitions_from(ticket.category, ticket.status) if t.reopens), None)
    if step is None:
        refused = _("Ticket %(number)s cannot be reopened from “%(status)s”: a supervisor must act.") % {
            "number": ticket.number,
            "status": ticket.get_status_display(),
        }
        return f"{refused} {text}", True
    try:
        transition_ticket(ticket=ticket, by=agent, to=step.target, data={"note": text}, now=now)
    except DomainError as exc:
        refused = _("Ticket %(number)s not reopened: %(why)s") % {"number": ticket.number, "why": exc.message}
        return f"{refused} {text}", True
    return text, False
