"""Follow-ups (跟踪/回电): every promised or scheduled contact in one table — the pickup and delivery checks of a
dispatched order, an exception to chase, a callback promised on an order or on a ticket (SPEC §7, §8, §10).

A row has its kind, the time it falls due (the scheduler runs it then; the board shows it), the deadline it checks
or the time promised, a state, and what it is about: the order (when there is one) and the subject (a ticket, a
customer's query, …) as a generic reference, so this app sits just above ``orders`` and knows no app above it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FollowUpKind(models.TextChoices):
    PICKUP_CHECK = "pickup_check", _("Pickup check")  # 提货跟踪
    DELIVERY_CHECK = "delivery_check", _("Delivery check")  # 配送超时效跟踪
    EXCEPTION = "exception", _("Exception reported")
    CALLBACK = "callback", _("Promised callback")  # 承诺回电 (on an order, after a customer's query)
    TICKET_CALLBACK = "ticket_callback", _("Promised callback (ticket)")
    OUTBOUND_CALL = "outbound_call", _("Outbound call")  # 外呼: an item of a call list, worked by its agent
    MISSED_CALL = "missed_call", _("Missed call: call back")  # 回电: a missed or abandoned inbound call
    WEB_MESSAGE = "web_message", _("Website message: answer")  # 网站留言, answered by its promised time


# The kinds an order has at most one of open at a time (a callback may be promised again and again).
CHECK_KINDS = (FollowUpKind.PICKUP_CHECK, FollowUpKind.DELIVERY_CHECK, FollowUpKind.EXCEPTION)
CALLBACK_KINDS = (FollowUpKind.CALLBACK, FollowUpKind.TICKET_CALLBACK)
# Worked from the agent's own outbound queue, never from the due-now board.
QUEUE_KINDS = (FollowUpKind.OUTBOUND_CALL,)


class FollowUpState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")  # waiting for its due time
    RAISED = "raised", _("Due: on the board")  # it ran and found the work not done
    DONE = "done", _("Done")  # closed: work found done, or someone acted


OPEN_FOLLOWUP = (FollowUpState.SCHEDULED, FollowUpState.RAISED)


class FollowUp(models.Model):
    """A promised or scheduled contact: a row with its due time, a deferred task, and the sweep behind it."""

    kind = models.CharField(_("kind"), max_length=20, choices=FollowUpKind.choices)
    state = models.CharField(_("state"), max_length=10, choices=FollowUpState.choices, default=FollowUpState.SCHEDULED)
    due_at = models.DateTimeField(_("due at"))
    deadline = models.DateTimeField(_("deadline checked"), null=True, blank=True)
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.CASCADE, related_name="followups")
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    owner = models.CharField(_("owner"), max_length=20, blank=True)  # the group that works it, when not the desk
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_at", "id"]
        # Partial on the open rows (closed_at IS NULL: a condition without a bound parameter, which SQLite
        # matches against the queries' own terms): the sweep and the board are one range scan each.
        indexes = [
            models.Index(fields=["due_at", "id"], name="followups_open_due", condition=Q(closed_at__isnull=True)),
            models.Index(
                fields=["kind", "due_at", "id"], name="followups_open_kind_due", condition=Q(closed_at__isnull=True)
            ),
            models.Index(fields=["order", "kind"], name="followups_order_kind"),
            models.Index(fields=["subject_type", "subject_id"], name="followups_subject"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind"],
                condition=Q(closed_at__isnull=True, kind__in=["pickup_check", "delivery_check", "exception"]),
                name="followups_one_open_check",
            ),
            models.CheckConstraint(
                condition=Q(state="done", closed_at__isnull=False) | Q(~Q(state="done"), closed_at__isnull=True),
                name="followups_closed_when_done",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.order_id or ''} @ {self.due_at:%Y-%m-%d %H:%M}"
