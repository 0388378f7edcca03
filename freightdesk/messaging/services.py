"""Writes on outbound messages: queue (inside the caller's transaction), resend, retry now, receipts."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.background import enqueue_with_transaction
from freightdesk.core.errors import DomainError
from freightdesk.core.phones import display_phone, is_mobile, normalize_phone
from freightdesk.orders.timeline import add_event

from . import sms
from .models import RECEIPT_TRANSITIONS, URGENT_KINDS, ErrorKind, Message, MessageKind, MessageState
from .quiet_hours import customer_send_at
from .tasks import enqueue_send

CUSTOMER = "customer"  # the recipient role of every SMS to a customer (quiet hours, mobiles only)

STATE_TEXT = {
    MessageState.QUEUED: "SMS to {to} queued: {text}",
    MessageState.SENT: "SMS to {to} sent",
    MessageState.DELIVERED: "SMS to {to} delivered",
    MessageState.FAILED: "SMS to {to} failed: {error}",
}


@dataclass(frozen=True)
class Outgoing:
    """One message to queue: the composed text (and template variables in template mode)."""

    to: str
    text: str
    signature: str = ""
    role: str = ""
    name: str = ""
    template_code: str = ""
    template_params: dict | list | None = None
    # A customer SMS he just asked for (a link he requested, the chat he is in) goes even in quiet hours.
    requested: bool = False


def valid_recipient(raw: str, *, who: str = "") -> str:
    """E.164 of a recipient number, or DomainError naming whose number is wrong (caught before queueing)."""
    try:
        return normalize_phone(raw)
    except ValidationError as exc:
        raise DomainError(
            "invalid_recipient",
            _("%(who)s has no valid mobile number (%(number)s): %(reason)s")
            % {"who": who or _("The recipient"), "number": raw or "—", "reason": exc.messages[0]},
            field="to",
        ) from None


def message_event(*, message: Message, state: str, at=None, error: str = "", by=None) -> None:
    """The order's timeline shows every message and each change of its delivery state."""
    if message.order_id is None:
        return
    to = display_phone(message.to)
    params = {"to": to, "role": message.recipient_role, "state": state, "text": message.text, "error": error}
    add_event(
        order=message.order,
        kind=f"sms_{state}",
        text=STATE_TEXT[state].format(**params),
        by=by,
        by_label=(message.recipient_role or "sms")[:40],
        params=params,
        changes={"message": message.pk},
        at=at,
    )


def queue_message(
    *,
    outgoing: Outgoing,
    kind: str = MessageKind.OTHER,
    order=None,
    key: str = "",
    created_by=None,
    now=None,
    replaces: Message | None = None,
) -> Message:
    """Write one outbound message row and its send task; it is sent after the surrounding transaction commits (SPEC §6
    outbox). A refused recipient raises before the message is written (a caller may go on without the SMS); the rows
    are written in the caller's transaction without a savepoint, so a failed write fails that whole transaction."""
    now = now or timezone.now()
    to = valid_recipient(outgoing.to, who=outgoing.name)
    send_at = now
    if outgoing.role == CUSTOMER:
        _refuse_landline(to, order=order, name=outgoing.name, by=created_by, now=now)
        send_at = customer_send_at(now, requested=outgoing.requested)
    length = sms.measure(outgoing.signature + outgoing.text)
    with transaction.atomic(savepoint=False):
        message = Message.objects.create(
            order=order,
            kind=kind,
            recipient_role=outgoing.role,
            recipient_name=outgoing.name[:60],
            to=to,
            text=outgoing.text,
            signature=outgoing.signature,
            template_code=outgoing.template_code,
            template_params=outgoing.template_params,
            encoding=length.encoding,
            segments=length.segments,
            idempotency_key=key or uuid.uuid4().hex,
            created_at=now,
            next_attempt_at=send_at,
            created_by=created_by,
            replaces=replaces,
        )
        message_event(message=message, state=MessageState.QUEUED, at=now, by=created_by)
        if send_at > now:
            _held_event(message, until=send_at, by=created_by, now=now)
        enqueue_with_transaction(lambda: _enqueue(message))
    return message


def _refuse_landline(to: str, *, order, name: str, by, now) -> None:
    """A customer SMS only to a mobile: a landline gets nothing, and the order's timeline says why (the refusal
    is written before raising, so a caller that goes on without the SMS keeps it)."""
    if is_mobile(to):
        return
    reason = _("%(number)s is a landline: an SMS cannot reach it, call the customer instead.") % {
        "number": display_phone(to)
    }
    if order is not None:
        params = {"to": display_phone(to)}
        add_event(
            order=order,
            kind="sms_landline",
            text=f"no SMS to {params['to']}: a landline",
            by=by,
            by_label="sms",
            params=params,
            at=now,
        )
    raise DomainError("not_mobile", reason if not name else f"{name}: {reason}", field="to")


def _held_event(message: Message, *, until, by, now) -> None:
    if message.order_id is None:
        return
    params = {"to": display_phone(message.to), "at": timezone.localtime(until).strftime("%m-%d %H:%M")}
    add_event(
        order=message.order,
        kind="sms_held",
        text=f"SMS to {params['to']} held for quiet hours until {params['at']}",
        by=by,
        by_label="sms",
        params=params,
        at=now,
    )


def _enqueue(message: Message) -> None:
    due = message.next_attempt_at
    later = due if due and due > timezone.now() else None
    enqueue_send([message.pk], urgent=message.kind in URGENT_KINDS, run_after=later)


def resend_message(*, message: Message, to: str, agent, now=None) -> Message:
    """An agent fixes the number of a failed message and sends it again (a new message, a new key)."""
    if message.state != MessageState.FAILED or message.resolved_at is not None:
        raise DomainError("not_failed", _("Only a failed message that was not resent yet can be resent."))
    now = now or timezone.now()
    outgoing = Outgoing(
        to=to,
        text=message.text,
        signature=message.signature,
        role=message.recipient_role,
        name=message.recipient_name,
        template_code=message.template_code,
        template_params=message.template_params,
    )
    with transaction.atomic():
        done = Message.objects.filter(pk=message.pk, state=MessageState.FAILED, resolved_at=None).update(
            resolved_at=now
        )
        if not done:
            raise DomainError("not_failed", _("Only a failed message that was not resent yet can be resent."))
        return queue_message(
            outgoing=outgoing, kind=message.kind, order=message.order, created_by=agent, now=now, replaces=message
        )


def retry_now(*, message: Message, now=None) -> None:
    """Try a waiting message now, e.g. after the supervisor had its number whitelisted."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, state=MessageState.QUEUED).update(next_attempt_at=now)
        if not updated:
            raise DomainError("not_queued", _("This message is no longer waiting to be sent."))
        enqueue_with_transaction(lambda: _enqueue(message))


def record_receipt(*, provider_id: str = "", key: str = "", delivered: bool, error: str = "", at=None):
    """A delivery receipt (回执) from the provider moves the message to delivered or failed; idempotent."""
    at = at or timezone.now()
    qs = Message.objects.select_related("order")
    message = None
    if key:
        message = qs.filter(idempotency_key=key).first()
    if message is None and provider_id:
        message = qs.filter(provider_message_id=provider_id).first()
    if message is None:
        return None
    target = MessageState.DELIVERED if delivered else MessageState.FAILED
    if target not in RECEIPT_TRANSITIONS[message.state]:
        return message
    fields = {"state": target, "in_flight": False}
    if delivered:
        fields["delivered_at"] = at
    else:
        fields.update(failed_at=at, error_kind=ErrorKind.PERMANENT, last_error=(error or "undelivered")[:300])
    with transaction.atomic():
        if Message.objects.filter(pk=message.pk, state=message.state).update(**fields):
            if message.sent_at is None:
                Message.objects.filter(pk=message.pk, sent_at=None).update(sent_at=at)
            message_event(message=message, state=target, at=at, error=error)
    message.refresh_from_db()
    return message
