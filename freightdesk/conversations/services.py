"""Writes on conversations (SPEC §2 在线服务 and 网站留言, §8 queries answered in real time or later):
open, post, take within the agent's cap, transfer, close, rate, presence. Every message is stored first,
then fanned out after the commit (fanout.py)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.accounts.identity import agent_id_of, agent_label
from freightdesk.core.errors import DomainError, NotAllowed
from freightdesk.core.phones import normalize_phone
from freightdesk.customers.selectors import customers_by_phone
from freightdesk.followups.models import FollowUpKind
from freightdesk.followups.services import close_open, schedule

from . import fanout, notify, rules
from .models import (
    MAX_TEXT,
    AgentPresence,
    ChatSettings,
    Conversation,
    ConversationChannel,
    ConversationMessage,
    ConversationStatus,
    Presence,
    Sender,
)

SCORES = range(1, 6)


class ChatInputError(DomainError):
    """A message or a request that is missing or wrong (its codes are 422 in the status table)."""


class ConversationClosed(DomainError):
    """The conversation is closed (409)."""


def clean_text(text: str, *, field: str = "text") -> str:
    """Non-empty, at most 2,000 characters (SPEC: message size capped, with a clear error)."""
    text = (text or "").strip()
    if not text:
        raise ChatInputError("required", _("Write a message."), field=field)
    if len(text) > MAX_TEXT:
        raise ChatInputError(
            "too_long",
            _("A message may have at most %(limit)d characters (this one has %(count)d).")
            % {"limit": MAX_TEXT, "count": len(text)},
            field=field,
        )
    return text


def _clean_customer(name: str, phone: str) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        raise ChatInputError("required", _("Tell us your name."), field="customer.name")
    if len(name) > 40:
        raise ChatInputError("too_long", _("The name may have at most 40 characters."), field="customer.name")
    try:
        return name, normalize_phone(phone)
    except ValidationError as exc:
        raise ChatInputError("invalid", exc.messages[0], field="customer.phone") from None


def open_conversation(*, channel: str, name: str, phone: str, text: str, order=None, account=None, now=None):
    """A customer starts a chat or leaves a website message (SPEC §2). Outside working hours, or with no
    agent available, a chat becomes a website message due by the working-time calendar, and the customer is
    told when the answer comes ("明天8:30后尽快回复")."""
    if channel not in ConversationChannel.values:
        raise ChatInputError("invalid", _("Choose chat or website message."), field="channel")
    name, phone = _clean_customer(name, phone)
    text = clean_text(text)
    now = now or timezone.now()
    if channel == ConversationChannel.CHAT and not rules.chat_possible(now):
        channel = ConversationChannel.WEB_MESSAGE
    with transaction.atomic():
        conversation = Conversation.objects.create(
            channel=channel,
            customer_name=name,
            customer_phone=phone,
            customer=account.customer if account else customers_by_phone(phone).first(),
            account=account,
            order=order,
            created_at=now,
            last_customer_at=now,
            answer_due_at=rules.web_message_due(now) if channel == ConversationChannel.WEB_MESSAGE else None,
        )
        _write(conversation, Sender.CUSTOMER, text, now=now)
        if channel == ConversationChannel.WEB_MESSAGE:
            _write(conversation, Sender.SYSTEM, rules.promised_answer(now), now=now)
            _promise_answer(conversation, text, now)
        fanout.publish_state(conversation)
    return conversation


def _promise_answer(conversation: Conversation, text: str, now) -> None:
    """A website message waiting for its answer is a promised contact: a follow-up due at the promised time,
    on the due-now board until the answer goes out."""
    summary = f"{conversation.customer_name} {conversation.customer_phone}: {text}"
    due = conversation.answer_due_at
    schedule(kind=FollowUpKind.WEB_MESSAGE, due_at=due, deadline=due, subject=conversation, note=summary, now=now)


def _answer_given(conversation: Conversation, now, *, outcome: str) -> None:
    close_open(kinds=[FollowUpKind.WEB_MESSAGE], subject=conversation, outcome=outcome, now=now)


def _new_message(conversation_id: int, sender: str, text: str, *, agent=None, now) -> ConversationMessage:
    """A transcript line, not yet saved: the agent's id (工号) as it is now is kept with it."""
    return ConversationMessage(
        conversation_id=conversation_id, sender=sender, agent=agent, agent_code=agent_id_of(agent), text=text, at=now
    )


def _write(conversation, sender: str, text: str, *, agent=None, now) -> ConversationMessage:
    message = _new_message(conversation.pk, sender, text, agent=agent, now=now)
    message.conversation = conversation
    message.save(force_insert=True)
    fanout.publish_message(message)
    return message


def _refuse_closed(conversation) -> None:
    if conversation.status == ConversationStatus.CLOSED:
        reason = conversation.close_reason or _("the conversation was closed")
        raise ConversationClosed("closed", _("This conversation is closed (%(reason)s).") % {"reason": reason})


def post_customer_message(*, conversation: Conversation, text: str, now=None) -> ConversationMessage:
    """The customer's next message. An answered website message waits for the desk again."""
    text = clean_text(text)
    now = now or timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        _refuse_closed(conversation)
        updates = {"last_customer_at": now}
        if conversation.status == ConversationStatus.ANSWERED:
            updates |= {"status": ConversationStatus.WAITING, "answer_due_at": rules.web_message_due(now)}
        Conversation.objects.filter(pk=conversation.pk).update(**updates)
        message = _write(conversation, Sender.CUSTOMER, text, now=now)
        if "status" in updates:
            conversation.status, conversation.answer_due_at = updates["status"], updates["answer_due_at"]
            _promise_answer(conversation, text, now)
            fanout.publish_state(conversation)
    return message


def _refuse_unless_agent(user) -> None:
    if not has_capability(user, Capability.ANSWER_CHATS):
        raise NotAllowed("role_not_allowed", _("Only the service desk answers conversations."))


def post_agent_message(*, conversation: Conversation, agent, text: str, now=None) -> ConversationMessage:
    """An agent answers: a waiting chat is taken first (within his cap); a website message is answered and
    the customer gets an SMS with the link back (quiet hours respected)."""
    _refuse_unless_agent(agent)
    text = clean_text(text)
    now = now or timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        _refuse_closed(conversation)
        if conversation.channel == ConversationChannel.CHAT and conversation.agent_id is None:
            _assign(conversation, agent, now)
        elif conversation.channel == ConversationChannel.CHAT:
            _refuse_not_holder(conversation, agent)
        message = _write(conversation, Sender.AGENT, text, agent=agent, now=now)
        if (
            conversation.channel == ConversationChannel.WEB_MESSAGE
            and conversation.status == ConversationStatus.WAITING
        ):
            conversation.status = ConversationStatus.ANSWERED
            conversation.answered_at = now
            conversation.agent = conversation.agent or agent
            conversation.save(update_fields=["status", "answered_at", "agent"])
            _answer_given(conversation, now, outcome="answered")
            notify.answered(conversation, now=now)
            fanout.publish_state(conversation)
    return message


def is_ordinary_post(conversation, agent=None) -> bool:
    """A message that changes nothing but the transcript (and the customer's last message time): the customer's in
    a conversation waiting or with an agent; the agent's in the chat he holds. Any other takes post_customer_message
    or post_agent_message, which also take, answer or refuse. ``conversation`` needs status, channel, agent_id."""
    if agent is None:
        return conversation.status in (ConversationStatus.WAITING, ConversationStatus.OPEN)
    return (
        conversation.channel == ConversationChannel.CHAT
        and conversation.status == ConversationStatus.OPEN
        and conversation.agent_id == agent.pk
        and has_capability(agent, Capability.ANSWER_CHATS)
    )


def post_ordinary_messages(posts: list[tuple[int, object, str]], *, now=None) -> list[ConversationMessage]:
    """Ordinary posts (is_ordinary_post) given as (conversation id, agent or None, cleaned text), stored in the
    order given with one insert, and their customers' last message time with one update: what the one-message
    services write for them. The caller holds the conversations and fans the messages out after the commit."""
    now = now or timezone.now()
    messages = ConversationMessage.objects.bulk_create(
        _new_message(pk, Sender.AGENT if agent else Sender.CUSTOMER, text, agent=agent, now=now)
        for pk, agent, text in posts
    )
    customers = {pk for pk, agent, _text in posts if agent is None}
    if customers:
        Conversation.objects.filter(pk__in=customers).update(last_customer_at=now)
    return messages


def _refuse_not_holder(conversation, agent) -> None:
    if conversation.agent_id != agent.pk and not has_capability(agent, Capability.SUPERVISE_CHATS):
        raise NotAllowed("not_yours", _("Another agent holds this chat; ask him or the supervisor to transfer it."))


def _assign(conversation, agent, now) -> None:
    if rules.at_cap(agent):
        cap = ChatSettings.current().max_chats_per_agent
        raise DomainError("at_cap", _("You already hold %(cap)d chats; close one first.") % {"cap": cap})
    conversation.agent = agent
    conversation.status = ConversationStatus.OPEN
    conversation.assigned_at = now
    conversation.save(update_fields=["agent", "status", "assigned_at"])
    _write(conversation, Sender.SYSTEM, _("Agent %(agent)s is serving you.") % {"agent": agent_id_of(agent)}, now=now)
    fanout.publish_state(conversation)


def take_conversation(*, conversation: Conversation, agent, now=None) -> Conversation:
    """An agent takes a waiting chat from the queue; at his cap he is refused (SPEC: at most N at once)."""
    _refuse_unless_agent(agent)
    now = now or timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        _refuse_closed(conversation)
        if conversation.agent_id is not None and conversation.channel == ConversationChannel.CHAT:
            if conversation.agent_id == agent.pk:
                return conversation
            if not has_capability(agent, Capability.SUPERVISE_CHATS):
                raise DomainError("taken", _("Another agent took this chat already."))
        if conversation.channel == ConversationChannel.CHAT:
            _assign(conversation, agent, now)
        else:
            conversation.agent = agent
            conversation.save(update_fields=["agent"])
            fanout.publish_state(conversation)
    return conversation


def transfer_conversation(*, conversation: Conversation, by, to, now=None) -> Conversation:
    """Hand a chat to another agent or the supervisor; the one receiving it must be under his cap."""
    _refuse_unless_agent(by)
    if not has_capability(to, Capability.ANSWER_CHATS):
        raise ChatInputError("invalid", _("Transfer to an agent or a supervisor."), field="to")
    now = now or timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        _refuse_closed(conversation)
        _refuse_not_holder(conversation, by)
        if to.pk == conversation.agent_id:
            return conversation
        if conversation.channel == ConversationChannel.CHAT and rules.at_cap(to):
            raise DomainError("at_cap", _("%(agent)s holds as many chats as allowed.") % {"agent": agent_id_of(to)})
        conversation.agent = to
        conversation.status = ConversationStatus.OPEN if conversation.channel == "chat" else conversation.status
        conversation.save(update_fields=["agent", "status"])
        text = _("Transferred to agent %(agent)s.") % {"agent": agent_label(to)}
        _write(conversation, Sender.SYSTEM, text, now=now)
        fanout.publish_state(conversation)
    return conversation


def join_conversation(*, conversation: Conversation, supervisor, now=None) -> Conversation:
    """A supervisor joins a live chat beside its agent (SPEC §2 在线服务, supervisor's view: join or take over):
    the customer and the agent see it said once; the agent keeps the chat, the supervisor can write."""
    if not has_capability(supervisor, Capability.SUPERVISE_CHATS):
        raise NotAllowed("role_not_allowed", _("Only a supervisor joins a chat."))
    now = now or timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        _refuse_closed(conversation)
        if conversation.agent_id == supervisor.pk or conversation.supervisors.filter(pk=supervisor.pk).exists():
            return conversation
        conversation.supervisors.add(supervisor)
        text = _("Supervisor %(agent)s joined the conversation.") % {"agent": agent_id_of(supervisor)}
        _write(conversation, Sender.SYSTEM, text, now=now)
    return conversation


def close_conversation(*, conversation: Conversation, by, reason: str = "", now=None) -> Conversation:
    """Close: no new messages afterwards (refused with the reason); the customer gets the transcript link."""
    _refuse_unless_agent(by)
    now = now or timezone.now()
    reason = (reason or "").strip()[:200] or _("closed by agent %(agent)s") % {"agent": agent_id_of(by)}
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        _refuse_closed(conversation)
        conversation.status = ConversationStatus.CLOSED
        conversation.closed_at = now
        conversation.close_reason = reason
        conversation.save(update_fields=["status", "closed_at", "close_reason"])
        _answer_given(conversation, now, outcome="closed")
        _write(conversation, Sender.SYSTEM, _("The conversation was closed: %(reason)s") % {"reason": reason}, now=now)
        notify.transcript(conversation, now=now)
        fanout.publish_state(conversation)
    return conversation


def rate_conversation(*, conversation: Conversation, efficiency: int, attitude: int, solution: int, now=None):
    """The satisfaction survey's three questions (SPEC §10 table 3), once, after the conversation."""
    for field, value in (("efficiency", efficiency), ("attitude", attitude), ("solution", solution)):
        if value not in SCORES:
            raise ChatInputError("invalid", _("Give a score from 1 to 5."), field=field)
    now = now or timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if conversation.rated_at is not None:
            raise DomainError("rated", _("You rated this conversation already; thank you."))
        if conversation.agent_id is None:
            raise DomainError("not_served", _("Nobody has answered yet; rate the conversation after the answer."))
        conversation.efficiency, conversation.attitude, conversation.solution = efficiency, attitude, solution
        conversation.rated_at = now
        conversation.save(update_fields=["efficiency", "attitude", "solution", "rated_at"])
    return conversation


def set_presence(*, agent, status: str | None = None, now=None) -> AgentPresence:
    """Available / away, set by the agent; every heartbeat refreshes last_seen_at (idle -> away)."""
    _refuse_unless_agent(agent)
    if status is not None and status not in Presence.values:
        raise ChatInputError("invalid", _("Choose available or away."), field="status")
    now = now or timezone.now()
    with transaction.atomic():
        presence, _created = AgentPresence.objects.get_or_create(user=agent, defaults={"last_seen_at": now})
        presence.last_seen_at = now
        if status is not None:
            presence.status = status
        presence.save()
    return presence
