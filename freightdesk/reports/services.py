"""Writes the reports need: stored pickup deadlines (SPEC §7/§12)."""

import io
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import BigIntegerField, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from freightdesk.core import worktime
from freightdesk.orders.models import Order
from freightdesk.tracking.models import DriverLink, Shipment

from .models import FileKind, FileState, PickupDeadline, ReportFile

BATCH = 5000


def orders_missing_deadline(*, start: datetime | None = None, end: datetime | None = None):
    qs = Order.objects.filter(~Exists(PickupDeadline.objects.filter(order_id=OuterRef("pk"))))
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lt=end)
    return qs.order_by()


def record_pickup_deadlines(*, start: datetime | None = None, end: datetime | None = None) -> int:
    """Store the pickup deadline (提货时效) of every order in [start, end) that has none: SPEC §7 "in
    working hours a vehicle is arranged within 30 minutes of the order", i.e.
    ``worktime.deadline_for("pickup", order.created_at)``. Idempotent (rows that exist are skipped),
    so the report pages, the API and the nightly task can all call it. Returns the rows written."""
    first_driver = DriverLink.objects.filter(order_id=OuterRef("pk"), driver__isnull=False).order_by("created_at", "id")
    rows = (
        orders_missing_deadline(start=start, end=end)
        .annotate(driver_sent=Coalesce(Subquery(first_driver.values("driver_id")[:1]), "pickup_region__driver_id",
                                     output_field=BigIntegerField()))
        .values_list("pk", "created_at", "pickup_region_id", "driver_sent")
    )
    written = 0
    batch: list[PickupDeadline] = []
    calendar, rule = worktime.get_calendar(), worktime.policy_rule("pickup")
    for pk, created_at, region_id, driver_id in rows.iterator(chunk_size=BATCH):
        due = calendar.deadline(rule, created_at)
        batch.append(PickupDeadline(order_id=pk, created_at=created_at, region_id=region_id, driver_id=driver_id,
                                    due_at=due))
        if len(batch) >= BATCH:
            written += _flush(batch)
    written += _flush(batch)
    sync_pickups(start=start, end=end)
    return written


def sync_pickups(*, start: datetime | None = None, end: datetime | None = None) -> int:
    """Copy the order status and the pickup time (tracking.Shipment.picked_up_at) onto the stored
    deadlines whose pickup is not known yet, in one UPDATE with correlated subqueries (no Python loop).
    Rows with a pickup time or a voided order are final and not touched again."""
    qs = PickupDeadline.objects.filter(picked_up_at__isnull=True).exclude(status="void")
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lt=end)
    return qs.update(
        picked_up_at=Subquery(Shipment.objects.filter(order_id=OuterRef("order_id")).values("picked_up_at")[:1]),
        status=Subquery(Order.objects.filter(pk=OuterRef("order_id")).values("status")[:1]),
    )


def _flush(batch: list[PickupDeadline]) -> int:
    if not batch:
        return 0
    with transaction.atomic():
        PickupDeadline.objects.bulk_create(batch, ignore_conflicts=True)
    count = len(batch)
    batch.clear()
    return count


# --- background exports and the monthly driver report ---------------------------------------------
def request_export(*, user, params, fmt: str) -> ReportFile:
    """Queue a large per-order export (more than ``EXPORT_TASK_ROWS`` rows) as a background task on
    the ``reports`` queue; the page shows its progress and the download link when done."""
    from .tasks import build_export

    with transaction.atomic():
        report_file = ReportFile.objects.create(
            kind=FileKind.EXPORT, report="pickup-detail", fmt=fmt, requested_by=user,
            params={"from": params.first_day.isoformat(), "to": params.last_day.isoformat(),
                    "region": params.region, "group_by": params.group_by},
        )
        transaction.on_commit(lambda: build_export.enqueue(report_file.pk))
    return report_file


def run_export(*, file_id: int, now: datetime | None = None) -> ReportFile | None:
    """Write the file of a queued export; safe to run twice (a finished file is left as it is)."""
    from .catalog import pickup_detail
    from .exports import detail_csv_lines, write_detail_xlsx
    from .params import parse_params, scope_for
    from .queries import PICKUP_GROUPS

    claimed = ReportFile.objects.filter(pk=file_id, state__in=[FileState.QUEUED, FileState.FAILED]).update(
        state=FileState.RUNNING)
    if not claimed:
        return None
    report_file = ReportFile.objects.select_related("requested_by").get(pk=file_id)
    params = parse_params(report_file.params, groups=PICKUP_GROUPS)
    scope = scope_for(report_file.requested_by) if report_file.requested_by else None
    record_pickup_deadlines(start=params.period.start, end=params.period.end)
    rows = pickup_detail(params, scope=scope, now=now)
    ReportFile.objects.filter(pk=file_id).update(rows_total=rows.count())
    name = f"pickup-{params.first_day:%Y%m%d}-{params.last_day:%Y%m%d}-{file_id}.{report_file.fmt}"

    def progress(done: int) -> None:
        ReportFile.objects.filter(pk=file_id).update(rows_done=done)

    try:
        with tempfile.NamedTemporaryFile(suffix="." + report_file.fmt, delete=False) as tmp:
            tmp_path = Path(tmp.name)
        if report_file.fmt == "csv":
            with tmp_path.open("w", encoding="utf-8", newline="") as out:
                for line in detail_csv_lines(rows.iterator(chunk_size=BATCH)):
                    out.write(line)
            written = rows.count()
        else:
            written = write_detail_xlsx(tmp_path, rows.iterator(chunk_size=BATCH), progress=progress)
        with tmp_path.open("rb") as data:
            report_file.file.save(name, File(data), save=False)
    except Exception as exc:
        ReportFile.objects.filter(pk=file_id).update(state=FileState.FAILED, error=str(exc)[:300])
        raise
    finally:
        tmp_path.unlink(missing_ok=True)
    ReportFile.objects.filter(pk=file_id).update(
        state=FileState.DONE, file=report_file.file.name, rows_done=written, finished_at=timezone.now())
    return ReportFile.objects.get(pk=file_id)


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def generate_monthly_report(*, month: date, now: datetime | None = None) -> ReportFile:
    """The monthly report per driver (SPEC §9 "complaints … countable per driver, submitted monthly";
    §12 on-time pickup per driver): one XLSX with both sheets for the calendar month, stored once per
    month (a second run returns the same file), and the managers are e-mailed a download link."""
    from .catalog import REPORTS
    from .exports import report_workbook
    from .params import ReportParams

    first, last = month_bounds(month)
    existing = ReportFile.objects.filter(kind=FileKind.MONTHLY, period=first, state=FileState.DONE).first()
    if existing:
        return existing
    record_pickup_deadlines(start=ReportParams(first, last, "driver", None).period.start,
                            end=ReportParams(first, last, "driver", None).period.end)
    params = ReportParams(first_day=first, last_day=last, group_by="driver", region=None)
    sheets = [
        (REPORTS["pickup-on-time"], REPORTS["pickup-on-time"].rows(params, now=now), "司机及时提货率"),
        (REPORTS["complaints"], REPORTS["complaints"].rows(params), "司机投诉与建议"),
    ]
    buffer = io.BytesIO()
    report_workbook(sheets).save(buffer)
    with transaction.atomic():
        report_file, _created = ReportFile.objects.get_or_create(
            kind=FileKind.MONTHLY, period=first, defaults={"report": "driver-monthly", "fmt": "xlsx"})
        report_file.file.save(f"driver-monthly-{first:%Y-%m}.xlsx", ContentFile(buffer.getvalue()), save=False)
        report_file.state, report_file.finished_at = FileState.DONE, timezone.now()
        report_file.save()
        transaction.on_commit(lambda: notify_managers(report_file=report_file))
    return report_file


def notify_managers(*, report_file: ReportFile) -> int:
    """E-mail every active manager with an address that the monthly report is ready."""
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail
    from django.urls import reverse

    from freightdesk.accounts.roles import Role

    recipients = list(get_user_model().objects.filter(groups__name=Role.MANAGER, is_active=True)
                      .exclude(email="").values_list("email", flat=True))
    if not recipients:
        return 0
    link = reverse("reports:file_download", args=[report_file.pk])
    send_mail(f"月度司机报表 {report_file.period:%Y-%m}", f"报表已生成，下载：{link}", None, recipients,
              fail_silently=True)
    return len(recipients)
