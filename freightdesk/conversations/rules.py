"""Working time for the chat (SPEC §2: 8:30–17:30 from the working-time calendar), who is available,
the promised answer time of a website message, and quiet hours for the customer's SMS."""

import math
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core import worktime

from .models import AgentPresence, ChatSettings, Conversation, ConversationChannel, ConversationStatus, Presence

QUIET_FROM = time(21, 0)  # no SMS to a customer from 21:00 …
QUIET_UNTIL = time(8, 0)  # … to 8:00, unless he is chatting right now
CHATTING_NOW = timedelta(minutes=10)
HANDLING_MINUTES = 6  # how long a chat holds an agent's slot, until the desk has its own record
HANDLING_SAMPLE = 50  # the desk's record: its last 50 chats of the past week
HANDLING_WINDOW = timedelta(days=7)
ACTIVE = (ConversationStatus.OPEN,)


def available_agents(now: datetime):
    """Agents set available who were seen within the idle limit (otherwise they count as away)."""
    idle = timedelta(minutes=ChatSettings.current().away_after_minutes)
    return AgentPresence.objects.filter(status=Presence.AVAILABLE, last_seen_at__gte=now - idle)


def active_chats(agent) -> int:
    return Conversation.objects.filter(agent=agent, status__in=ACTIVE, channel=ConversationChannel.CHAT).count()


def at_cap(agent) -> bool:
    return active_chats(agent) >= ChatSettings.current().max_chats_per_agent


def chat_possible(now: datetime) -> bool:
    return worktime.is_working_time(now) and available_agents(now).exists()


def web_message_due(now: datetime) -> datetime:
    """A website message is answered within an hour of working time (deadline policy "web_message")."""
    return worktime.deadline_for("web_message", now)


def promised_answer(now: datetime) -> str:
    """ "明天8:30后尽快回复": when the desk opens next (now, if it is open), in the customer's words."""
    local = timezone.localtime(now)
    if worktime.is_working_time(local):
        return _("We will answer as soon as possible, within an hour.")
    opening = timezone.localtime(worktime.next_opening(local))
    days = (opening.date() - local.date()).days
    clock = f"{opening:%H:%M}".lstrip("0")
    if days == 0:
        when = _("today %(time)s") % {"time": clock}
    elif days == 1:
        when = _("tomorrow %(time)s") % {"time": clock}
    else:
        when = _("%(month)d/%(day)d %(time)s") % {"month": opening.month, "day": opening.day, "time": clock}
    return _("We are closed now; we will answer as soon as possible after %(when)s.") % {"when": when}


def queue_position(conversation: Conversation) -> int | None:
    if conversation.channel != ConversationChannel.CHAT or conversation.status != ConversationStatus.WAITING:
        return None
    return Conversation.objects.filter(
        channel=ConversationChannel.CHAT, status=ConversationStatus.WAITING, pk__lte=conversation.pk
    ).count()


def handling_minutes(now: datetime) -> float:
    """How long a chat holds an agent's slot: the mean over the desk's recent closed chats (taken to closed)."""
    spans = list(
        Conversation.objects.filter(
            channel=ConversationChannel.CHAT,
            status=ConversationStatus.CLOSED,
            created_at__gte=now - HANDLING_WINDOW,
            assigned_at__isnull=False,
        )
        .order_by("-created_at")
        .values_list("assigned_at", "closed_at")[:HANDLING_SAMPLE]
    )
    if not spans:
        return HANDLING_MINUTES
    return sum((closed - taken).total_seconds() for taken, closed in spans) / len(spans) / 60


def estimated_wait_minutes(position: int | None, now: datetime) -> int | None:
    """ "About N minutes": a slot frees every handling time / (available agents × chats each may hold), and the
    customer waits for as many slots as his place in the queue."""
    if position is None:
        return None
    slots = max(available_agents(now).count(), 1) * ChatSettings.current().max_chats_per_agent
    return max(1, math.ceil(position * handling_minutes(now) / slots))


def chatting_now(conversation: Conversation, now: datetime) -> bool:
    """The customer wrote in this conversation a moment ago: what it sends him he is waiting for."""
    return conversation.last_customer_at is not None and now - conversation.last_customer_at < CHATTING_NOW


def sms_send_at(conversation: Conversation, now: datetime) -> datetime:
    """Now, or 8:00 when it is 21:00–8:00 and the customer is not chatting right now."""
    local = timezone.localtime(now)
    if chatting_now(conversation, now) or QUIET_UNTIL <= local.time() < QUIET_FROM:
        return now
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=local.tzinfo)
