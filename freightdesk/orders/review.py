"""Review (核单, SPEC §5): claim a web or chat order, call the customer, and record the outcome —
confirm (with the customer's corrections), problem, or void."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.accounts.identity import agent_id_of, agent_label
from freightdesk.core.errors import DomainError
from freightdesk.core.worktime import deadline_for
from freightdesk.network.selectors import match_restricted

from .corrections import correction_for
from .errors import OrderErrorCode, ReviewInputError
from .models import (
    AWAITING_REVIEW,
    CallOutcome,
    Enquiry,
    EnquiryOutcome,
    Order,
    OrderFee,
    ReviewCall,
    ReviewOutcome,
    Status,
    VoidReason,
)
from .notifications import CONFIRMED as CONFIRMED_SMS
from .notifications import notify_customer
from .pickup import pickup_due
from .timeline import add_event
from .transitions import Entry, transition_order
from .workflow import Step, find_transition

CLAIM_TTL = timedelta(minutes=10)
NO_ANSWER_LIMIT = 3  # unanswered calls before the supervisor is asked to step in
REVIEW_STEPS = {ReviewOutcome.CONFIRM: Step.CONFIRM, ReviewOutcome.PROBLEM: Step.PROBLEM, ReviewOutcome.VOID: Step.VOID}


@dataclass
class Claim:
    holder: object | None
    at: datetime | None
    mine: bool
    label: str = ""

    @property
    def expires_at(self):
        return self.at + CLAIM_TTL if self.at else None


def _not_reviewable(order: Order) -> DomainError:
    return DomainError(
        OrderErrorCode.NOT_REVIEWABLE,
        _("Order %(serial)s is %(status)s: only an order awaiting review or a problem order can be reviewed.")
        % {"serial": order.serial, "status": Status(order.status).label},
    )


def _refuse_unless_awaiting(order: Order) -> None:
    if order.status not in AWAITING_REVIEW:
        raise _not_reviewable(order)


def current_claim(order: Order, *, agent=None, now=None) -> Claim:
    """Who is reviewing the order now (a claim older than CLAIM_TTL has lapsed)."""
    now = now or timezone.now()
    if order.claimed_by_id is None or order.claimed_at is None or order.claimed_at <= now - CLAIM_TTL:
        return Claim(None, None, False)
    return Claim(order.claimed_by, order.claimed_at, agent is not None and order.claimed_by_id == agent.pk)


def claim_review(*, order: Order, agent, take_over: bool = False, now=None) -> Claim:
    """Open an order for review: record who is on it, so other agents see it (SPEC §5, the review claim).
    A live claim of another agent is kept unless ``take_over``; the conditional update makes two
    simultaneous openings end with exactly one holder."""
    now = now or timezone.now()
    _refuse_unless_awaiting(order)
    with transaction.atomic():
        rows = Order.objects.filter(pk=order.pk, status__in=AWAITING_REVIEW)
        if not take_over:
            rows = rows.filter(Q(claimed_by__isnull=True) | Q(claimed_by=agent) | Q(claimed_at__lte=now - CLAIM_TTL))
        won = rows.update(claimed_by=agent, claimed_at=now)
    order.refresh_from_db(fields=["claimed_by", "claimed_at", "status"])
    if not won and order.status not in AWAITING_REVIEW:
        _refuse_unless_awaiting(order)
    return current_claim(order, agent=agent, now=now)


def release_claim(*, order: Order, agent) -> None:
    """Leave the review without an outcome: the order is free for others at once."""
    Order.objects.filter(pk=order.pk, claimed_by=agent).update(claimed_by=None, claimed_at=None)


def record_call_attempt(*, order: Order, agent, outcome: str, now=None) -> ReviewCall:
    """One click per call to the customer during review (SPEC §5 "the agent always calls"):
    answered / no answer / wrong number. The third unanswered call flags the order for the supervisor."""
    now = now or timezone.now()
    if outcome not in CallOutcome.values:
        raise ReviewInputError(OrderErrorCode.BAD_CALL_OUTCOME, _("Choose how the call went."), field="outcome")
    _refuse_unless_awaiting(order)
    label = agent_label(agent)
    with transaction.atomic():
        call = ReviewCall.objects.create(
            order=order, at=now, agent=agent, agent_label=label, phone=order.shipper_phone, outcome=outcome
        )
        add_event(
            order=order,
            kind="review_call",
            text=f"called the customer: {outcome}",
            by=agent,
            by_label=label,
            params={"outcome": outcome},
            at=now,
        )
        Order.objects.filter(pk=order.pk, claimed_by=agent).update(claimed_at=now)
        unanswered = order.review_calls.filter(outcome=CallOutcome.NO_ANSWER).count()
        flag = outcome == CallOutcome.NO_ANSWER and unanswered >= NO_ANSWER_LIMIT
        if flag and Order.objects.filter(pk=order.pk, flagged_at__isnull=True).update(flagged_at=now):
            order.flagged_at = now
            add_event(
                order=order,
                kind="flagged",
                text=f"no answer {unanswered} times: flagged for the supervisor",
                by=agent,
                by_label=label,
                params={"count": unanswered},
                at=now,
            )
    return call


def review_order(
    *,
    order: Order,
    agent,
    outcome: str,
    note: str = "",
    changes: dict | None = None,
    callback_at=None,
    void_reason: str = "",
    checklist: list[str] | None = None,
    restricted_confirmation: str = "",
    now=None,
) -> Order:
    """Record the outcome of the review and the confirmation call (核单, SPEC §5): confirm (with the
    customer's corrections, each field's before and after kept, the order re-quoted), problem (waiting
    on the customer until ``callback_at``) or void (a reason from the list plus text); ``checklist`` keeps
    which review checks the agent ticked; ``restricted_confirmation`` what the customer confirmed about restricted
    goods (限寄物品: packaging, quantity), which confirming such an order needs. Each outcome is a step of the order's workflow (`workflow.py`); its
    conditional update makes a second outcome on the same order — another agent's, a double click — fail with
    ``not_reviewable`` (409) instead of applying twice."""
    now = now or timezone.now()
    if outcome not in REVIEW_STEPS:
        raise ReviewInputError(OrderErrorCode.BAD_OUTCOME, _("Choose confirm, problem or void."), field="outcome")
    note = " ".join((note or "").split())[:200]
    _refuse_unless_awaiting(order)
    _refuse_unless_claim_allows(order, agent, now)
    updates: dict = {"claimed_by": None, "claimed_at": None}
    correction = None
    detail: dict = {"outcome": outcome, "note": note}
    if checklist:
        detail["checklist"] = [str(item)[:40] for item in checklist][:10]  # what the agent ticked
    if outcome == ReviewOutcome.CONFIRM:
        correction = _confirm_updates(order, updates, changes, now)
        _confirm_restricted(order, correction, updates, restricted_confirmation)
    elif outcome == ReviewOutcome.PROBLEM:
        _problem_updates(updates, detail, note, callback_at, now)
    else:
        _void_updates(updates, detail, note, void_reason)
    return _apply_review(
        order=order,
        agent=agent,
        step=REVIEW_STEPS[outcome],
        updates=updates,
        correction=correction,
        detail=detail,
        now=now,
    )


def _refuse_unless_claim_allows(order: Order, agent, now) -> None:
    """Another agent's claim stops the review unless the agent may take reviews over."""
    claim = current_claim(order, agent=agent, now=now)
    if claim.holder is not None and not claim.mine and not has_capability(agent, Capability.TAKE_OVER_REVIEW):
        raise DomainError(
            OrderErrorCode.CLAIMED,
            _("%(who)s is reviewing this order since %(at)s.")
            % {"who": agent_label(claim.holder), "at": timezone.localtime(claim.at).strftime("%H:%M")},
        )


def _confirm_updates(order: Order, updates: dict, changes: dict | None, now):
    """Confirming starts the dispatch and pickup clocks; the customer's corrections (if any) are applied."""
    correction = correction_for(order, changes or {}, now=now) if changes else None
    _refuse_unless_called(order)
    updates.update(
        confirmed_at=now,
        dispatch_due_at=deadline_for("dispatch", now),
        pickup_due_at=pickup_due(confirmed_at=now),  # the pickup clock starts at the confirmation
        problem_callback_at=None,
    )
    if correction:
        updates.update(correction.fields)
    return correction


def _confirm_restricted(order: Order, correction, updates: dict, said: str) -> None:
    """Restricted goods (限寄物品) are confirmed with the customer on the review call, as at the phone desk: what he
    confirmed (packaging, quantity) is recorded on the order, and the order is not confirmed without it."""
    goods = (correction.fields.get("goods_name") if correction else None) or order.goods_name
    hit = match_restricted(goods)
    if hit is None:
        return
    said = " ".join((said or "").split())[:200] or order.restricted_confirmation
    if not said:
        raise ReviewInputError(
            OrderErrorCode.RESTRICTED_UNCONFIRMED,
            _("“%(goods)s” is restricted goods (%(term)s): confirm with the caller %(what)s, and write it here.")
            % {"goods": goods, "term": hit.term, "what": hit.goods.confirm},
            field="restricted_confirmation",
        )
    updates.update(restricted_goods=hit.goods.name, restricted_confirmation=said)


def _problem_updates(updates: dict, detail: dict, note: str, callback_at, now) -> None:
    """A problem waits on the customer until the promised callback, which is also the new review deadline."""
    callback_at = _valid_callback(callback_at, now)
    if not note:
        raise ReviewInputError(OrderErrorCode.NOTE_REQUIRED, _("Write down what the problem is."), field="note")
    updates.update(problem_callback_at=callback_at, review_due_at=callback_at)
    detail["callback_at"] = callback_at.isoformat()


def _void_updates(updates: dict, detail: dict, note: str, void_reason: str) -> None:
    """A void needs a reason from the list and a note saying why."""
    void_reason = void_reason or VoidReason.OTHER
    if void_reason not in VoidReason.values:
        raise ReviewInputError(OrderErrorCode.BAD_VOID_REASON, _("Choose why the order is void."), field="void_reason")
    if not note:
        raise ReviewInputError(OrderErrorCode.NOTE_REQUIRED, _("Write down why the order is void."), field="note")
    updates["problem_callback_at"] = None
    detail["void_reason"] = void_reason


def _refuse_unless_called(order: Order) -> None:
    """SPEC §5 "不论有无问题都要打电话": an order is confirmed only after a call the customer answered, or after
    NO_ANSWER_LIMIT calls he did not."""
    calls = order.review_calls.values_list("outcome", flat=True)
    outcomes = list(calls)
    if CallOutcome.ANSWERED in outcomes or outcomes.count(CallOutcome.NO_ANSWER) >= NO_ANSWER_LIMIT:
        return
    raise DomainError(
        OrderErrorCode.CALL_REQUIRED,
        _(
            "Call the customer before confirming: record the call he answered, or %(n)s calls he did not answer "
            "(recorded so far: %(made)s)."
        )
        % {"n": NO_ANSWER_LIMIT, "made": len(outcomes)},
    )


def _reviewed_already(order: Order, raced: bool) -> DomainError:
    order.refresh_from_db()
    if order.status not in AWAITING_REVIEW:
        return _not_reviewable(order)
    return DomainError(
        OrderErrorCode.NOT_REVIEWABLE, _("Order %(serial)s was reviewed already.") % {"serial": order.serial}
    )


def _apply_review(*, order, agent, step, updates, correction, detail, now) -> Order:
    before = order.status
    after = find_transition(step, before).target
    label = agent_label(agent)
    with transaction.atomic():
        if correction and correction.fees is not None:
            order.fees.all().delete()
            OrderFee.objects.bulk_create([OrderFee(order=order, kind=k, amount=a) for k, a in correction.fees])
        if correction:
            add_event(
                order=order,
                kind="corrected",
                text="corrected with the customer: " + ", ".join(correction.before),
                by=agent,
                by_label=label,
                changes={"before": correction.before, "after": correction.after},
                at=now,
            )
        entry = Entry(
            "reviewed",
            f"reviewed: {before} → {after}" + (f" — {detail['note']}" if detail["note"] else ""),
            params={"before": str(before), "after": str(after), "note": detail["note"]},
            changes={"status": [str(before), str(after)], **detail},
        )
        transition_order(
            order=order,
            step=step,
            entry=entry,
            by=agent,
            by_label=label,
            fields=updates,
            at=now,
            refuse=_reviewed_already,
        )
        if after == Status.VOID:
            # The enquiry counts as voided in the origin analysis (SPEC §12), no longer as shipped.
            Enquiry.objects.filter(order=order).update(outcome=EnquiryOutcome.VOIDED, reason=detail["note"][:200])
        order.refresh_from_db()
        if after == Status.CONFIRMED:
            notify_customer(order=order, code=CONFIRMED_SMS, agent_id=agent_id_of(agent), by=agent, now=now)
    return order


def _valid_callback(callback_at, now):
    if callback_at is None:
        raise ReviewInputError(
            OrderErrorCode.CALLBACK_REQUIRED, _("Agree a time to call the customer back."), field="callback_at"
        )
    if timezone.is_naive(callback_at):
        callback_at = timezone.make_aware(callback_at)
    if callback_at <= now:
        raise ReviewInputError(
            OrderErrorCode.CALLBACK_PAST, _("The callback time is in the past."), field="callback_at"
        )
    return callback_at
