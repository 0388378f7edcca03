"""Voiding (作废) and correcting (改单) an order after intake (API.md: "Voiding and correcting an order"): the
order's own rows — its status through the state machine, its fields re-validated and re-quoted, its fees, its
timeline with every changed field's before and after and who, its origin-analysis row. What other apps do about it
(the recipients' SMS, the follow-ups) is the desk's (`desk/order_changes.py`), in the same transaction."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.identity import agent_label
from freightdesk.core.errors import BadInput, DomainError

from .corrections import Correction, correction_for
from .errors import OrderErrorCode, ReviewInputError
from .models import AWAITING_REVIEW, Enquiry, EnquiryOutcome, Order, OrderFee, Status, VoidReason
from .timeline import stored_text
from .transitions import Entry, transition_order
from .workflow import AFTER_REVIEW, Step

# The reasons an order is voided for once it exists (API.md); `other` needs a note.
VOID_REASONS = (VoidReason.CUSTOMER_CANCELLED, VoidReason.DUPLICATE, VoidReason.CANNOT_SERVE, VoidReason.OTHER)
VOIDABLE = AWAITING_REVIEW | AFTER_REVIEW
PAST_PICKUP = frozenset({Status.PICKED_UP, Status.IN_TRANSIT, Status.DELIVERED})
MAX_NOTE = 200


@dataclass(frozen=True)
class Change:
    """What a void or a correction did: the status before it, and the correction (None: nothing changed)."""

    order: Order
    status_before: str
    correction: Correction | None = None


def _refusal(verb: str):
    """How a void or a correction is refused when the order is past it: after pickup, the reason says so."""

    def refuse(order: Order, raced: bool) -> DomainError:
        order.refresh_from_db(fields=["status"])
        if order.status in PAST_PICKUP:
            return DomainError(
                OrderErrorCode.PICKED_UP,
                _(
                    "Order %(serial)s is “%(status)s”: the goods were picked up, so it can no longer be %(verb)s. "
                    "Record an exception or open a ticket instead."
                )
                % {"serial": order.serial, "status": Status(order.status).label, "verb": verb},
            )
        if raced:
            return DomainError(OrderErrorCode.ORDER_CHANGED, _("The order changed meanwhile; reload and try again."))
        return DomainError(
            OrderErrorCode.TRANSITION_NOT_ALLOWED,
            _("Order %(serial)s is “%(status)s”: it cannot be %(verb)s.")
            % {"serial": order.serial, "status": Status(order.status).label, "verb": verb},
        )

    return refuse


def _clean_note(note: str) -> str:
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise BadInput("too_long", _("At most %(n)d characters.") % {"n": MAX_NOTE}, field="note")
    return note


def void_order(*, order: Order, by, reason: str, note: str = "", now=None) -> Change:
    """Void (作废) an order in review, confirmed or dispatched — never after pickup (API.md). The reason comes
    from the list; `other` needs a note. The timeline says why and who; the origin-analysis row (SPEC §12)
    counts it as voided. Call inside the desk's transaction, which also tells the recipients."""
    now = now or timezone.now()
    if reason not in VOID_REASONS:
        raise ReviewInputError(OrderErrorCode.BAD_VOID_REASON, _("Choose why the order is void."), field="reason")
    note = _clean_note(note)
    if reason == VoidReason.OTHER and not note:
        raise ReviewInputError(OrderErrorCode.NOTE_REQUIRED, _("Write down why the order is void."), field="note")
    before = order.status
    params = {"reason": str(reason), "note": note, "before": str(before)}
    entry = Entry("voided", stored_text("voided", params), params=params, changes={"void_reason": str(reason)})
    with transaction.atomic():
        transition_order(
            order=order,
            step=Step.VOID,
            entry=entry,
            by=by,
            by_label=agent_label(by),
            fields={"claimed_by": None, "claimed_at": None, "problem_callback_at": None},
            at=now,
            refuse=_refusal(_("voided")),
        )
        label = str(VoidReason(reason).label)
        Enquiry.objects.filter(order=order).update(
            outcome=EnquiryOutcome.VOIDED, reason=(f"{label}: {note}" if note else label)[:200]
        )
        order.refresh_from_db()
    return Change(order, before)


def correct_order(*, order: Order, by, changes: dict, now=None) -> Change:
    """Correct (改单) a confirmed or dispatched order with the customer (API.md): the changed fields re-validated
    with the intake rules (prohibited goods too) and re-quoted; the timeline keeps each field's before and after
    and who. Nothing changed: nothing written. Call inside the desk's transaction, which also tells the
    recipients and moves the follow-ups."""
    now = now or timezone.now()
    if not changes:
        raise ReviewInputError(OrderErrorCode.BAD_CORRECTION, _("Change at least one field."))
    before = order.status
    if before not in AFTER_REVIEW:
        raise _refusal(_("corrected"))(order, False)
    with transaction.atomic():
        correction = correction_for(order, changes, now=now)
        if correction is None:
            return Change(order, before)
        entry = Entry(
            "corrected",
            "corrected with the customer: " + ", ".join(correction.before),
            changes={"before": correction.before, "after": correction.after},
        )
        transition_order(
            order=order,
            step=Step.CORRECT,
            entry=entry,
            by=by,
            by_label=agent_label(by),
            fields=correction.fields,
            at=now,
            refuse=_refusal(_("corrected")),
        )
        if correction.fees is not None:
            order.fees.all().delete()
            OrderFee.objects.bulk_create([OrderFee(order=order, kind=k, amount=a) for k, a in correction.fees])
        order.refresh_from_db()
        _update_enquiry(order)
    return Change(order, before, correction)


def _update_enquiry(order: Order) -> None:
    """The origin analysis (SPEC §12) counts the order where it now starts, with what it now carries."""
    Enquiry.objects.filter(order=order).update(
        pickup_region=order.pickup_region,
        delivery_region=order.delivery_region,
        pickup_address=order.pickup_address[:200],
        goods_name=order.goods_name[:40],
        phone=order.shipper_phone,
    )
