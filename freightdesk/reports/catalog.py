"""The reports the desk offers, as data: the query, the groupings, and the columns with their Chinese
headers for the files submitted to management (SPEC §12) and their UI labels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Case, CharField, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from freightdesk.orders.models import Order, Status

from . import labels, quality_queries, queries, summaries
from .params import ReportParams

TOTAL_ZH = "合计"  # the totals row's label in the files; pages show it in the reader's language


@dataclass(frozen=True)
class Column:
    key: str
    zh: str  # header in the exported files (提交管理层的报表用中文表头)
    label: object  # UI label (translated)
    total: str | None = None  # "sum", or "rate" (recomputed from the totals), or None
    width: int = 12


@dataclass(frozen=True)
class Report:
    slug: str
    title: object
    title_zh: str
    run: Callable
    groups: tuple[str, ...]
    columns: tuple[Column, ...]
    chart: str  # the column the chart draws
    rate_parts: tuple[str, tuple[str, ...]] = ("", ())  # rate = part / sum(whole parts)
    extra: dict = field(default_factory=dict)
    names: Callable | None = None  # adds the words for the codes in the rows (labels.py), pages and files only

    def rows(self, params: ReportParams, *, scope=None, now=None) -> list[dict]:
        """The figures as the queries give them, codes and all (what the JSON API answers)."""
        return self.run(params=params, scope=scope, now=now)

    def named_rows(self, params: ReportParams, *, scope=None, now=None) -> list[dict]:
        """The figures for people (pages, charts, XLSX/CSV): codes read as their labels in the active language."""
        return self.named(self.rows(params, scope=scope, now=now))

    def named(self, rows: list[dict]) -> list[dict]:
        return self.names(rows) if self.names else rows

    def totals(self, rows: list[dict]) -> dict:
        total: dict = {self.columns[0].key: TOTAL_ZH}
        for col in self.columns:
            if col.total == "sum":
                total[col.key] = sum(row.get(col.key) or 0 for row in rows)
        part, whole = self.rate_parts
        for col in self.columns:
            if col.total == "rate":
                denominator = sum(total.get(k, 0) for k in whole)
                total[col.key] = round(total.get(part, 0) / denominator, 4) if denominator else None
        return total


def _p(fn, grouped=True, with_now=False):
    """The report's figures: read from the per-day summaries (``summaries``, the same figures at a cost that grows
    with the days, not the rows) where the report has them and the period allows, else by the raw query ``fn``."""
    summary = getattr(summaries, fn.__name__, None)

    def run(*, params, scope=None, now=None):
        kwargs = {"period": params.period, "region": params.region, "scope": scope}
        if grouped:
            kwargs["group_by"] = params.group_by
        if with_now:
            kwargs["now"] = now or timezone.now()
        return (summary if summary and summaries.usable(params.period) else fn)(**kwargs)

    return run


def C(key, zh, label, total=None, width=12):  # noqa: N802 - reads as a table below
    return Column(key, zh, label, total, width)


GROUP = C("label", "分组", _("Group"), width=20)
RATE = {"total": "rate", "width": 12}

REPORTS: dict[str, Report] = {
    r.slug: r
    for r in [
        Report(
            "pickup-on-time",
            _("On-time pickup"),
            "及时提货率",
            _p(queries.pickup_on_time, with_now=True),
            queries.PICKUP_GROUPS,
            (
                GROUP,
                C("orders", "订单数", _("Orders"), "sum"),
                C("on_time", "及时提货", _("On time"), "sum"),
                C("late", "超时提货", _("Late"), "sum"),
                C("pending", "待提货(未到时效)", _("Pending"), "sum", 16),
                C("unknown", "提货时间未记录", _("No pickup time"), "sum", 16),
                C("rate", "及时提货率", _("On-time rate"), **RATE),
            ),
            chart="rate",
            rate_parts=("on_time", ("on_time", "late")),
        ),
        Report(
            "complaints",
            _("Complaints and suggestions"),
            "投诉与建议",
            _p(queries.complaints),
            queries.COMPLAINT_GROUPS,
            (
                GROUP,
                C("complaints", "投诉", _("Complaints"), "sum"),
                C("valid", "有效投诉", _("Valid"), "sum"),
                C("dismissed", "无效投诉", _("Not valid"), "sum"),
                C("pending", "待判定", _("Not yet judged"), "sum"),
                C("about_driver", "有效·投诉司机", _("Valid, about a driver"), "sum", 14),
                C("about_agent", "有效·投诉客服", _("Valid, about an agent"), "sum", 14),
                C("about_company", "有效·投诉公司/其他", _("Valid, about the company or other"), "sum", 18),
                C("suggestions", "建议", _("Suggestions"), "sum"),
                C("penalties", "扣罚次数", _("Penalties"), "sum"),
                C("penalty_percent", "扣罚合计(绩效百分比)", _("Penalty total, percent of performance pay"), "sum", 16),
            ),
            chart="complaints",
            names=labels.ticket_types,
        ),
        Report(
            "origins",
            _("Shipping origins"),
            "发货地分析",
            _p(queries.origins),
            queries.ORIGIN_GROUPS,
            (
                GROUP,
                C("enquiries", "询单数", _("Enquiries"), "sum"),
                C("shipped", "已发货", _("Shipped"), "sum"),
                C("refused", "拒收", _("Refused"), "sum"),
                C("voided", "作废", _("Voided"), "sum"),
                C("quote_only", "仅询价", _("Quote only"), "sum"),
                C("shipped_share", "发货率", _("Shipped share"), **RATE),
            ),
            chart="enquiries",
            rate_parts=("shipped", ("enquiries",)),
        ),
        Report(
            "orders",
            _("Orders by channel and status"),
            "订单渠道与状态",
            _p(queries.orders_by_channel_status, False),
            ("channel",),
            (
                C("channel_label", "渠道", _("Channel")),
                C("status_label", "状态", _("Status"), width=14),
                C("orders", "订单数", _("Orders"), "sum"),
            ),
            chart="orders",
            names=labels.order_channels_and_statuses,
        ),
        Report(
            "review",
            _("Review deadline compliance"),
            "核单时效达标率",
            _p(queries.review_compliance, False, True),
            ("agent",),
            (
                C("key", "工号", _("Agent id")),
                C("label", "客服", _("Agent")),
                C("orders", "订单数", _("Orders"), "sum"),
                C("on_time", "按时核单", _("On time"), "sum"),
                C("late", "超时", _("Late"), "sum"),
                C("voided", "作废", _("Voided"), "sum"),
                C("pending", "待核单", _("Pending"), "sum"),
                C("rate", "达标率", _("Rate"), **RATE),
            ),
            chart="rate",
            rate_parts=("on_time", ("on_time", "late")),
        ),
        Report(
            "dispatch",
            _("Dispatch deadline compliance"),
            "传递时效达标率",
            _p(queries.dispatch_compliance, False),
            ("agent",),
            (
                C("key", "工号", _("Agent id")),
                C("label", "客服", _("Agent")),
                C("dispatches", "派单数", _("Dispatches"), "sum"),
                C("on_time", "3分钟内", _("On time"), "sum"),
                C("late", "超时", _("Late"), "sum"),
                C("rate", "达标率", _("Rate"), **RATE),
            ),
            chart="rate",
            rate_parts=("on_time", ("dispatches",)),
        ),
        Report(
            "sla",
            _("SLA compliance per ticket category"),
            "工单时效达标率",
            _p(queries.sla_compliance, False, True),
            ("type",),
            (
                GROUP,
                C("tickets", "工单数", _("Tickets"), "sum"),
                C("met", "按时", _("Met"), "sum"),
                C("breached", "超时", _("Breached"), "sum"),
                # not the board's "Open" button (打开): a ticket not yet due
                C("open", "未到期", pgettext_lazy("tickets not yet due", "Open"), "sum"),
                C("rate", "达标率", _("Rate"), **RATE),
            ),
            chart="rate",
            rate_parts=("met", ("met", "breached")),
            names=labels.ticket_types,
        ),
        Report(
            "satisfaction",
            _("Satisfaction"),
            "满意度",
            _p(quality_queries.satisfaction, False),
            ("month",),
            (
                C("label", "月份", _("Month")),
                C("answers", "答卷数", _("Answers"), "sum"),
                C("efficiency", "效率", _("Efficiency")),
                C("attitude", "态度", _("Attitude")),
                C("solution", "解决方案", _("Solution")),
            ),
            chart="attitude",
        ),
        Report(
            "call-reviews",
            _("Call reviews"),
            "通话质检",
            _p(quality_queries.call_reviews, False),
            ("agent",),
            (
                C("key", "工号", _("Agent id")),
                C("label", "客服", _("Agent")),
                C("reviews", "质检数", _("Reviews"), "sum"),
                C("greeting", "问候", _("Greeting")),
                C("entry", "进入", _("Entry")),
                C("transformation", "转化", _("Transformation")),
                C("agreement", "达成协议", _("Agreement")),
                C("closing", "结束", _("Closing")),
                C("average", "平均分", _("Average")),
            ),
            chart="average",
        ),
    ]
}


# --- detail rows (one per order): the big export ------------------------------------------------
PICKUP_DETAIL_COLUMNS = (
    C("serial", "单号", _("Serial"), width=14),
    C("created_at", "下单时间", _("Order time"), width=20),
    C("region", "提货区域", _("Pickup region")),
    C("driver", "司机", _("Driver")),
    C("due_at", "提货时限", _("Pickup due"), width=20),
    C("picked_up_at", "提货时间", _("Picked up"), width=20),
    C("result", "结果", _("Result")),
)
RESULT_ZH = {"on_time": "及时", "late": "超时", "pending": "待提货", "unknown": "未记录", "void": "作废"}


def pickup_detail(params: ReportParams, *, scope=None, now=None):
    """One row per order of the pickup-on-time report (voided ones too, marked), classified in SQL exactly as
    the report does."""
    now = now or timezone.now()
    qs = Order.objects.filter(
        created_at__gte=params.period.start, created_at__lt=params.period.end, pickup_due_at__isnull=False
    )
    if params.region:
        qs = qs.filter(pickup_region__code=params.region)
    if scope is not None:
        qs = qs.filter(taken_by=scope)
    return (
        qs.annotate(
            picked=F("shipment__picked_up_at"),
            region_name=F("pickup_region__name"),
            driver_name=F("driver__name"),
            result=Case(
                When(status=Status.VOID, then=Value("void")),
                When(queries.ON_TIME, then=Value("on_time")),
                When(queries.LATE_PICKED, then=Value("late")),
                When(status__in=queries.PICKED_UP_STATUSES, then=Value("unknown")),
                When(pickup_due_at__gt=now, then=Value("pending")),
                default=Value("late"),
                output_field=CharField(),
            ),
        )
        .order_by("created_at", "pk")
        .values_list("serial", "created_at", "region_name", "driver_name", "pickup_due_at", "picked", "result")
    )
