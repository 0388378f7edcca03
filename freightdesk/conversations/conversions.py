"""What a conversation becomes (SPEC §8, §9: everything is recorded per order): an order (channel chat,
into the review queue), a ticket (complaint, suggestion, query) that links the transcript, or a query
recorded on an order. The transcript lands on the order's and the ticket's timeline."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.identity import agent_id_of
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Channel
from freightdesk.orders.timeline import add_event as add_order_event
from freightdesk.tickets.events import record_event
from freightdesk.tickets.models import TicketChannel
from freightdesk.tickets.services import open_ticket

from . import fanout
from .models import Conversation, ConversationMessage, Sender
from .services import _refuse_unless_agent, _write

TRANSCRIPT_CHARS = 480
QUERY_TEXT = 300


def transcript_text(conversation: Conversation) -> str:
    """The conversation in a few lines (the full one stays on its page): who said what."""
    lines = []
    for m in ConversationMessage.objects.filter(conversation=conversation).exclude(sender=Sender.SYSTEM):
        who = conversation.customer_name if m.sender == Sender.CUSTOMER else (m.agent_code or _("Agent"))
        lines.append(f"{who}: {m.text}")
    text = "\n".join(lines)
    return text if len(text) <= TRANSCRIPT_CHARS else text[: TRANSCRIPT_CHARS - 1] + "…"


def _on_order_timeline(order, conversation, agent, now) -> None:
    add_order_event(
        order=order,
        kind="chat_transcript",
        text=transcript_text(conversation),
        by=agent,
        by_label=agent_id_of(agent),
        at=now,
        params={
            "conversation": conversation.pk,
            "channel": conversation.channel,
            "text": transcript_text(conversation),
        },
    )


def to_order(*, conversation: Conversation, agent, data: dict, now=None):
    """An order taken in the chat: channel chat, status submitted, into the review queue (SPEC §5)."""
    _refuse_unless_agent(agent)
    now = now or timezone.now()
    with transaction.atomic():
        intake = take_order(data=data, channel=Channel.CHAT, agent=agent, intake_key=f"chat-{conversation.pk}", now=now)
        order = intake.order
        Conversation.objects.filter(pk=conversation.pk).update(created_order=order, order=conversation.order or order)
        if intake.created:
            _on_order_timeline(order, conversation, agent, now)
            _write(
                conversation, Sender.SYSTEM, _("Your order %(serial)s is placed.") % {"serial": order.serial}, now=now
            )
    return order


def to_ticket(
    *, conversation: Conversation, agent, category: str, subcategory: str, description: str, demand: str = "", now=None
):
    """A complaint, suggestion or query from the conversation: a ticket whose history holds the transcript."""
    _refuse_unless_agent(agent)
    now = now or timezone.now()
    channel = TicketChannel.CHAT if conversation.channel == "chat" else TicketChannel.WEB_MESSAGE
    with transaction.atomic():
        ticket = open_ticket(
            by=agent,
            category=category,
            subcategory=subcategory,
            channel=channel,
            description=description,
            demand=demand,
            order=conversation.order,
            customer_name=conversation.customer_name,
            customer_phone=conversation.customer_phone,
            now=now,
        )
        record_event(
            ticket=ticket,
            kind="transcript",
            by=agent,
            text=transcript_text(conversation),
            changes={"conversation": conversation.pk},
            at=now,
        )
        Conversation.objects.filter(pk=conversation.pk).update(ticket=ticket)
        if conversation.order_id:
            _on_order_timeline(conversation.order, conversation, agent, now)
        _write(conversation, Sender.SYSTEM, _("Recorded as %(number)s.") % {"number": ticket.number}, now=now)
        fanout.publish_state(conversation)
    return ticket


def record_query(*, conversation: Conversation, agent, order, question: str, answer: str = "", now=None) -> None:
    """A query about shipped goods is recorded on that order, whatever the result (SPEC §8)."""
    _refuse_unless_agent(agent)
    now = now or timezone.now()
    with transaction.atomic():
        add_order_event(
            order=order,
            kind="chat_query",
            text=f"{question[:QUERY_TEXT]} — {answer[:QUERY_TEXT]}",
            by=agent,
            by_label=agent_id_of(agent),
            at=now,
            params={"conversation": conversation.pk, "question": question[:QUERY_TEXT], "answer": answer[:QUERY_TEXT]},
        )
        if conversation.order_id is None:
            Conversation.objects.filter(pk=conversation.pk).update(order=order)
