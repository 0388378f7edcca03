"""Calls reported by the phone platform (SPEC §2 caller-number display, recording, transfer; §10 answer within 3 rings).

A ``Call`` is a *projection* of its ``CallEvent`` rows: every event is stored once (unique per
call, event and agent leg) and the call's fields are recomputed from the whole set, so events
that arrive twice or out of order converge to the same record (API.md "Telephony").
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    IN = "in", _("Inbound")  # 接入
    OUT = "out", _("Outbound")  # 外呼


class EventName(models.TextChoices):
    RINGING = "ringing", _("Ringing")
    ANSWERED = "answered", _("Answered")
    HANGUP = "hangup", _("Hung up")
    RECORDING = "recording", _("Recording")


class Cause(models.TextChoices):
    NORMAL = "normal", _("Normal")
    BUSY = "busy", _("Busy")
    NO_ANSWER = "no_answer", _("No answer")
    CANCELLED = "cancelled", _("Caller hung up")
    FAILED = "failed", _("Failed")


class CallState(models.TextChoices):
    RINGING = "ringing", _("Ringing")
    ANSWERED = "answered", _("In conversation")
    ENDED = "ended", _("Ended")


class Call(models.Model):
    call_id = models.CharField(_("call id"), max_length=64, unique=True)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.IN)
    state = models.CharField(_("state"), max_length=10, choices=CallState.choices, default=CallState.RINGING)
    from_number = models.CharField(_("from"), max_length=32, blank=True)
    to_number = models.CharField(_("to"), max_length=32, blank=True)
    # The customer's side in E.164 (the caller of an inbound call, the callee of an outbound one); blank if withheld.
    customer_number = models.CharField(_("customer number"), max_length=20, blank=True, db_index=True)
    queue = models.CharField(_("queue"), max_length=40, blank=True)
    agent_code = models.CharField(_("agent id"), max_length=8, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    match_count = models.PositiveSmallIntegerField(_("customers matched"), default=0)
    blocked = models.BooleanField(_("blocked number"), default=False)

    ringing_at = models.DateTimeField(_("rang at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    cause = models.CharField(_("cause"), max_length=10, choices=Cause.choices, blank=True)
    ring_seconds = models.PositiveIntegerField(_("ring seconds"), null=True, blank=True)
    talk_seconds = models.PositiveIntegerField(_("talk seconds"), null=True, blank=True)
    transfers = models.PositiveSmallIntegerField(_("transfers"), default=0)
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)

    # A missed or abandoned inbound call is owed a callback (回电): a follow-up about the call (callbacks.py).

    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [
            models.Index(fields=["agent", "-ringing_at"], name="call_agent_recent"),
            models.Index(fields=["ringing_at"], name="call_ringing_at"),
        ]

    def __str__(self):
        return self.call_id

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class CallEvent(models.Model):
    """One event as the platform sent it; stored once per (call, event, agent leg)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(_("event"), max_length=10, choices=EventName.choices)
    # A transfer rings (and may be answered by) a second agent: each agent's leg is its own event.
    agent_code = models.CharField(_("agent id"), max_length=8, blank=True)
    at = models.DateTimeField(_("at"))
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "event", "agent_code"], name="callevent_once"),
        ]
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.call_id} {self.event} {self.agent_code}"


class BlockedNumber(models.Model):
    """Nuisance callers (SPEC §11 无聊电话): their calls are logged but never become callbacks."""

    number = models.CharField(_("number"), max_length=20, unique=True, help_text=_("E.164, e.g. +8613800138000"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("blocked number")
        verbose_name_plural = _("blocked numbers")

    def __str__(self):
        return self.number


class DialRequest(models.Model):
    """Click-to-call (SPEC §2 外呼): the agent clicked "dial"; the AMI bridge claims the request and sends Asterisk
    an ``Originate`` that rings the agent's extension, then the number. Taken only while fresh: a click a minute
    old must not ring anybody."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agent_code = models.CharField(_("agent id"), max_length=8)
    number = models.CharField(_("number"), max_length=20)  # E.164
    reference = models.CharField(_("for"), max_length=40, blank=True)  # what the call is about, e.g. outbound:12
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("sent to the PBX at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("answered by the PBX at"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, blank=True)  # ok, failed, expired
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dial request")
        verbose_name_plural = _("dial requests")
        indexes = [
            models.Index(
                fields=["created_at"], name="dial_request_pending", condition=models.Q(claimed_at__isnull=True)
            )
        ]

    def __str__(self):
        return f"{self.agent_code} -> {self.number}"
