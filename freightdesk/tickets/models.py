"""Service tickets (SPEC §8–§10): the register, SLA policies as rows, history, outbound SMS. (A callback promised on
a ticket is a ``followups.FollowUp`` about it: ``followups.py``.)"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freightdesk.core.models import HistoryEvent


class Category(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")  # 咨询/查询
    COMPLAINT = "complaint", _("Complaint")  # 投诉
    SUGGESTION = "suggestion", _("Suggestion")  # 建议
    EMERGENCY = "emergency", _("Emergency")  # 紧急


class TargetKind(models.TextChoices):
    """What a complaint is about (投诉对象). Per-driver complaint reports count only ``driver`` targets."""

    DRIVER = "driver", _("A driver")
    AGENT = "agent", _("An agent")
    COMPANY = "company", _("The company")
    OTHER = "other", _("Other")


class TicketChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WEB_MESSAGE = "web_message", _("Web message")  # 网站留言
    CHAT = "chat", _("Online chat")
    CALLBACK = "callback", _("Callback")  # 回访/外呼


class Status(models.TextChoices):
    RECORDED = "recorded", _("Recorded")  # 受理记录
    VALIDATED = "validated", _("Judged valid")  # 判定有效
    ASSIGNED = "assigned", _("Department assigned")  # 确定责任部门
    INVESTIGATED = "investigated", _("Cause found")  # 查明原因
    PROPOSED = "proposed", _("Resolution proposed")  # 提出处理方案
    APPROVED = "approved", _("Resolution approved")  # 主管批准
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")  # 实施/已解决
    CLOSED = "closed", _("Closed")  # 总结归档
    DISMISSED = "dismissed", _("Closed as not valid")  # 无效投诉


FINISHED_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED, Status.DISMISSED})
TERMINAL_STATUSES = frozenset({Status.CLOSED, Status.DISMISSED})
PENDING_STATUSES = frozenset(set(Status) - FINISHED_STATUSES)


class Severity(models.TextChoices):
    CLASS_1 = "class1", _("Class 1")  # 一类：一般服务失误
    CLASS_2 = "class2", _("Class 2")  # 二类：安全、未满意解决、要求见管理层
    CRISIS = "crisis", _("Crisis")  # 危机：上报最高层

    @classmethod
    def rank(cls, value: str) -> int:
        return [cls.CLASS_1, cls.CLASS_2, cls.CRISIS].index(value)


class OwnerGroup(models.TextChoices):
    """Who owns a ticket. Each is a role or a Django group; its members see the group's queue."""

    AGENT = "agent", _("Agent")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Management")
    AFTER_SALES = "after_sales", _("After-sales team")
    TECHNICAL = "technical", _("Technical team")


class Department(models.TextChoices):
    TRANSPORT = "transport", _("Storage and transport (储运部)")
    QUALITY = "quality", _("Quality management (质量管理部)")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    FINANCE = "finance", _("Finance")
    OTHER = "other", _("Other department")


class ResponsibleKind(models.TextChoices):
    DRIVER = "driver", _("Driver")
    AGENT = "agent", _("Agent")
    STAFF = "staff", _("Other staff")
    NONE = "none", _("No one (external cause)")


class ResolutionKind(models.TextChoices):
    RETURN = "return", _("Return")  # 退货
    EXCHANGE = "exchange", _("Exchange")  # 换货
    REPAIR = "repair", _("Repair")  # 维修
    DISCOUNT = "discount", _("Discount")  # 折价
    COMPENSATION = "compensation", _("Compensation")  # 赔偿
    REDELIVERY = "redelivery", _("Redelivery")  # 重新配送
    APOLOGY = "apology", _("Apology")  # 道歉


MONEY_RESOLUTIONS = frozenset({ResolutionKind.DISCOUNT, ResolutionKind.COMPENSATION})


class SlaPolicy(models.Model):
    """One row of SPEC §10 table 2: category + sub-category -> owner, deadline, standard solution, escalation."""

    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    subcategory = models.SlugField(_("sub-category"), max_length=30)
    label = models.CharField(_("label"), max_length=60)
    owner_group = models.CharField(_("owner"), max_length=20, choices=OwnerGroup.choices)
    # The deadline is a row of the one deadline-policy table (时效标准), code ``ticket-<category>-<sub-category>``.
    deadline = models.OneToOneField(
        "core.DeadlinePolicy", verbose_name=_("deadline"), on_delete=models.PROTECT, related_name="sla_policy"
    )
    standard_solution = models.CharField(_("standard solution"), max_length=200)
    remind_before_minutes = models.PositiveIntegerField(_("remind before breach (minutes)"), default=0)
    escalate_to = models.CharField(_("escalate on breach to"), max_length=20, choices=OwnerGroup.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["category", "subcategory"]
        constraints = [models.UniqueConstraint(fields=["category", "subcategory"], name="uniq_sla_policy")]

    def __str__(self):
        return f"{self.get_category_display()} / {self.label}"


class Ticket(models.Model):
    """One contact that is not a new order (SPEC §10 table 1: 工单登记表)."""

    number = models.CharField(_("number"), max_length=12, unique=True)
    channel = models.CharField(_("channel"), max_length=12, choices=TicketChannel.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    subcategory = models.SlugField(_("sub-category"), max_length=30)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.CLASS_1)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.RECORDED)

    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    customer_name = models.CharField(_("name"), max_length=40, blank=True)
    customer_phone = models.CharField(_("contact"), max_length=20, blank=True)
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="tickets")
    driver = models.ForeignKey(
        "network.Driver", null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent involved"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_kind = models.CharField(_("complaint about"), max_length=8, choices=TargetKind.choices, blank=True)
    description = models.TextField(_("what the customer said"), max_length=2000)
    demand = models.CharField(_("what the customer wants"), max_length=500, blank=True)

    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_group = models.CharField(_("owner"), max_length=20, choices=OwnerGroup.choices)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_tickets",
    )
    sla_policy = models.ForeignKey(SlaPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    standard_solution = models.CharField(_("standard solution"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    remind_at = models.DateTimeField(_("remind at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    # The deadline while the ticket is pending, empty once it is finished: what the queues index.
    queue_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # The SMS the ticket's workflow sent (survey link, emergency and crisis paging, breach escalation): outbox rows.
    messages = models.ManyToManyField("messaging.Message", verbose_name=_("SMS"), blank=True, related_name="+")

    # The complaint workflow (SPEC §9, 001 第一篇), filled step by step.
    reply = models.TextField(_("reply to the customer"), blank=True)
    department = models.CharField(_("responsible department"), max_length=20, choices=Department.choices, blank=True)
    cause = models.TextField(_("cause"), blank=True)
    responsible_kind = models.CharField(_("responsible"), max_length=8, choices=ResponsibleKind.choices, blank=True)
    responsible_driver = models.ForeignKey(
        "network.Driver", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution_kind = models.CharField(_("resolution"), max_length=14, choices=ResolutionKind.choices, blank=True)
    resolution_amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True)
    resolution_note = models.TextField(_("resolution details"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    customer_notified_via = models.CharField(_("customer notified by"), max_length=10, blank=True)
    department_responsible = models.BooleanField(_("the department is responsible too"), default=False)
    loss_amount = models.DecimalField(_("loss (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True)
    penalty_percent = models.PositiveSmallIntegerField(_("penalty (percent of performance pay)"), null=True, blank=True)
    head_penalty_percent = models.PositiveSmallIntegerField(
        _("department head's penalty (percent of performance pay)"), null=True, blank=True
    )
    delay_penalty_percent = models.PositiveSmallIntegerField(
        _("handling delay penalty (percent of performance pay)"), null=True, blank=True
    )
    penalty_note = models.CharField(_("penalty"), max_length=200, blank=True)
    feedback = models.TextField(_("customer feedback"), blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    preventive_action = models.TextField(_("preventive action"), blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-id"]
        indexes = [
            # "IS NOT NULL" is a predicate SQLite and PostgreSQL match against the queries' own terms.
            models.Index(
                fields=["handler", "queue_due_at"], name="ticket_handler_queue", condition=Q(queue_due_at__isnull=False)
            ),
            models.Index(
                fields=["owner_group", "handler", "queue_due_at"],
                name="ticket_group_queue",
                condition=Q(queue_due_at__isnull=False),
            ),
            # The due-now board (tracking): every pending ticket past its deadline, longest overdue first.
            models.Index(
                fields=["queue_due_at", "id"], name="ticket_due_board", condition=Q(queue_due_at__isnull=False)
            ),
            models.Index(fields=["category", "-created_at"], name="ticket_category_newest"),
            models.Index(fields=["driver", "created_at"], name="ticket_driver_created"),
            models.Index(fields=["order"], name="ticket_order"),
            # Reports (SLA): the unresolved tickets whose deadline is still ahead (open, not yet breached).
            models.Index(
                fields=["due_at"],
                name="ticket_unresolved_due",
                condition=Q(resolved_at__isnull=True, due_at__isnull=False),
            ),
            # Complaints and suggestions (reports), read from the index alone. The SLA report's index differs by
            # database (migration 0006_report_indexes).
            models.Index(
                fields=["category", "created_at", "subcategory", "status", "driver", "agent", "order", "id"],
                name="report_ticket_complaints",
            ),
            # The weekly analysis (reports/weekly.py): five weeks by category and sub-category, region and driver,
            # one range of the index on any database (PostgreSQL has no skip scan of the category-first one).
            models.Index(
                fields=["created_at", "category", "subcategory", "order", "driver", "id"], name="weekly_ticket_period"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution_amount__isnull=True) | Q(resolution_amount__gte=0),
                name="ticket_amount_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(penalty_percent__isnull=True) | Q(penalty_percent__lte=100),
                name="ticket_penalty_percent_max_100",
            ),
            models.CheckConstraint(
                condition=(Q(head_penalty_percent__isnull=True) | Q(head_penalty_percent__lte=100))
                & (Q(delay_penalty_percent__isnull=True) | Q(delay_penalty_percent__lte=100)),
                name="ticket_head_delay_penalty_max_100",
            ),
            models.CheckConstraint(
                condition=Q(loss_amount__isnull=True) | Q(loss_amount__gte=0), name="ticket_loss_non_negative"
            ),
        ]

    def __str__(self):
        return self.number


class TicketEvent(HistoryEvent):
    """One append-only line of a ticket's history: who, when, what, before -> after (also as statuses)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20)
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14, blank=True)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        indexes = [models.Index(fields=["ticket", "at"], name="ticket_event_history")]


# The complaint rules and the penalties charged: their own module, one app.
from .complaint_models import (  # noqa: E402, F401
    DelayPenaltyBand,
    DepartmentHead,
    LossPenaltyBand,
    Penalty,
    PenaltyKind,
    SeverityRule,
    SeverityTrigger,
)
