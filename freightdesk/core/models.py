from django.db import models
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
