"""Voiding (作废) and correcting (改单) an order, with what follows in the other apps (API.md: "Voiding and
correcting an order"), in one transaction: the order's rows (`orders/changes.py`), a recall or correction SMS to
everyone a dispatched order was sent to (through the outbox), and its open follow-ups closed (void) or moved to
the corrected deadline (correct)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from freightdesk.accounts.identity import agent_id_of
from freightdesk.core.errors import DomainError
from freightdesk.dispatch.models import Dispatch, DriverLink
from freightdesk.followups import deadlines
from freightdesk.followups.models import FollowUpKind
from freightdesk.followups.services import close_open, open_followups, schedule, schedule_check
from freightdesk.messaging.models import Message, MessageKind
from freightdesk.messaging.services import Outgoing, queue_message
from freightdesk.orders import changes
from freightdesk.orders.models import Order, Status, VoidReason
from freightdesk.orders.timeline import fees_shown

# What the recipients of a dispatched order are told (fixed texts, in the company's language: drivers, market
# developers and fleet managers read Chinese). Each names the serial.
RECALL_TEXT = "{serial}已作废({reason}),请勿提货。{agent_id}"
CORRECTION_TEXT = "{serial}已改单:{changes}。请按新信息处理。{agent_id}"
# Fields the recipients act on; the re-quote's subtotals stay on the desk.
NOT_TEXTED = frozenset({"freight", "fees_total", "shipper", "consignee"})
MAX_SMS = 300


def void_order(*, order: Order, by, reason: str, note: str = "", now=None) -> Order:
    """Void an order before pickup (API.md; SPEC §5–§7): the order's void, its open follow-ups closed, and a
    dispatched order's recipients texted a recall naming the serial — all or nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        change = changes.void_order(order=order, by=by, reason=reason, note=note, now=now)
        close_open(kinds=FollowUpKind.values, order=order, now=now, outcome="voided")
        # The driver's link stops working with the order (as a reassignment ends the replaced driver's).
        DriverLink.objects.filter(order=order, expires_at__gt=now).update(expires_at=now)
        if change.status_before == Status.DISPATCHED:
            with translation.override(settings.LANGUAGE_CODE):
                text = RECALL_TEXT.format(
                    serial=order.serial, reason=VoidReason(reason).label, agent_id=agent_id_of(by)
                )
            _text_recipients(order=order, by=by, text=text, key="recall", now=now)
    return change.order


def correct_order(*, order: Order, by, data: dict, now=None) -> Order:
    """Correct a confirmed or dispatched order before pickup (API.md; SPEC §4–§7): re-validated, re-quoted, the
    timeline's before and after; a dispatched order's delivery check moves to the corrected deadline and its
    recipients are texted what changed, naming the serial — all or nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        change = changes.correct_order(order=order, by=by, changes=data, now=now)
        correction = change.correction
        if correction is not None and change.status_before == Status.DISPATCHED:
            _move_delivery_check(order, now)
            told = _changes_text(correction.after)
            if told:
                text = CORRECTION_TEXT.format(serial=order.serial, changes=told, agent_id=agent_id_of(by))
                _text_recipients(order=order, by=by, text=text, key="", now=now)
    return change.order


def _changes_text(after: dict) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        labels = {f.name: str(f.verbose_name) for f in Order._meta.concrete_fields}
        labels["fees"] = str(translation.gettext("fees"))
        shown = {name: fees_shown(value) if name == "fees" else value for name, value in after.items()}
        return ",".join(f"{labels.get(name, name)}{value}" for name, value in shown.items() if name not in NOT_TEXTED)


def _move_delivery_check(order: Order, now) -> None:
    """The delivery check follows the corrected deadline (the customer's, or the route's transit time)."""
    dispatched_at = Dispatch.objects.filter(order=order).values_list("dispatched_at", flat=True).first()
    check = open_followups(kind=FollowUpKind.DELIVERY_CHECK, order=order).first()
    if dispatched_at is None or check is None:
        return
    deadline = deadlines.delivery_deadline(order, start=dispatched_at)
    if deadline != check.deadline:
        schedule_check(
            order=order,
            kind=FollowUpKind.DELIVERY_CHECK,
            due_at=deadlines.next_delivery_check(deadline),
            deadline=deadline,
            now=now,
        )


def recipients_of(order: Order) -> list[tuple[str, str, str]]:
    """(number, name, role) of everyone the order was dispatched to, and the driver assigned since, once each."""
    seen, out = set(), []
    sent = (
        Message.objects.filter(order=order, kind=MessageKind.DISPATCH)
        .order_by("id")
        .values_list("to", "recipient_name", "recipient_role")
    )
    driver = order.driver
    for to, name, role in [*sent, *([(driver.phone, driver.name, "driver")] if driver else [])]:
        if to and to not in seen:
            seen.add(to)
            out.append((to, name, role))
    return out


def _text_recipients(*, order: Order, by, text: str, key: str, now) -> list[Message]:
    """Text everyone the order went to. A number the outbox refuses (no longer valid: a driver's phone changed in
    master data) does not stop the void or the correction: the agent is given a call to make, due now."""
    text, sent, unreachable = text[:MAX_SMS], [], []
    for index, (to, name, role) in enumerate(recipients_of(order)):
        outgoing = Outgoing(to=to, text=text, signature=settings.SMS_SIGNATURE, role=role, name=name)
        try:
            with transaction.atomic():
                sent.append(
                    queue_message(
                        outgoing=outgoing,
                        kind=MessageKind.OTHER,
                        order=order,
                        key=f"order-{order.pk}-{key}-{index}" if key else "",  # a correction may come again
                        created_by=by,
                        now=now,
                    )
                )
        except DomainError as exc:
            unreachable.append(f"{name or role} {to}: {exc.message}")
    if unreachable:
        with translation.override(settings.LANGUAGE_CODE):
            note = translation.gettext("Could not text, call instead and tell: %(text)s — %(who)s") % {
                "text": text,
                "who": "; ".join(unreachable),
            }
        schedule(
            kind=FollowUpKind.CALLBACK, order=order, due_at=now, deadline=now, note=note[:200], raised=True, now=now
        )
    return sent
