"""The customer's SMS through the outbox: the answer to a website message and the transcript link, each
with the link back to the conversation; none between 21:00 and 8:00 unless he is chatting right now
(queued to 8:00: the periodic outbox drain sends it then)."""

import logging

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from freightdesk.core.errors import DomainError
from freightdesk.messaging.models import Message
from freightdesk.messaging.services import Outgoing, queue_message

from . import rules

logger = logging.getLogger(__name__)


def conversation_link(conversation) -> str:
    base = settings.FREIGHTDESK["PUBLIC_BASE_URL"].rstrip("/")
    path = reverse("conversations:customer", args=[conversation.pk])
    return f"{base}{path}?key={conversation.access_key}"


def _queue(conversation, text: str, *, purpose: str, now) -> Message | None:
    try:
        message = queue_message(
            outgoing=Outgoing(
                to=conversation.customer_phone,
                text=text,
                signature=settings.SMS_SIGNATURE,
                role="customer",
                name=conversation.customer_name,
                requested=rules.chatting_now(conversation, now),
            ),
            order=conversation.order,
            key=f"conversation-{conversation.pk}-{purpose}-{now.timestamp():.0f}",
            now=now,
        )
    except DomainError as exc:
        logger.warning("conversation %s: SMS not queued: %s", conversation.pk, exc.message)
        return None
    send_at = rules.sms_send_at(conversation, now)
    if send_at > now:
        Message.objects.filter(pk=message.pk).update(next_attempt_at=send_at)
        message.next_attempt_at = send_at
    return message


def answered(conversation, *, now) -> Message | None:
    text = _("Your message has been answered: %(link)s") % {"link": conversation_link(conversation)}
    return _queue(conversation, text, purpose="answer", now=now)


def transcript(conversation, *, now) -> Message | None:
    if not conversation.messages.filter(sender="agent").exists():
        return None
    text = _("Your conversation with our service desk: %(link)s") % {"link": conversation_link(conversation)}
    return _queue(conversation, text, purpose="transcript", now=now)
