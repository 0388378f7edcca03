"""Satisfaction surveys (SPEC §10 table 3): efficiency, attitude, solution 1–5 and a comment; one answer each."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Survey(models.Model):
    ticket = models.OneToOneField(
        "tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="survey"
    )
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.CASCADE, related_name="surveys")
    token = models.CharField(max_length=43, unique=True)
    phone = models.CharField(_("phone"), max_length=20)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    efficiency = models.PositiveSmallIntegerField(_("efficiency"), null=True, blank=True, validators=SCORE)
    attitude = models.PositiveSmallIntegerField(_("attitude"), null=True, blank=True, validators=SCORE)
    solution = models.PositiveSmallIntegerField(_("solution"), null=True, blank=True, validators=SCORE)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    follow_up = models.ForeignKey(
        "followups.FollowUp", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-sent_at"]
        indexes = [
            # The satisfaction report: the answered surveys of a period.
            models.Index(fields=["answered_at"], name="report_survey_answered", condition=Q(answered_at__isnull=False)),
        ]
        constraints = [
            # One survey per delivered order (the ticket surveys are one per ticket by their one-to-one key).
            models.UniqueConstraint(fields=["order"], condition=Q(ticket__isnull=True), name="survey_one_per_order"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True)
                | (
                    Q(efficiency__gte=1, efficiency__lte=5)
                    & Q(attitude__gte=1, attitude__lte=5)
                    & Q(solution__gte=1, solution__lte=5)
                ),
                name="survey_scores_1_to_5",
            ),
        ]

    def __str__(self):
        return f"survey {self.pk} ({self.ticket or self.order})"

    @property
    def lowest(self) -> int | None:
        scores = [s for s in (self.efficiency, self.attitude, self.solution) if s is not None]
        return min(scores) if scores else None
