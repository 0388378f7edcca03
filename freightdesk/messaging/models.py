"""Outbound messages (a transactional outbox) and their editable templates (SPEC §6, §7, §9)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import template_cache, templating


class MessageState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


# A receipt may move a message forward only; delivered and failed are final.
RECEIPT_TRANSITIONS = {
    MessageState.QUEUED: {MessageState.SENT, MessageState.DELIVERED, MessageState.FAILED},
    MessageState.SENT: {MessageState.DELIVERED, MessageState.FAILED},
    MessageState.DELIVERED: set(),
    MessageState.FAILED: set(),
}


class ErrorKind(models.TextChoices):
    NONE = "", _("None")
    TRANSIENT = "transient", _("Gateway error, retrying")  # timeout, 5xx, garbage
    RATE_LIMITED = "rate_limited", _("Daily cap of the number reached, retrying")  # 天级流控
    PERMANENT = "permanent", _("Refused by the gateway")  # bad number, unapproved template


class MessageKind(models.TextChoices):
    DISPATCH = "dispatch", _("Dispatch")  # 派单
    URGE = "urge", _("Urge")  # 催提货
    ESCALATION = "escalation", _("Escalation")  # 超时效
    DRIVER_LINK = "driver_link", _("Driver link")  # 司机上报链接, right after the dispatch SMS
    SURVEY = "survey", _("Satisfaction survey")  # 满意度调查 link, after a delivery or a closed ticket
    EMERGENCY = "emergency", _("Emergency page")  # supervisors paged for an emergency ticket
    CRISIS = "crisis", _("Crisis page")  # management paged for a crisis
    BREACH = "breach", _("Deadline breach")  # a ticket past its SLA, escalated
    OTHER = "other", _("Other")


# Dispatch SMS: claimed first, retried within seconds, on their own task queue (the 3-minute dispatch rule).
URGENT_KINDS = (MessageKind.DISPATCH, MessageKind.DRIVER_LINK)


def driver_page_prefix() -> str:
    """The path of the driver's page up to its token: ``/tracking/d/``."""
    from django.urls import reverse

    return reverse("tracking:driver", args=["TOKEN"]).rsplit("TOKEN", 1)[0]


class MessageTemplate(models.Model):
    """An editable SMS template. ``body`` is the free-text form; the Aliyun and Tencent forms are
    the templates the company registered with each provider (approved text, variables filled)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    body = models.CharField(_("free-text template"), max_length=300, help_text=_("Variables as {serial}."))
    aliyun_template_code = models.CharField(_("Aliyun template code"), max_length=40, blank=True)
    aliyun_body = models.CharField(
        _("Aliyun template text"), max_length=300, blank=True, help_text=_("As approved, variables as ${serial}.")
    )
    tencent_template_id = models.CharField(_("Tencent template id"), max_length=40, blank=True)
    tencent_body = models.CharField(
        _("Tencent template text"), max_length=300, blank=True, help_text=_("As approved, variables as {1}, {2}…")
    )
    tencent_params = models.CharField(
        _("Tencent variable fields"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated field names filling {1}, {2}, … in order."),
    )
    tencent_param_max = models.PositiveSmallIntegerField(
        _("Tencent per-variable length limit"), default=0, help_text=_("0 = no limit (depends on the account).")
    )

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code}: {self.name}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        template_cache.templates_changed()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        template_cache.templates_changed()
        return result

    def clean(self):
        errors = {}
        checks = [
            ("body", lambda: templating.parse_free(self.body)),
            ("aliyun_body", lambda: self.aliyun_body and templating.parse_aliyun(self.aliyun_body)),
            (
                "tencent_body",
                lambda: (
                    self.tencent_body
                    and templating.parse_tencent(self.tencent_body, templating.split_names(self.tencent_params))
                ),
            ),
        ]
        for field, check in checks:
            try:
                parsed = check()
                if parsed:
                    templating.check_token_address(parsed, driver_page_prefix())
            except templating.TemplateSyntaxError as exc:
                errors[field] = str(exc)
        if self.aliyun_body and not self.aliyun_template_code:
            errors["aliyun_template_code"] = _("Enter the template code Aliyun approved for this text.")
        if self.tencent_body and not self.tencent_template_id:
            errors["tencent_template_id"] = _("Enter the template id Tencent approved for this text.")
        if errors:
            raise ValidationError(errors)

    def parsed(self, syntax: str) -> templating.Template:
        if syntax == templating.ALIYUN:
            return templating.parse_cached(syntax, self.aliyun_body)
        if syntax == templating.TENCENT:
            return templating.parse_cached(syntax, self.tencent_body, self.tencent_params)
        return templating.parse_cached(templating.FREE, self.body)

    def provider_code(self, syntax: str) -> str:
        return {templating.ALIYUN: self.aliyun_template_code, templating.TENCENT: self.tencent_template_id}.get(
            syntax, ""
        )


class Message(models.Model):
    """One outbound SMS to one number. Written in the same transaction as the business action
    (the dispatch), sent by the worker, at most once: ``idempotency_key`` goes to the provider
    as its out-id / idempotency key, and a send interrupted before it was marked is looked up
    at the provider before it is tried again."""

    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MessageKind.choices, default=MessageKind.OTHER)
    recipient_role = models.CharField(_("recipient role"), max_length=20, blank=True)
    recipient_name = models.CharField(_("recipient"), max_length=60, blank=True)
    to = models.CharField(_("to"), max_length=20, help_text=_("E.164, e.g. +8613800138000"))
    text = models.CharField(_("text"), max_length=1000)
    signature = models.CharField(_("signature"), max_length=20, blank=True)
    template_code = models.CharField(_("provider template"), max_length=40, blank=True)
    template_params = models.JSONField(_("template variables"), null=True, blank=True)
    encoding = models.CharField(_("encoding"), max_length=8, default="UCS-2")
    segments = models.PositiveSmallIntegerField(_("parts"), default=1, validators=[MinValueValidator(1)])

    state = models.CharField(_("state"), max_length=10, choices=MessageState.choices, default=MessageState.QUEUED)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    backend = models.CharField(_("gateway"), max_length=20, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=80, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    claim = models.CharField(max_length=32, blank=True, editable=False)
    in_flight = models.BooleanField(
        default=False, editable=False, help_text="A send was started and its outcome is not known yet."
    )
    first_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the first send started: a look-up by idempotency key reads the provider's records from here.",
    )
    lookup_cursor = models.CharField(
        max_length=40,
        blank=True,
        editable=False,
        help_text="How far the provider's records were read for this message since its last send (resumes there).",
    )
    error_kind = models.CharField(_("error"), max_length=12, choices=ErrorKind.choices, blank=True, default="")
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("resend of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replacements",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["next_attempt_at", "id"], name="message_due", condition=Q(state="queued")),
            models.Index(fields=["order", "created_at"], name="message_order"),
            models.Index(fields=["failed_at"], name="message_failed", condition=Q(state="failed", resolved_at=None)),
            # the dispatch SMS not gone out, oldest first: the "phone the recipient" list of the dispatch page and board
            models.Index(
                fields=["created_at", "id"],
                name="message_dispatch_unsent",
                condition=Q(state="queued", kind="dispatch"),
            ),
        ]

    def __str__(self):
        return f"{self.to}: {self.text[:20]}"
