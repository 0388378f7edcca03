"""Report files (SPEC §12): large exports in the background, the monthly driver report and its notices."""

import io
import logging
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from freightdesk.accounts.roles import Role, active_staff
from freightdesk.core.errors import DomainError
from freightdesk.core.links import public_url
from freightdesk.messaging.models import Message, MessageKind
from freightdesk.messaging.services import Outgoing, queue_message

from .catalog import REPORTS, pickup_detail
from .claims import claim_file, write_claimed_file
from .exports import detail_csv_lines, report_workbook, write_detail_xlsx
from .labels import in_file_language
from .models import FileKind, FileState, ReportFile, ReportNotice
from .params import ReportParams, parse_params, scope_for
from .queries import PICKUP_GROUPS

logger = logging.getLogger(__name__)
BATCH = 5000


# --- background exports and the monthly driver report ---------------------------------------------
def request_export(*, user, params, fmt: str) -> ReportFile:
    """Queue a large per-order export (more than ``EXPORT_TASK_ROWS`` rows) as a background task on
    the ``reports`` queue; the page shows its progress and the download link when done."""
    from .tasks import build_export

    with transaction.atomic():
        report_file = ReportFile.objects.create(
            kind=FileKind.EXPORT,
            report="pickup-detail",
            fmt=fmt,
            requested_by=user,
            params={
                "from": params.first_day.isoformat(),
                "to": params.last_day.isoformat(),
                "region": params.region,
                "group_by": params.group_by,
            },
        )
        transaction.on_commit(lambda: build_export.enqueue(report_file.pk))
    return report_file


def run_export(*, file_id: int, now: datetime | None = None) -> ReportFile | None:
    """Write the file of a queued export; safe to run twice (a finished file is left as it is)."""
    claimed = ReportFile.objects.filter(pk=file_id, state__in=[FileState.QUEUED, FileState.FAILED]).update(
        state=FileState.RUNNING
    )
    if not claimed:
        return None
    report_file = ReportFile.objects.select_related("requested_by").get(pk=file_id)
    params = parse_params(report_file.params, groups=PICKUP_GROUPS, user=report_file.requested_by)
    scope = scope_for(report_file.requested_by) if report_file.requested_by else None
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
        state=FileState.DONE, file=report_file.file.name, rows_done=written, finished_at=timezone.now()
    )
    return ReportFile.objects.get(pk=file_id)


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


MONTHLY_STALE = timedelta(minutes=30)  # a running attempt older than this died: another runner may take over
MONTHLY_RETRY = timedelta(minutes=10)  # a failed attempt is tried again after this


def last_month(now: datetime | None = None) -> date:
    """The first day of the calendar month before ``now`` (local time)."""
    today = timezone.localtime(now or timezone.now()).date()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def monthly_report_due(now: datetime | None = None) -> int | None:
    """Periodic job (settings.PERIODIC_JOBS, run every minute by ``run_periodic``): from the 1st of each
    month, last month's driver report is generated once and the managers notified. Costs one indexed
    query once it exists. Returns the id of the month's finished file, else None (another runner is at it)."""
    now = now or timezone.now()
    first = last_month(now)
    if ReportFile.objects.filter(kind=FileKind.MONTHLY, period=first, state=FileState.DONE).exists():
        return None
    report_file = generate_monthly_report(month=first, now=now)
    return report_file.pk if report_file is not None else None


def generate_monthly_report(*, month: date, now: datetime | None = None) -> ReportFile | None:
    """The monthly report per driver (SPEC §9 "complaints … countable per driver, submitted monthly";
    §12 on-time pickup per driver): one XLSX with both sheets for the calendar month, stored once per
    month, and the managers notified (an in-app notice on the dashboard, an SMS through the outbox, an
    e-mail). Idempotent under concurrency: only the runner holding the claim writes and notifies; a second
    call returns the done file, or None while another runner is still at it."""
    now = now or timezone.now()
    first, last = month_bounds(month)
    done = ReportFile.objects.filter(kind=FileKind.MONTHLY, period=first, state=FileState.DONE).first()
    if done is not None:
        return done
    report_file = claim_file(
        kind=FileKind.MONTHLY, report="driver-monthly", period=first, now=now, retry=MONTHLY_RETRY, stale=MONTHLY_STALE
    )
    if report_file is None:
        return ReportFile.objects.filter(kind=FileKind.MONTHLY, period=first, state=FileState.DONE).first()

    def workbook() -> bytes:
        params = ReportParams(first_day=first, last_day=last, group_by="driver", region=None)
        with in_file_language():
            sheets = [
                (REPORTS["pickup-on-time"], REPORTS["pickup-on-time"].named_rows(params, now=now), "司机及时提货率"),
                (REPORTS["complaints"], REPORTS["complaints"].named_rows(params), "司机投诉与建议"),
            ]
        buffer = io.BytesIO()
        report_workbook(sheets).save(buffer)
        return buffer.getvalue()

    # a runner whose claim was taken over (it looked dead) leaves the file to the one that took it
    write_claimed_file(
        report_file,
        now=now,
        path=f"reports/driver-monthly-{first:%Y-%m}.xlsx",
        content=workbook,
        notify=lambda done: notify_managers(report_file=done, now=now),
    )
    return ReportFile.objects.filter(kind=FileKind.MONTHLY, period=first, state=FileState.DONE).first()


def managers():
    return active_staff(Role.MANAGER)


def notify_managers(*, report_file: ReportFile, now: datetime | None = None) -> int:
    """Tell every active manager that the monthly report is ready, in the caller's transaction (written
    together with the file's "done", so nothing is lost or sent twice):

    - an in-app notice on the reports dashboard (``ReportNotice``, until he opens the file from it);
    - an SMS through the outbox (messaging; sent by the worker after commit, retried if the gateway
      fails) to managers with a valid mobile number in their staff profile;
    - an e-mail to managers with an address, after commit (best effort).

    Returns the number of managers notified."""
    now = now or timezone.now()
    people = list(managers().select_related("profile"))
    link = public_url("reports:file_download", report_file.pk)
    month = f"{report_file.period:%Y-%m}"
    ReportNotice.objects.bulk_create(
        [ReportNotice(user=u, report_file=report_file, created_at=now) for u in people], ignore_conflicts=True
    )
    for user in people:
        _text_manager(user, month=month, link=link, now=now)
    recipients = [u.email for u in people if u.email]
    if recipients:
        transaction.on_commit(
            lambda: send_mail(
                f"月度司机报表 {month}", f"报表已生成，下载：{link}", None, recipients, fail_silently=True
            )
        )
    return len(people)


def _text_manager(user, *, month: str, link: str, now) -> None:
    """The report's SMS to one manager, once per month (its key); a number the outbox refuses is logged."""
    phone = getattr(getattr(user, "profile", None), "phone", "")
    key = f"driver-monthly-{month}-{user.pk}"
    if not phone or Message.objects.filter(idempotency_key=key).exists():
        return
    outgoing = Outgoing(
        to=phone,
        text=f"{month}月度司机报表已生成，请登录系统下载：{link}",
        signature=settings.SMS_SIGNATURE,
        role="manager",
        name=user.get_username(),
    )
    try:
        queue_message(outgoing=outgoing, kind=MessageKind.OTHER, key=key, now=now)
    except DomainError as exc:
        logger.warning("monthly report SMS to %s not queued: %s", user.get_username(), exc.message)
