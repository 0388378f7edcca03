"""Report background work on the ``reports`` queue: each task loads by id and calls a service."""

from datetime import date, timedelta

from django.utils import timezone
from django_tasks import task


@task(queue_name="reports")
def build_export(file_id: int) -> bool:
    """Write a large export's file (SPEC §12 exports); a no-op when already done."""
    from .services import run_export

    return run_export(file_id=file_id) is not None


@task(queue_name="reports")
def monthly_driver_report(month: str | None = None) -> int:
    """The monthly driver report for ``month`` (YYYY-MM-DD, any day of it); by default the month
    that just ended. On the 1st the periodic job ``services.monthly_report_due`` generates it by itself;
    this task is for a manager's "generate now" and ``manage.py monthly_driver_report``."""
    from .services import generate_monthly_report

    day = date.fromisoformat(month) if month else timezone.localdate().replace(day=1) - timedelta(days=1)
    report_file = generate_monthly_report(month=day)
    return report_file.pk if report_file is not None else 0  # 0: another runner is generating it


@task(queue_name="reports")
def weekly_analysis_file(week: str) -> int:
    """The weekly analysis file of the week of ``week`` (YYYY-MM-DD, any day of it); every Monday 8:30 the
    periodic job ``weekly_files.weekly_analysis_due`` makes last week's by itself."""
    from .weekly_files import generate_weekly_file

    report_file = generate_weekly_file(monday=date.fromisoformat(week))
    return report_file.pk if report_file is not None else 0
