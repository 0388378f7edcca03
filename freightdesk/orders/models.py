"""The order (业务单 / 托运单), its fees, its timeline, and the enquiry log for the origin analysis."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freightdesk.core.models import HistoryEvent


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")  # 电话
    WEB = "web", _("Web")  # 网上/平台
    CHAT = "chat", _("Online chat")  # 在线服务


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting review")  # 待核单
    PROBLEM = "problem", _("Problem order")  # 问题单
    CONFIRMED = "confirmed", _("Confirmed")  # 已确认
    DISPATCHED = "dispatched", _("Dispatched")  # 已派单
    PICKED_UP = "picked_up", _("Picked up")  # 已提货
    IN_TRANSIT = "in_transit", _("In transit")  # 运输中
    DELIVERED = "delivered", _("Delivered")  # 已送达
    VOID = "void", _("Void")  # 作废


OPEN_STATUSES = frozenset(
    {Status.SUBMITTED, Status.PROBLEM, Status.CONFIRMED, Status.DISPATCHED, Status.PICKED_UP, Status.IN_TRANSIT}
)
AWAITING_REVIEW = frozenset({Status.SUBMITTED, Status.PROBLEM})


class PaymentMethod(models.TextChoices):
    SHIPPER_PAYS = "shipper_pays", _("Shipper pays at pickup")  # 现付
    CONSIGNEE_PAYS = "consignee_pays", _("Consignee pays on delivery")  # 到付
    MONTHLY = "monthly", _("Monthly account")  # 月结


class Order(models.Model):
    serial = models.CharField(_("serial"), max_length=16, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)

    shipper = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="shipped_orders")
    shipper_name = models.CharField(_("pickup contact"), max_length=40)
    shipper_phone = models.CharField(_("pickup phone"), max_length=20)
    pickup_address = models.CharField(_("pickup address"), max_length=200)
    pickup_region = models.ForeignKey(
        "network.Region", verbose_name=_("pickup region"), on_delete=models.PROTECT, related_name="+"
    )

    consignee = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="received_orders")
    consignee_name = models.CharField(_("consignee"), max_length=40)
    consignee_phone = models.CharField(_("consignee phone"), max_length=20)
    delivery_address = models.CharField(_("delivery address"), max_length=200)
    delivery_region = models.ForeignKey(
        "network.Region", verbose_name=_("delivery region"), on_delete=models.PROTECT, related_name="+"
    )

    goods_name = models.CharField(_("goods"), max_length=40)
    quantity = models.PositiveIntegerField(_("pieces"))
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=10, decimal_places=2)
    volume_m3 = models.DecimalField(_("volume (m³)"), max_digits=8, decimal_places=2)
    packaging_ok = models.BooleanField(_("packaging adequate"), default=True)
    # Restricted goods (限寄物品, e.g. 锂电池): which entry the goods matched, and what the caller confirmed.
    restricted_goods = models.CharField(_("restricted goods"), max_length=40, blank=True)
    restricted_confirmation = models.CharField(_("confirmed with the caller"), max_length=200, blank=True)

    payment_method = models.CharField(_("payment method"), max_length=20, choices=PaymentMethod.choices)
    delivery_deadline = models.DateTimeField(_("deliver before"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    freight = models.DecimalField(_("freight"), max_digits=10, decimal_places=2)
    fees_total = models.DecimalField(_("fees"), max_digits=10, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=10, decimal_places=2)

    created_at = models.DateTimeField(_("order time"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agent_id = models.CharField(_("agent id"), max_length=4, blank=True)
    customer_account = models.ForeignKey(
        "accounts.CustomerAccount", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    intake_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    review_due_at = models.DateTimeField(_("review due at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    dispatch_due_at = models.DateTimeField(_("dispatch due at"), null=True, blank=True)
    # The pickup clock (及时提货): decided once, when the final order information goes out (a phone order when
    # it is taken, a web or chat order when its review confirms it), and read by the pickup check and the reports.
    pickup_due_at = models.DateTimeField(_("pick up by"), null=True, blank=True)
    # Who picks up (提货司机): the driver the fleet manager assigned, else the region's driver it was dispatched to.
    # Per-driver reports count the order for this driver.
    driver = models.ForeignKey(
        "network.Driver",
        verbose_name=_("driver who picks up"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    # Review (核单, SPEC §5): who is on it, the customer's callback when it is a problem order,
    # and the supervisor flag after three unanswered calls. All nullable: cheap to add on a big table.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claimed_at = models.DateTimeField(_("review claimed at"), null=True, blank=True)
    problem_callback_at = models.DateTimeField(_("call the customer back at"), null=True, blank=True)
    flagged_at = models.DateTimeField(_("flagged for the supervisor at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="order_newest"),
            models.Index(fields=["status", "-created_at"], name="order_status_newest"),
            models.Index(fields=["shipper_phone", "-created_at"], name="order_shipper_phone"),
            models.Index(fields=["consignee_phone", "-created_at"], name="order_consignee_phone"),
            models.Index(fields=["shipper_name", "-created_at"], name="order_shipper_name"),
            models.Index(fields=["consignee_name", "-created_at"], name="order_consignee_name"),
            models.Index(fields=["pickup_region", "-created_at"], name="order_region_newest"),
            models.Index(
                fields=["review_due_at"], name="order_review_pending", condition=Q(status__in=["submitted", "problem"])
            ),
            models.Index(fields=["dispatch_due_at"], name="order_dispatch_pending", condition=Q(status="confirmed")),
            # The fleet manager's queue: the orders of his regions waiting for their pickup.
            models.Index(
                fields=["pickup_region", "created_at", "id"],
                name="order_dispatched_region",
                condition=Q(status="dispatched"),
            ),
            # The fleet manager's drivers today: each driver's orders on the way, counted from the index alone.
            models.Index(
                fields=["driver", "status"],
                name="order_driver_on_the_way",
                condition=Q(status__in=["dispatched", "picked_up", "in_transit"]),
            ),
            # Review compliance (reports), read from the index alone. The orders-by-channel report's index
            # differs by database (migration 0004_report_indexes).
            models.Index(
                fields=["created_at", "claimed_by", "status", "review_due_at", "confirmed_at", "pickup_region", "id"],
                name="report_order_review",
                condition=Q(review_due_at__isnull=False),
            ),
            # On-time pickup (reports), over the orders whose pickup clock started: by day from the period-first
            # one, per driver (the monthly driver report) and per region from the group-first ones (SQLite skip-scans
            # the few groups; a year by region 676 -> 262 ms on 200,000 orders, reports/README.md).
            models.Index(
                fields=["created_at", "status", "pickup_due_at", "pickup_region", "driver", "taken_by", "id"],
                name="report_order_pickup",
                condition=Q(pickup_due_at__isnull=False),
            ),
            models.Index(
                fields=["driver", "created_at", "status", "pickup_due_at", "taken_by", "id"],
                name="report_order_pickup_driver",
                condition=Q(pickup_due_at__isnull=False),
            ),
            models.Index(
                fields=["pickup_region", "created_at", "status", "pickup_due_at", "driver", "taken_by", "id"],
                name="report_order_pickup_region",
                condition=Q(pickup_due_at__isnull=False),
            ),
            # Reports: the orders not picked up whose pickup deadline is still ahead (pending, not yet late); the
            # rest of the figures come from the reports' per-day summaries.
            models.Index(
                fields=["pickup_due_at"],
                name="order_pickup_waiting",
                condition=Q(status__in=["submitted", "problem", "confirmed", "dispatched"]),
            ),
            models.Index(
                fields=["flagged_at"],
                name="order_review_flagged",
                condition=Q(status__in=["submitted", "problem"], flagged_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_quantity_positive"),
            models.CheckConstraint(condition=Q(weight_kg__gt=0), name="order_weight_positive"),
            models.CheckConstraint(condition=Q(volume_m3__gt=0), name="order_volume_positive"),
        ]

    def __str__(self):
        return self.serial


class ReviewOutcome(models.TextChoices):
    CONFIRM = "confirm", _("Confirm")  # 好单, 确认
    PROBLEM = "problem", _("Problem: waiting on the customer")  # 问题单
    VOID = "void", _("Void")  # 作废


# The review state machine as data (SPEC §5): outcome -> (statuses it may leave, status it sets).
# Only the desk reviews; the service checks this table and nothing else sets these statuses.
REVIEW_TRANSITIONS = {
    ReviewOutcome.CONFIRM: (AWAITING_REVIEW, Status.CONFIRMED),
    ReviewOutcome.PROBLEM: (AWAITING_REVIEW, Status.PROBLEM),
    ReviewOutcome.VOID: (AWAITING_REVIEW, Status.VOID),
}


class VoidReason(models.TextChoices):
    CUSTOMER_CANCELLED = "customer_cancelled", _("Customer cancelled")  # 客户取消
    UNREACHABLE = "unreachable", _("Customer cannot be reached")  # 联系不上
    PROHIBITED = "prohibited", _("Prohibited goods")  # 违禁品
    OUT_OF_AREA = "out_of_area", _("Outside our service area")  # 超出服务范围
    DUPLICATE = "duplicate", _("Duplicate order")  # 重复下单
    CANNOT_SERVE = "cannot_serve", _("We cannot serve it")  # 无法承运 (no driver, no vehicle, the route)
    OTHER = "other", _("Other")


class CallOutcome(models.TextChoices):
    ANSWERED = "answered", _("Answered")  # 接通
    NO_ANSWER = "no_answer", _("No answer")  # 无人接听
    WRONG_NUMBER = "wrong_number", _("Wrong number")  # 号码错误


class ReviewCall(models.Model):
    """One call to the customer during review (SPEC §5: after review the agent always calls)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="review_calls")
    at = models.DateTimeField(_("at"), default=timezone.now)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    agent_label = models.CharField(_("agent"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    outcome = models.CharField(_("outcome"), max_length=14, choices=CallOutcome.choices)

    class Meta:
        verbose_name = _("review call")
        verbose_name_plural = _("review calls")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["order", "at"], name="review_call_order")]


class OrderFee(models.Model):
    """An extra charge on an order (装卸费…) the driver may collect."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[
            ("loading", _("Loading/unloading fee")),
            ("pickup", _("Pickup fee")),
            ("delivery", _("Delivery fee")),
            ("other", _("Other fee")),
        ],
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("order fee")
        verbose_name_plural = _("order fees")


class OrderEvent(HistoryEvent):
    """One line of the order's append-only history: who, when, what, before → after."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")

    class Meta(HistoryEvent.Meta):
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        indexes = [
            models.Index(fields=["order", "at"], name="order_event_timeline"),
            # Voids per agent (the supervisors' list): the void and review events of a period.
            models.Index(fields=["kind", "at"], name="order_event_kind_at"),
        ]


class EnquiryOutcome(models.TextChoices):
    SHIPPED = "shipped", _("Shipped")  # 已发货 (order created)
    REFUSED = "refused", _("Refused")  # 拒收 (prohibited goods…)
    VOIDED = "voided", _("Voided")  # 作废
    QUOTE_ONLY = "quote_only", _("Quote only")  # 仅询价


class Enquiry(models.Model):
    """Every enquiry's origin, shipped or not (SPEC §12 发货地分析)."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=EnquiryOutcome.choices)
    pickup_region = models.ForeignKey(
        "network.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivery_region = models.ForeignKey(
        "network.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pickup_address = models.CharField(_("pickup address"), max_length=200, blank=True)
    goods_name = models.CharField(_("goods"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    order = models.OneToOneField(Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="enquiry")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        indexes = [
            models.Index(fields=["pickup_region", "at"], name="enquiry_region_at"),
            # The origins by day/month (reports); by region SQLite has one more (migration 0004_report_indexes).
            models.Index(fields=["at", "pickup_region", "outcome", "agent", "id"], name="report_enquiry_period"),
        ]
