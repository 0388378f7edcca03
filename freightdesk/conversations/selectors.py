"""Reads on conversations: by the customer's key (404 on a wrong one, never a hint), by staff, the
messages after a given id (what a reconnecting client missed), the agents' inbox, the caller context."""

import secrets
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.customers.selectors import customers_by_phone
from freightdesk.orders.models import Order
from freightdesk.tickets.models import PENDING_STATUSES, Ticket

from .models import Conversation, ConversationChannel, ConversationMessage, ConversationStatus

LIVE = (ConversationStatus.WAITING, ConversationStatus.OPEN)
PAGE = 200
# a resume also sends what was written this long before the client's last message (see messages_after)
RESUME_OVERLAP = timedelta(seconds=10)


def conversation_by_key(pk, key: str) -> Conversation:
    """The customer's way in: the id and the access key; any mismatch is the same 404."""
    try:
        conversation = Conversation.objects.select_related("agent__profile").get(pk=int(pk))
    except (Conversation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not secrets.compare_digest(conversation.access_key.encode(), (key or "").encode()):
        raise Http404
    return conversation


def conversation_for_account(pk, account) -> Conversation:
    """A customer account reads its own conversations without the key; another's is 404."""
    if account is None:
        raise Http404
    conversation = Conversation.objects.filter(pk=pk, account=account).first()
    if conversation is None:
        raise Http404
    return conversation


def conversation_for_staff(user, pk) -> Conversation:
    if not has_capability(user, Capability.ANSWER_CHATS):
        raise Http404
    conversation = Conversation.objects.select_related("agent__profile", "order", "ticket").filter(pk=pk).first()
    if conversation is None:
        raise Http404
    return conversation


def messages_after(conversation_id: int, after: int = 0, *, limit: int = PAGE) -> list[ConversationMessage]:
    """Oldest first: those with an id above ``after`` (0: from the start), and those written up to
    ``RESUME_OVERLAP`` before message ``after``. Ids follow commit order, but with several server processes each
    publishes its own messages live, so a client can receive another process's newer message before this one's
    older one; resuming from the newer id alone would skip the older. The clients keep one message per id."""
    messages = ConversationMessage.objects.filter(conversation_id=conversation_id)
    anchor = messages.filter(id=after).values_list("at", flat=True).first() if after else None
    if anchor is not None:
        messages = messages.filter(Q(id__gt=after) | Q(at__gte=anchor - RESUME_OVERLAP))
    else:
        messages = messages.filter(id__gt=after)
    return list(messages.order_by("id")[:limit])


def waiting_chats() -> QuerySet[Conversation]:
    return Conversation.objects.filter(channel=ConversationChannel.CHAT, status=ConversationStatus.WAITING).order_by(
        "created_at", "id"
    )


def my_chats(agent) -> QuerySet[Conversation]:
    return Conversation.objects.filter(agent=agent, status=ConversationStatus.OPEN).order_by("assigned_at", "id")


def web_messages_due() -> QuerySet[Conversation]:
    return Conversation.objects.filter(
        channel=ConversationChannel.WEB_MESSAGE, status=ConversationStatus.WAITING
    ).order_by("answer_due_at", "id")


def web_messages_overdue(now: datetime) -> QuerySet[Conversation]:
    return web_messages_due().filter(answer_due_at__lte=now)


def live_chats() -> QuerySet[Conversation]:
    """The supervisor's view: every live chat, who is on it."""
    return (
        Conversation.objects.filter(channel=ConversationChannel.CHAT, status__in=LIVE)
        .select_related("agent__profile")
        .annotate(count=Count("messages"))
        .order_by("created_at", "id")
    )


def caller_context(phone: str) -> dict:
    """What the phone pop shows for the chat's number: the customer, recent orders, open tickets."""
    customers = list(customers_by_phone(phone)[:10]) if phone else []
    customer = customers[0] if len(customers) == 1 else None
    context = {"customers": customers, "customer": customer, "orders": [], "tickets": []}
    if customer is None:
        return context
    context["orders"] = list(
        Order.objects.filter(Q(shipper=customer) | Q(consignee=customer))
        .only("serial", "status", "created_at", "goods_name", "delivery_address")
        .order_by("-created_at", "-id")[:5]
    )
    context["tickets"] = list(
        Ticket.objects.filter(customer=customer, status__in=PENDING_STATUSES)
        .only("number", "status", "category", "due_at")
        .order_by("-created_at")[:5]
    )
    return context
