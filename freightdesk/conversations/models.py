"""Online chat and website messages (SPEC §2 在线服务, 网站留言; §8, §9): a conversation, its messages
(written before they are fanned out, so a reconnecting client asks for what it missed), the agents'
presence and the chat settings."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_TEXT = 2000


class ConversationChannel(models.TextChoices):
    CHAT = "chat", _("Online chat")  # 在线服务
    WEB_MESSAGE = "web_message", _("Web message")  # 网站留言


class ConversationStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")  # 排队 / 待回复
    OPEN = "open", _("With an agent")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Sender(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    AGENT = "agent", _("Agent")
    SYSTEM = "system", _("System")


def new_access_key() -> str:
    return secrets.token_urlsafe(24)


class Conversation(models.Model):
    channel = models.CharField(_("channel"), max_length=12, choices=ConversationChannel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.WAITING
    )
    access_key = models.CharField(max_length=40, unique=True, default=new_access_key, editable=False)
    customer_name = models.CharField(_("name"), max_length=40)
    customer_phone = models.CharField(_("phone"), max_length=20)
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    account = models.ForeignKey(
        "accounts.CustomerAccount", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="conversations"
    )
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    assigned_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    answer_due_at = models.DateTimeField(_("answer due at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    last_customer_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(_("why it was closed"), max_length=200, blank=True)
    created_order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    # The satisfaction survey's three questions (SPEC §10 table 3), 1–5.
    efficiency = models.PositiveSmallIntegerField(_("efficiency"), null=True, blank=True)
    attitude = models.PositiveSmallIntegerField(_("attitude"), null=True, blank=True)
    solution = models.PositiveSmallIntegerField(_("solution"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    # Supervisors who joined the chat beside its agent (主管介入): they write too; the agent keeps the chat.
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("supervisors who joined"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(fields=["status", "channel", "created_at"], name="conv_inbox"),
            models.Index(fields=["agent", "status"], name="conv_agent_status"),
            models.Index(fields=["customer_phone", "created_at"], name="conv_phone"),
        ]

    def __str__(self):
        return f"{self.pk} {self.customer_name}"

    @property
    def is_closed(self) -> bool:
        return self.status == ConversationStatus.CLOSED


class ConversationMessage(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    at = models.DateTimeField(default=timezone.now)
    sender = models.CharField(max_length=10, choices=Sender.choices)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agent_code = models.CharField(max_length=10, blank=True)  # 工号 at the time
    text = models.TextField(max_length=MAX_TEXT)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["conversation", "id"], name="conv_message_seq")]

    def __str__(self):
        return f"{self.conversation_id}#{self.pk}"


class Presence(models.TextChoices):
    AVAILABLE = "available", _("Available")
    AWAY = "away", _("Away")


class AgentPresence(models.Model):
    """Whether an agent takes chats: set by the agent, away after a few idle minutes (last_seen_at)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_presence")
    status = models.CharField(max_length=10, choices=Presence.choices, default=Presence.AWAY)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "last_seen_at"], name="presence_available")]


class ChatSettings(models.Model):
    """One row (admin-editable): how many chats an agent holds at once, when an idle agent counts as away."""

    max_chats_per_agent = models.PositiveSmallIntegerField(
        _("chats one agent holds at once"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    away_after_minutes = models.PositiveSmallIntegerField(
        _("idle minutes before an agent counts as away"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )

    class Meta:
        verbose_name = _("chat settings")
        verbose_name_plural = _("chat settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="chat_settings_single_row")]

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "ChatSettings":
        row = cls.objects.filter(pk=1).first()
        return row or cls(pk=1)
