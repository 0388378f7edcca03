"""Read queries over outbound messages, for the failed-messages page, the order page and the API."""

from datetime import timedelta

from django.db.models import Exists, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core.phones import display_phone

from .models import ErrorKind, Message, MessageKind, MessageState

STUCK_ATTEMPTS = 3
PHONE_AFTER = timedelta(seconds=60)


def messages_for_order(order) -> QuerySet[Message]:
    """Every message of an order, oldest first (API: GET /api/v1/messages?order=)."""
    return Message.objects.filter(order=order).order_by("created_at", "id")


def message_as_dict(message: Message) -> dict:
    """The API's shape of a message (API.md: to, role, text, segments, state)."""
    return {
        "id": message.pk,
        "to": message.to,
        "role": message.recipient_role,
        "text": message.text,
        "signature": message.signature,
        "segments": message.segments,
        "state": message.state,
        "attempts": message.attempts,
        "error": message.last_error,
        "created_at": message.created_at,
        "sent_at": message.sent_at,
        "delivered_at": message.delivered_at,
        "failed_at": message.failed_at,
    }


def failed_messages() -> QuerySet[Message]:
    """Permanent failures no agent has resent yet."""
    return (
        Message.objects.filter(state=MessageState.FAILED, resolved_at=None)
        .select_related("order")
        .order_by("-failed_at", "-id")
    )


def waiting_messages() -> QuerySet[Message]:
    """Queued messages the gateway keeps refusing: daily caps (number to whitelist) and repeated errors."""
    return (
        Message.objects.filter(state=MessageState.QUEUED)
        .filter(Q(error_kind=ErrorKind.RATE_LIMITED) | Q(attempts__gte=STUCK_ATTEMPTS))
        .select_related("order")
        .order_by("next_attempt_at", "id")
    )


def dispatch_sms_to_phone(*, now=None, order=None) -> QuerySet[Message]:
    """Dispatch SMS still not sent a minute after the dispatch while the gateway is failing: the agent phones the
    recipient instead (SPEC §6, 电话方式为辅: the phone is the fallback). Failing means this SMS got an error, is in
    flight or held by a worker without an outcome (one a dead worker claimed), or the gateway is failing other
    messages now (this one waits behind their retries). Oldest first; each with its order; read from the
    ``message_dispatch_unsent`` index. They keep being retried; a sent one drops off."""
    now = now or timezone.now()
    gateway_failing = Message.objects.filter(state=MessageState.QUEUED, error_kind=ErrorKind.TRANSIENT)
    qs = Message.objects.filter(
        state=MessageState.QUEUED, kind=MessageKind.DISPATCH, created_at__lte=now - PHONE_AFTER
    ).filter(~Q(error_kind="") | Q(in_flight=True) | ~Q(claim="") | Exists(gateway_failing))
    if order is not None:
        qs = qs.filter(order=order)
    return qs.select_related("order").order_by("created_at", "id")


def numbers_to_whitelist() -> list[str]:
    rows = Message.objects.filter(state=MessageState.QUEUED, error_kind=ErrorKind.RATE_LIMITED)
    return sorted({display_phone(n) for n in rows.values_list("to", flat=True)})


def access_message_for(user, pk: int) -> Message:
    """Messages are the desk's: staff may see them, nobody else."""
    if not has_capability(user, Capability.VIEW_ALL_ORDERS):
        raise Http404
    message = Message.objects.select_related("order").filter(pk=pk).first()
    if message is None:
        raise Http404
    return message
