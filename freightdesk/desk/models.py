"""What the desk writes of its own: a row set aside from the due-now board, with the reason (a follow-up whose work
is moot, a missed call that needs no callback) — who, when, why, kept for the supervisors."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Dismissal(models.Model):
    kind = models.CharField(_("kind"), max_length=20)  # the board row's kind: pickup_check, missed_call, …
    ref = models.PositiveBigIntegerField(_("row"))  # the follow-up's or the call's id
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("dismissed board row")
        verbose_name_plural = _("dismissed board rows")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["at"], name="desk_dismissal_at")]

    def __str__(self):
        return f"{self.kind} {self.ref}: {self.reason}"
