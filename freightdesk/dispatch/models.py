"""Dispatch records (SPEC §6): who sent which order when, against its 3-minute deadline, and the call."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freightdesk.network.models import DispatchMode


class PlaceAbbreviation(models.Model):
    """A long place name and the short form the composer may use when a message is too long (rule 4)."""

    full = models.CharField(_("place name"), max_length=40, unique=True)
    short = models.CharField(_("abbreviation"), max_length=20)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("place-name abbreviation")
        verbose_name_plural = _("place-name abbreviations")
        ordering = ["full"]

    def __str__(self):
        return f"{self.full} → {self.short}"

    def clean(self):
        if self.short and self.full and len(self.short) >= len(self.full):
            raise ValidationError({"short": _("An abbreviation must be shorter than the name.")})
        if self.short and any(ch.isdigit() for ch in self.short):
            raise ValidationError({"short": _("An abbreviation may not contain digits (they read as quantities).")})


class Dispatch(models.Model):
    """An order sent to its region's recipients (传递业务单): one per order."""

    order = models.OneToOneField(
        "orders.Order", verbose_name=_("order"), on_delete=models.CASCADE, related_name="dispatch"
    )
    region = models.ForeignKey("network.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("dispatch mode"), max_length=20, choices=DispatchMode.choices)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="+"
    )
    agent_code = models.CharField(_("agent id (工号)"), max_length=4)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), default=timezone.now)
    missed = models.BooleanField(_("missed the 3 minutes"), default=False)
    text = models.CharField(_("text"), max_length=1000)
    segments = models.PositiveSmallIntegerField(_("parts"), default=1)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["-dispatched_at"]
        indexes = [
            models.Index(fields=["agent", "-dispatched_at"], name="dispatch_missed_agent", condition=Q(missed=True)),
            # The fleet manager's queue: each region's latest dispatch to its fleet manager bounds the orders read.
            models.Index(
                fields=["region", "dispatched_at"],
                name="dispatch_fleet_region",
                condition=Q(mode="fleet_manager"),
            ),
            # The dispatch compliance report's index differs by database (migration 0003_report_indexes).
        ]

    def __str__(self):
        return f"{self.order_id} @ {self.dispatched_at:%Y-%m-%d %H:%M}"


class Assignment(models.Model):
    """The fleet manager names the driver (and vehicle) who picks up a dispatched order (车管派车). A reassignment
    ends the previous row (``ended_at``) and adds a new one, so the desk sees who was assigned when."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.CASCADE, related_name="assignments"
    )
    driver = models.ForeignKey(
        "network.Driver", verbose_name=_("driver"), on_delete=models.PROTECT, related_name="assignments"
    )
    vehicle = models.ForeignKey(
        "network.Vehicle", verbose_name=_("vehicle"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("assigned at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order"], condition=Q(ended_at=None), name="assignment_one_current"),
        ]
        indexes = [models.Index(fields=["driver", "-at"], name="assignment_driver_newest")]

    def __str__(self):
        return f"{self.order_id} -> {self.driver_id}"


class CallOutcome(models.TextChoices):
    REACHED = "reached", _("Reached, confirmed")  # 已电话通知
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy")
    WRONG_NUMBER = "wrong_number", _("Wrong number")


class DispatchCall(models.Model):
    """The confirming phone call right after the SMS (SPEC §6: 短信后立即电话通知)."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="calls")
    recipient_role = models.CharField(_("recipient"), max_length=20)
    phone = models.CharField(_("phone"), max_length=20)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CallOutcome.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("confirming call")
        verbose_name_plural = _("confirming calls")
        ordering = ["at", "id"]


class DriverLink(models.Model):
    """The driver's link (SPEC §7, no password): a short unguessable token for one order, expiring. Issued with
    the dispatch (``links.issue_driver_link``); tracking reads it when the driver reports."""

    token = models.CharField(max_length=24, unique=True)
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="driver_links")
    driver = models.ForeignKey("network.Driver", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("driver link")
        verbose_name_plural = _("driver links")

    def __str__(self):
        return f"{self.order_id} ({self.expires_at:%Y-%m-%d})"
