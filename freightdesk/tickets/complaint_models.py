"""The complaint rules as data (SPEC §9; 001 第一篇 step 7, 第二篇 severity classes), edited in the admin:
when a complaint's severity rises, what share of performance pay a loss or a handling delay costs, who heads each
department, and the penalties charged (one row per person and kind, what the monthly penalty report reads)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PERCENT = [MaxValueValidator(100)]


def department_choices():
    """The ticket's departments (read late: ``tickets.models`` imports this module)."""
    from .models import Department

    return Department.choices


def raised_severity_choices():
    """The severities a rule raises to: above class 1."""
    from .models import Severity

    return [(value, label) for value, label in Severity.choices if value != Severity.CLASS_1]


class SeverityTrigger(models.TextChoices):
    OPENED = "opened", _("Opened in this category")  # 开单即判定：安全、受伤
    LOW_SURVEY = "low_survey", _("Low satisfaction survey")  # 处理后顾客仍不满意
    ASKS_MANAGEMENT = "asks_management", _("Customer asks for management")  # 要求管理部门出面
    REOPENED = "reopened", _("Reopened")  # 未能使顾客满意，重新处理


class SeverityRule(models.Model):
    """One way a ticket's severity rises on its own (001 第二篇: 二类抱怨). A rule only ever raises: a ticket already
    at or above ``raise_to`` is left as it is. Empty category or sub-category: any."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    trigger = models.CharField(_("when"), max_length=20, choices=SeverityTrigger.choices)
    category = models.CharField(_("category"), max_length=12, blank=True, help_text=_("Empty: any category."))
    subcategory = models.SlugField(_("sub-category"), max_length=30, blank=True)
    raise_to = models.CharField(_("raise to"), max_length=8, choices=raised_severity_choices, default="class2")
    score_at_most = models.PositiveSmallIntegerField(
        _("lowest survey score at most"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(5)],
        help_text=_("Low satisfaction survey: the rule fires when any of the three scores is at or below this."),
    )
    keywords = models.CharField(
        _("keywords in the customer's demand"),
        max_length=200,
        blank=True,
        help_text=_("Customer asks for management: words (separated by commas) that say so, e.g. 经理,领导,管理层."),
    )
    reason = models.CharField(_("reason written on the ticket's history"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("severity rule")
        verbose_name_plural = _("severity rules")
        ordering = ["trigger", "category", "subcategory", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(trigger="low_survey") | Q(score_at_most__isnull=False),
                name="severity_rule_survey_needs_score",
            ),
        ]

    def __str__(self):
        return f"{self.get_trigger_display()} → {self.raise_to}: {self.reason}"

    def clean(self):
        if self.trigger == SeverityTrigger.LOW_SURVEY and self.score_at_most is None:
            raise ValidationError({"score_at_most": _("Say which score counts as low.")})

    def keyword_list(self) -> list[str]:
        return [w.strip() for w in self.keywords.replace("，", ",").split(",") if w.strip()]


class LossPenaltyBand(models.Model):
    """A loss band (损失大小) and the share of performance pay it costs the person responsible and, when the
    department is responsible, its head (001 第一篇 step 7). The band of a loss is the one with the highest
    ``loss_from`` not above it."""

    loss_from = models.DecimalField(_("loss from (yuan)"), max_digits=10, decimal_places=2, unique=True)
    share_percent = models.PositiveSmallIntegerField(
        _("person responsible: percent of performance pay"), validators=PERCENT
    )
    head_share_percent = models.PositiveSmallIntegerField(
        _("department head: percent of performance pay"), default=0, validators=PERCENT
    )

    class Meta:
        verbose_name = _("loss penalty band")
        verbose_name_plural = _("loss penalty bands")
        ordering = ["loss_from"]
        constraints = [
            models.CheckConstraint(condition=Q(loss_from__gte=0), name="loss_band_from_non_negative"),
            models.CheckConstraint(
                condition=Q(share_percent__lte=100) & Q(head_share_percent__lte=100), name="loss_band_percent_max_100"
            ),
        ]

    def __str__(self):
        return f"≥ ¥{self.loss_from}: {self.share_percent}% / {self.head_share_percent}%"


class DelayPenaltyBand(models.Model):
    """How late past the ticket's deadline (SLA, counted as its deadline policy counts) and the share of performance
    pay the handler loses for the delay (001 第一篇: 对不及时处理问题而造成延误的责任人也要追究)."""

    minutes_late_from = models.PositiveIntegerField(_("minutes late from"), unique=True)
    share_percent = models.PositiveSmallIntegerField(_("percent of performance pay"), validators=PERCENT)

    class Meta:
        verbose_name = _("handling delay penalty band")
        verbose_name_plural = _("handling delay penalty bands")
        ordering = ["minutes_late_from"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes_late_from__gte=1), name="delay_band_from_positive"),
            models.CheckConstraint(condition=Q(share_percent__lte=100), name="delay_band_percent_max_100"),
        ]

    def __str__(self):
        return f"≥ {self.minutes_late_from} min: {self.share_percent}%"


class DepartmentHead(models.Model):
    """Who heads a responsible department (部门主管): charged with the department's share of a penalty."""

    department = models.CharField(_("department"), max_length=20, unique=True, choices=department_choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("head"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("department head")
        verbose_name_plural = _("department heads")
        ordering = ["department"]

    def __str__(self):
        return f"{self.department}: {self.user}"


class PenaltyKind(models.TextChoices):
    RESPONSIBLE = "responsible", _("Person responsible")  # 直接责任人
    DEPARTMENT_HEAD = "department_head", _("Department head")  # 部门主管
    HANDLING_DELAY = "handling_delay", _("Handling delay")  # 处理延误


class Penalty(models.Model):
    """A share of one person's performance pay charged on a complaint (扣罚绩效工资). The latest penalty step of a
    ticket decides: one row per ticket and kind."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="penalties")
    kind = models.CharField(_("kind"), max_length=16, choices=PenaltyKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="penalties"
    )
    driver = models.ForeignKey(
        "network.Driver", null=True, blank=True, on_delete=models.PROTECT, related_name="penalties"
    )
    person_label = models.CharField(_("person"), max_length=60)
    percent = models.PositiveSmallIntegerField(_("percent of performance pay"), validators=PERCENT)
    proposed_percent = models.PositiveSmallIntegerField(_("proposed percent"), null=True, blank=True)
    loss_amount = models.DecimalField(_("loss (yuan)"), max_digits=10, decimal_places=2, default=0)
    minutes_late = models.PositiveIntegerField(_("minutes late"), null=True, blank=True)
    charged_at = models.DateTimeField(_("charged at"))
    charged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        ordering = ["-charged_at", "id"]
        indexes = [models.Index(fields=["charged_at"], name="penalty_charged_at")]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind"], name="penalty_one_per_ticket_kind"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="penalty_percent_max_100"),
            models.CheckConstraint(
                condition=Q(user__isnull=False, driver__isnull=True) | Q(user__isnull=True, driver__isnull=False),
                name="penalty_one_person",
            ),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.kind} {self.person_label} {self.percent}%"
