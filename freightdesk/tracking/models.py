"""Tracking (货物跟踪, SPEC §7–§8): status events, the order state machine after dispatch, the actions taken on
follow-ups (their rows are ``followups.FollowUp``), and customers' queries on an order."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freightdesk.orders.workflow import Step


class EventType(models.TextChoices):
    PICKED_UP = "picked_up", _("Picked up")  # 已提货
    IN_TRANSIT = "in_transit", _("In transit")  # 运输中
    DELIVERED = "delivered", _("Delivered")  # 已送达
    EXCEPTION = "exception", _("Exception")  # 异常


class Source(models.TextChoices):
    DRIVER_LINK = "driver_link", _("Driver's link")
    DRIVER_PAGE = "driver_page", _("Driver's page")
    AGENT = "agent", _("Agent, on the phone's behalf")
    API = "api", _("API / telematics")


# The driver himself reports (his link, or his own page after logging in): the workflow's ``by_link`` steps.
DRIVER_SOURCES = frozenset({Source.DRIVER_LINK, Source.DRIVER_PAGE})


# Each report is a step of the order's workflow (orders/workflow.py: from which statuses, to which one, who
# may). An exception is recorded with a reason and leaves the status as it is (the order stays open and goes
# on the due-now board); nothing else moves an order past "dispatched".
EVENT_STEPS: dict[str, Step] = {
    EventType.PICKED_UP: Step.PICK_UP,
    EventType.IN_TRANSIT: Step.IN_TRANSIT,
    EventType.DELIVERED: Step.DELIVER,
    EventType.EXCEPTION: Step.EXCEPTION,
}


class StatusEvent(models.Model):
    """One status report on an order: what, when it happened, who reported it and from where."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="status_events")
    type = models.CharField(_("event"), max_length=12, choices=EventType.choices)
    at = models.DateTimeField(_("happened at"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_label = models.CharField(_("by"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("status event")
        verbose_name_plural = _("status events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["order", "at"], name="status_event_order")]


class Shipment(models.Model):
    """The tracking state of one dispatched order: the times the public page and the checks need."""

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="shipment")
    dispatched_at = models.DateTimeField(_("dispatched at"))
    pickup_due_at = models.DateTimeField(_("pickup due at"))
    picked_up_at = models.DateTimeField(_("picked up at"), null=True, blank=True)
    delivery_due_at = models.DateTimeField(_("expected delivery"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    exception = models.CharField(_("open exception"), max_length=200, blank=True)
    waybill = models.CharField(_("waybill"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        # Today's pickups and deliveries (the fleet manager's figures for his drivers) from the day's start.
        indexes = [
            models.Index(fields=["picked_up_at"], name="shipment_picked_up"),
            models.Index(fields=["delivered_at"], name="shipment_delivered"),
        ]


class ActionKind(models.TextChoices):
    URGE = "urge", _("Urged the driver")  # 催提货
    ESCALATE = "escalate", _("Escalated to the fleet manager")  # 超时效上报车管
    FLEET_CALLED = "fleet_called", _("Fleet manager called the driver")  # 车管已联系司机
    CALLBACK = "callback", _("Called the customer back")
    NOTE = "note", _("Checked, note")


class CallOutcome(models.TextChoices):
    NOT_CALLED = "", _("No call")
    REACHED = "reached", _("Reached")
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy")


class FollowUpAction(models.Model):
    """What an agent did about a follow-up: the SMS (through the outbox) and the call, with the result."""

    followup = models.ForeignKey("followups.FollowUp", on_delete=models.CASCADE, related_name="actions")
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("action"), max_length=12, choices=ActionKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to = models.CharField(_("to"), max_length=20, blank=True)
    text = models.CharField(_("SMS text"), max_length=300, blank=True)
    message = models.ForeignKey("messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    call_outcome = models.CharField(_("call"), max_length=10, choices=CallOutcome.choices, blank=True)
    note = models.CharField(_("result"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["at", "id"]


class QueryType(models.TextChoices):
    TRANSIT_TIME = "transit_time", _("Transit time")  # 运输时效
    PRICE_DESTINATION = "price_destination", _("Price and destination")  # 发货价格、到货地
    ARRIVAL_TIME = "arrival_time", _("Arrival time")  # 到货时间
    CARGO_STATUS = "cargo_status", _("Cargo status")  # 货物状态
    OTHER = "other", _("Other")


class QueryChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Online chat")
    WEB_MESSAGE = "web_message", _("Website message")  # 网站留言


class Query(models.Model):
    """A customer's query on an order (客户查询, SPEC §8): recorded on the order whatever the result."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="queries")
    type = models.CharField(_("type"), max_length=20, choices=QueryType.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=QueryChannel.choices)
    question = models.CharField(_("question"), max_length=300, blank=True)
    answer = models.CharField(_("answer given"), max_length=300, blank=True)
    on_the_spot = models.BooleanField(_("answered on the spot"), default=True)
    callback_at = models.DateTimeField(_("promised callback"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("query")
        verbose_name_plural = _("queries")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["order", "at"], name="query_order"),
            # The weekly analysis (reports/weekly.py): five weeks of queries by type and region, from the index.
            models.Index(fields=["at", "type", "order", "id"], name="weekly_query_period"),
        ]


class FieldReportKind(models.TextChoices):
    ARRIVED = "arrived", _("Arrived")  # 到达: at the pickup or the delivery address; the status stays
    PICKED_UP = "picked_up", _("Picked up")  # 已提货, pieces checked
    DELIVERED = "delivered", _("Delivered")  # 已送达, receiver's name, photo of the signed note
    EXCEPTION = "exception", _("Exception")  # 异常, a reason from the list, a note, a photo


class ExceptionReason(models.TextChoices):
    SHIPPER_ABSENT = "shipper_absent", _("Nobody at the pickup address")
    GOODS_NOT_READY = "goods_not_ready", _("Goods not ready")
    PIECES_DIFFER = "pieces_differ", _("Pieces differ from the order")
    DAMAGED = "damaged", _("Goods damaged")
    CONSIGNEE_ABSENT = "consignee_absent", _("Nobody to receive")
    REFUSED = "refused", _("Receiver refused the goods")
    WRONG_ADDRESS = "wrong_address", _("Wrong address")
    VEHICLE = "vehicle", _("Vehicle breakdown or traffic")
    OTHER = "other", _("Other")


class FieldReport(models.Model):
    """A report from the driver's own page (SPEC §7): what, when, where (the phone's position, with the driver's
    consent) and its proof. ``key`` is made by the phone, so a report kept offline and sent again is stored once.
    The latest row with a position is the order's last known position (public tracking, the desk)."""

    key = models.CharField(max_length=64, unique=True)
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="field_reports")
    driver = models.ForeignKey("network.Driver", on_delete=models.PROTECT, related_name="field_reports")
    kind = models.CharField(_("report"), max_length=12, choices=FieldReportKind.choices)
    at = models.DateTimeField(_("reported at"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=60, blank=True)
    pieces = models.PositiveIntegerField(_("pieces checked"), null=True, blank=True)
    receiver = models.CharField(_("received by"), max_length=40, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=ExceptionReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    photo = models.FileField(_("photo"), upload_to="field/%Y/%m/", blank=True)  # checked and resized: photos.py
    event = models.ForeignKey(StatusEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("driver's report")
        verbose_name_plural = _("driver's reports")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["order", "-at"], name="field_report_order_newest"),
        ]

    def __str__(self):
        return f"{self.order_id} {self.kind} @ {self.at:%Y-%m-%d %H:%M}"

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class DriverPosition(models.Model):
    """A driver's live position (实时位置): the phone's newest position while his page is open and he allowed it.
    One row per driver, overwritten — no trail is kept. Goods he has picked up and not delivered show it on the
    tracking pages when it is newer than the last report's."""

    driver = models.OneToOneField("network.Driver", on_delete=models.CASCADE, related_name="live_position")
    at = models.DateTimeField(_("at"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)

    class Meta:
        verbose_name = _("driver's live position")
        verbose_name_plural = _("drivers' live positions")

    def __str__(self):
        return f"{self.driver_id} @ {self.at:%Y-%m-%d %H:%M}"
