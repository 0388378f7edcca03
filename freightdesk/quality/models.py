"""Call review (SPEC §11; 001 第五篇): five stages and an observation checklist, scored by a supervisor."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .checklist import Mode

SCORE = [MinValueValidator(1), MaxValueValidator(5)]
# The five stages of a call, each scored 1–5 (问候, 进入, 转化, 达成协议, 结束).
STAGES = ("greeting", "entry", "transformation", "agreement", "closing")


class CallReview(models.Model):
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="call_reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    call_ref = models.CharField(_("call id / recording"), max_length=120, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)
    greeting = models.PositiveSmallIntegerField(_("greeting"), validators=SCORE)  # 问候
    entry = models.PositiveSmallIntegerField(_("entry"), validators=SCORE)  # 进入：描述问题、表明立场
    transformation = models.PositiveSmallIntegerField(_("transformation"), validators=SCORE)  # 转化
    agreement = models.PositiveSmallIntegerField(_("agreement"), validators=SCORE)  # 达成协议
    closing = models.PositiveSmallIntegerField(_("closing"), validators=SCORE)  # 结束
    mode = models.CharField(_("service observed"), max_length=12, choices=Mode.choices, default=Mode.PHONE)
    # item key -> True (met) / False (not met); an item that did not arise in the call is left out
    checklist = models.JSONField(_("observation checklist"), default=dict, blank=True)
    observation_rate = models.DecimalField(
        _("observation items met (percent)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    comments = models.TextField(_("comments"), blank=True, max_length=2000)
    average = models.DecimalField(_("average"), max_digits=3, decimal_places=2)  # of the five stages

    class Meta:
        verbose_name = _("call review")
        verbose_name_plural = _("call reviews")
        ordering = ["-reviewed_at"]
        indexes = [
            models.Index(fields=["agent", "-reviewed_at"], name="review_agent_newest"),
            # The call reviews report, read from the index alone.
            models.Index(fields=["reviewed_at", "agent", "id"], name="report_callreview_period"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    greeting__range=(1, 5),
                    entry__range=(1, 5),
                    transformation__range=(1, 5),
                    agreement__range=(1, 5),
                    closing__range=(1, 5),
                ),
                name="review_scores_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(observation_rate__isnull=True) | models.Q(observation_rate__range=(0, 100)),
                name="review_observation_rate_0_to_100",
            ),
        ]
