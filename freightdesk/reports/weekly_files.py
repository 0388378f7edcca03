"""The weekly analysis as an XLSX file for the weekly meeting (每周例会), made every Monday at 8:30 by the periodic
runner for the week that just ended, and the supervisors told by a notice on their pages (SPEC §10)."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from freightdesk.accounts.roles import Role, active_staff

from .claims import claim_file, write_claimed_file
from .labels import in_file_language
from .models import FileKind, FileState, ReportFile, ReportNotice
from .weekly import WeeklyAnalysis, monday_of, weekly_analysis

RUN_WEEKDAY = 0  # Monday
RUN_AT = time(8, 30)  # local time: before the weekly meeting
STALE = timedelta(minutes=30)  # a "running" claim older than this: its runner died, another takes over
RETRY = timedelta(minutes=10)  # a failed attempt is tried again after this
BOLD = Font(bold=True)
RATE = "0.0%"

# (key, Chinese header, width, rate?) per sheet: the files for management are in Chinese.
TYPE_COLUMNS = (
    ("label", "类别 · 子类别", 30, False),
    ("count", "本周数量", 10, False),
    ("share", "占比", 9, True),
    ("previous", "上周数量", 10, False),
    ("previous_share", "上周占比", 10, True),
    ("change", "环比增减", 10, False),
    ("change_rate", "环比变化", 10, True),
    ("average", "近4周周均", 11, False),
    ("average_change_rate", "较4周均值", 11, True),
)
REGION_COLUMNS = (
    ("label", "区域", 16, False),
    ("count", "本周数量", 10, False),
    ("share", "占比", 9, True),
    ("previous", "上周数量", 10, False),
    ("change", "环比增减", 10, False),
)
DRIVER_COLUMNS = (
    ("key", "司机编号", 10, False),
    ("label", "司机", 12, False),
    ("count", "工单数", 10, False),
    ("complaints", "投诉数", 10, False),
)
QUESTION_COLUMNS = (
    ("label", "问题", 60, False),
    ("count", "次数", 8, False),
    ("queries", "查询", 8, False),
    ("tickets", "工单", 8, False),
)


def _sheet(wb: Workbook, title: str, columns, rows: list[dict], totals: dict | None = None) -> None:
    ws = wb.create_sheet(title=title)
    ws.append([zh for _key, zh, _w, _r in columns])
    for cell in ws[1]:
        cell.font = BOLD
    for row in [*rows, *([totals] if totals else [])]:
        ws.append([row.get(key) for key, _zh, _w, _r in columns])
        for index, (_key, _zh, _w, rate) in enumerate(columns, start=1):
            cell = ws.cell(row=ws.max_row, column=index)
            cell.number_format = RATE if rate else cell.number_format
            if row is totals or row.get("level") == "category":
                cell.font = BOLD
    for index, (_key, _zh, width, _r) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"


def weekly_workbook(analysis: WeeklyAnalysis) -> Workbook:
    """Four sheets: by category and sub-category (with the totals row 合计), regions, drivers, repeated questions."""
    wb = Workbook()
    wb.remove(wb.active)
    totals = {"label": "合计", **analysis.totals}
    _sheet(wb, "类别分析", TYPE_COLUMNS, analysis.types, totals)
    _sheet(wb, "高发区域", REGION_COLUMNS, analysis.regions)
    _sheet(wb, "司机", DRIVER_COLUMNS, analysis.drivers)
    _sheet(wb, "重复问题", QUESTION_COLUMNS, analysis.questions)
    return wb


def weekly_xlsx(monday: date) -> bytes:
    with in_file_language():
        analysis = weekly_analysis(monday=monday)
    buffer = io.BytesIO()
    weekly_workbook(analysis).save(buffer)
    return buffer.getvalue()


def due_week(now: datetime) -> date:
    """The Monday of the week the runner reports on at ``now``: the week that ended before the latest Monday
    8:30 (local) at or before ``now``."""
    local = timezone.localtime(now)
    run_day = monday_of(local.date()) + timedelta(days=RUN_WEEKDAY)
    if local < datetime.combine(run_day, RUN_AT, local.tzinfo):
        run_day -= timedelta(weeks=1)
    return run_day - timedelta(weeks=1)


def weekly_analysis_due(now: datetime | None = None) -> int | None:
    """Periodic job (settings.PERIODIC_JOBS, every minute): from Monday 8:30 the week that just ended is
    analysed once into an XLSX file and the supervisors told. One indexed query once the file exists.
    Returns the id of the file made by this call, else None."""
    now = now or timezone.now()
    monday = due_week(now)
    if ReportFile.objects.filter(kind=FileKind.WEEKLY, period=monday, state=FileState.DONE).exists():
        return None
    report_file = generate_weekly_file(monday=monday, now=now)
    return report_file.pk if report_file is not None else None


def generate_weekly_file(*, monday: date, now: datetime | None = None) -> ReportFile | None:
    """Write the week's analysis file once and notify the supervisors in the transaction that marks it done
    (nothing lost, nobody told twice). None when the file is done already or another runner is writing it."""
    now = now or timezone.now()
    monday = monday_of(monday)
    report_file = claim_file(
        kind=FileKind.WEEKLY, report="weekly-analysis", period=monday, now=now, retry=RETRY, stale=STALE
    )
    if report_file is None:
        return None
    finished = write_claimed_file(
        report_file,
        now=now,
        path=f"reports/weekly-analysis-{monday:%Y-%m-%d}.xlsx",
        content=lambda: weekly_xlsx(monday),
        notify=lambda done: notify_supervisors(report_file=done, now=now),
    )
    if not finished:  # another runner took over meanwhile and writes its own file
        return None
    return report_file


def supervisors():
    return active_staff(Role.SUPERVISOR)


def notify_supervisors(*, report_file: ReportFile, now: datetime | None = None) -> int:
    """A notice to every active supervisor (``ReportNotice``), shown on their pages until they open the week's
    analysis from it. Returns how many were told."""
    now = now or timezone.now()
    people = list(supervisors())
    ReportNotice.objects.bulk_create(
        [ReportNotice(user=u, report_file=report_file, created_at=now) for u in people], ignore_conflicts=True
    )
    return len(people)


def mark_seen(*, user, monday: date, now: datetime | None = None) -> None:
    """The user opened the week's analysis from its notice: the notice goes away."""
    ReportNotice.objects.filter(
        user=user, report_file__kind=FileKind.WEEKLY, report_file__period=monday, seen_at__isnull=True
    ).update(seen_at=now or timezone.now())


def unseen_weekly_notices(user) -> list[ReportNotice]:
    return list(
        ReportNotice.objects.filter(
            user=user, seen_at__isnull=True, report_file__kind=FileKind.WEEKLY, report_file__state=FileState.DONE
        ).select_related("report_file")[:3]
    )
