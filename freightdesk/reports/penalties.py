"""The monthly penalty report (扣罚月报, SPEC §9 step 7 and §12): per person, the shares of performance pay the month's
complaints charged him — as the person responsible, as the head of a responsible department, for a handling delay —
with the loss behind them; one line per penalty in the file's second sheet. Supervisors and managers only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from freightdesk.core.worktime import TZ
from freightdesk.tickets.models import Penalty, PenaltyKind

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
BOLD = Font(bold=True)


class MonthError(ValueError):
    """The month asked for is not a month: the message says so in the reader's language."""


@dataclass(frozen=True)
class Column:
    key: str
    zh: str  # the file's header (提交管理层的报表用中文表头)
    label: object  # the page's header
    width: int = 12


COLUMNS = (
    Column("key", "工号/司机编号", gettext_lazy("Agent id or driver code"), 14),
    Column("label", "姓名", gettext_lazy("Person"), 16),
    Column("kind", "类别", gettext_lazy("Staff or driver")),
    Column("penalties", "扣罚次数", gettext_lazy("Penalties")),
    Column("responsible_percent", "直接责任(%)", gettext_lazy("As person responsible (%)"), 14),
    Column("head_percent", "部门主管(%)", gettext_lazy("As department head (%)"), 14),
    Column("delay_percent", "处理延误(%)", gettext_lazy("For handling delays (%)"), 14),
    Column("total_percent", "合计扣罚(绩效%)", gettext_lazy("Total, percent of performance pay"), 16),
    Column("loss", "涉及损失(元)", gettext_lazy("Loss behind them (yuan)"), 14),
    Column("tickets", "投诉单数", gettext_lazy("Complaints")),
)
SUMMED = ("penalties", "responsible_percent", "head_percent", "delay_percent", "total_percent", "loss", "tickets")
KIND_ZH = {"staff": "员工", "driver": "司机"}
PENALTY_KIND_ZH = {"responsible": "直接责任人", "department_head": "部门主管", "handling_delay": "处理延误"}


def parse_month(raw: str | None, *, today: date | None = None) -> date:
    """``YYYY-MM`` -> the month's first day; empty: this month (Asia/Shanghai)."""
    if not (raw or "").strip():
        today = today or timezone.localdate(timezone.now(), TZ)
        return today.replace(day=1)
    match = MONTH.match(raw.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise MonthError(_("Give a month as YYYY-MM, e.g. 2026-11."))
    return date(int(match.group(1)), int(match.group(2)), 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return (
        datetime(month.year, month.month, 1, tzinfo=TZ),
        datetime(following.year, following.month, 1, tzinfo=TZ),
    )


def month_penalties(month: date):
    start, end = month_bounds(month)
    return Penalty.objects.filter(charged_at__gte=start, charged_at__lt=end, percent__gt=0)


def penalty_rows(month: date) -> list[dict]:
    """One row per person charged in ``month``, most charged first: in one grouped query."""

    def share(kind):
        return Sum("percent", filter=Q(kind=kind), default=0)

    grouped = (
        month_penalties(month)
        .values("user", "driver")
        .annotate(
            agent_id=Max("user__profile__agent_id"),
            username=Max("user__username"),
            driver_code=Max("driver__code"),
            name=Max("person_label"),
            driver_name=Max("driver__name"),
            display_name=Max("user__profile__display_name"),
            penalties=Count("id"),
            responsible_percent=share(PenaltyKind.RESPONSIBLE),
            head_percent=share(PenaltyKind.DEPARTMENT_HEAD),
            delay_percent=share(PenaltyKind.HANDLING_DELAY),
            total_percent=Sum("percent"),
            loss=Sum("loss_amount", filter=Q(kind=PenaltyKind.RESPONSIBLE), default=0),
            tickets=Count("ticket", distinct=True),
        )
        .order_by("-total_percent", "user", "driver")
    )
    return [_row(g) for g in grouped]


def _row(g: dict) -> dict:
    if g["driver"] is not None:
        key, label, kind = g["driver_code"] or "", g["driver_name"] or g["name"], "driver"
    else:
        key, label, kind = g["agent_id"] or g["username"], g["display_name"] or g["name"], "staff"
    return {
        "key": key,
        "label": label,
        "kind": kind,
        **{k: g[k] for k in SUMMED},
    }


def totals(rows: list[dict], month: date) -> dict:
    """The sums of the rows; the complaints counted once each (one complaint can charge two people)."""
    sums = {key: sum(row[key] for row in rows) for key in SUMMED}
    sums["tickets"] = month_penalties(month).values("ticket").distinct().count()
    return sums


def penalty_lines(month: date):
    """Every penalty of the month, oldest first (the file's second sheet)."""
    return (
        month_penalties(month)
        .select_related("ticket")
        .order_by("charged_at", "id")
        .values_list(
            "ticket__number",
            "charged_at",
            "kind",
            "person_label",
            "percent",
            "proposed_percent",
            "loss_amount",
            "minutes_late",
        )
    )


LINE_HEADERS = ("投诉单号", "扣罚时间", "扣罚类别", "责任人", "扣罚(绩效%)", "建议(绩效%)", "损失(元)", "超时(分钟)")


def penalty_workbook(month: date) -> Workbook:
    """The month's file for management: the per-person sheet with its 合计 row, then every penalty."""
    rows = penalty_rows(month)
    wb = Workbook()
    ws = wb.active
    ws.title = f"扣罚汇总{month:%Y-%m}"
    ws.append([c.zh for c in COLUMNS])
    for row in rows:
        ws.append([KIND_ZH.get(row[c.key], row[c.key]) if c.key == "kind" else row[c.key] for c in COLUMNS])
    sums = totals(rows, month)
    ws.append(["合计", "", ""] + [sums[c.key] for c in COLUMNS[3:]])
    for cell in (*ws[1], *ws[ws.max_row]):
        cell.font = BOLD
    for index, col in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + index)].width = max(col.width, len(col.zh) * 2 + 2)
    detail = wb.create_sheet("扣罚明细")
    detail.append(list(LINE_HEADERS))
    for number, at, kind, person, percent, proposed, loss, late in penalty_lines(month):
        local = at.astimezone(TZ).replace(tzinfo=None)
        detail.append([number, local, PENALTY_KIND_ZH.get(kind, kind), person, percent, proposed, loss, late])
    for cell in detail[1]:
        cell.font = BOLD
    return wb
