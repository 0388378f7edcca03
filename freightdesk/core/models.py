from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SerialCounter(models.Model):
    """The last sequence number handed out for a scope (e.g. "order") in a period (e.g. "261123")."""

    scope = models.CharField(_("scope"), max_length=20)
    period = models.CharField(_("period"), max_length=12)
    value = models.PositiveIntegerField(_("last value"), default=0)

    class Meta:
        verbose_name = _("serial counter")
        verbose_name_plural = _("serial counters")
        constraints = [models.UniqueConstraint(fields=["scope", "period"], name="uniq_serial_counter")]

    def __str__(self):
        return f"{self.scope}/{self.period}={self.value}"


class DeadlineBasis(models.TextChoices):
    WORKING = "working", _("working time")
    CLOCK = "clock", _("clock time")


class DeadlinePolicy(models.Model):
    """A deadline rule as data (时效标准), read by ``core.worktime.deadline_for(code, start)``."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Used by the program, e.g. review, dispatch, pickup, callback."),
    )
    name = models.CharField(_("name"), max_length=100)
    minutes = models.PositiveIntegerField(_("minutes"))
    basis = models.CharField(
        _("counted in"), max_length=10, choices=DeadlineBasis.choices, default=DeadlineBasis.WORKING
    )
    due_at_opening_when_closed = models.BooleanField(
        _("due at the next opening when started outside working hours"),
        default=False,
        help_text=_("E.g. a web order placed at night is due for review when the desk opens (8:30)."),
    )

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class WorkingDayOverride(models.Model):
    """One date whose working hours differ from the holiday library and the weekday rule.

    An extra shift on a Saturday, a day off, or — for a year the holiday library does not
    know yet — the State Council's schedule (法定节假日与调休) entered by hand, each of those
    rows marked ``official_schedule``.
    """

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"), default=True)
    opens_at = models.TimeField(
        _("opens at"), null=True, blank=True, help_text=_("Empty: the usual opening time (8:30).")
    )
    closes_at = models.TimeField(
        _("closes at"), null=True, blank=True, help_text=_("Empty: the usual closing time (17:30).")
    )
    official_schedule = models.BooleanField(
        _("part of the official holiday schedule"),
        default=False,
        help_text=_(
            "Tick when entering a year's statutory holidays and adjusted working days by hand; "
            "the warning about that year then disappears."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("working day override")
        verbose_name_plural = _("working day overrides")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(opens_at__lt=models.F("closes_at")),
                name="working_day_override_opens_before_closes",
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {'open' if self.is_working else 'closed'}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.is_working and (self.opens_at or self.closes_at):
            raise ValidationError(_("A closed day has no opening hours; clear them or tick “working day”."))
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError({"closes_at": _("The closing time must be after the opening time.")})


class RateCount(models.Model):
    """One client's count in the current window of a rate limit, when the cache is the database
    (``core.ratelimit``): counted by one upsert, so concurrent requests never under-count."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.FloatField(db_index=True, help_text="Epoch seconds: compared inside one SQL statement.")

    def __str__(self):
        return f"{self.key}={self.count}"


class IdempotencyRecord(models.Model):
    """The first result of a creating POST sent with an `Idempotency-Key` (API.md conventions).

    The row is inserted in the same transaction as what the request creates, so the unique
    (user, key) constraint lets only one of two concurrent requests create anything; the other
    replays this row's status and body.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=255)
    request_hash = models.CharField(_("request hash"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"))
    response_body = models.JSONField(_("response body"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        db_table = "api_idempotencyrecord"  # the table keeps the name it was created with
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="uniq_idempotency_user_key")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"


class HistoryEvent(models.Model):
    """One append-only line of something's history (an order's, a ticket's): who (the user, and the label
    written at the time: agent id, driver name), when, what (kind, text), before -> after (changes).
    A concrete history adds the row it belongs to and its own index."""

    at = models.DateTimeField(_("at"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=30)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_label = models.CharField(_("by"), max_length=40, blank=True)
    text = models.CharField(_("text"), max_length=500, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
