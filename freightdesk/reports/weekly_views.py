"""The weekly analysis page and its XLSX (SPEC §10: weekly analysis of frequent problems), for supervisors,
managers and admins."""

from datetime import date, timedelta

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required

from .models import FileKind, FileState, ReportFile
from .weekly import monday_of, weekly_analysis
from .weekly_files import due_week, mark_seen, weekly_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EARLIEST = date(2000, 1, 3)  # a Monday; weeks before it are refused rather than computed


class WeekError(ValueError):
    pass


def parse_week(value: str | None, *, today: date) -> date:
    """The Monday of the week asked for (any day of it, YYYY-MM-DD); by default the last finished week."""
    if not value:
        return due_week(timezone.now())
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise WeekError(_("Enter the week as a date, e.g. 2026-11-30.")) from None
    if day < EARLIEST:
        raise WeekError(_("Weeks before %(day)s are not analysed.") % {"day": EARLIEST.isoformat()})
    if day > today:
        raise WeekError(_("This week has not begun yet."))
    return monday_of(day)


def _percent(value, sign: str = "+") -> str:
    return "–" if value is None else f"{value * 100:{sign}.1f}%"


@require_GET
@capability_required(Capability.VIEW_TEAM_REPORTS)
def weekly(request):
    today = timezone.localdate()
    try:
        monday = parse_week(request.GET.get("week"), today=today)
    except WeekError as exc:
        return render(
            request, "reports/weekly.html", {"error": str(exc), "week_value": request.GET.get("week", "")}, status=400
        )
    analysis = weekly_analysis(monday=monday)
    stored = ReportFile.objects.filter(kind=FileKind.WEEKLY, period=monday, state=FileState.DONE).first()
    context = {
        "a": analysis,
        "week_value": monday.isoformat(),
        "previous_week": (monday - timedelta(weeks=1)).isoformat(),
        "next_week": (monday + timedelta(weeks=1)).isoformat() if monday + timedelta(weeks=1) <= today else "",
        "in_progress": monday + timedelta(days=6) >= today,
        "stored": stored,
    }
    for row in [*analysis.types, analysis.totals]:
        row["change_text"] = _percent(row["change_rate"])
        row["average_change_text"] = _percent(row["average_change_rate"])
    for row in [*analysis.types, *analysis.regions]:
        row["share_text"] = _percent(row["share"], "")
    return render(request, "reports/weekly.html", context)


@require_GET
@capability_required(Capability.VIEW_TEAM_REPORTS)
def weekly_download(request):
    try:
        monday = parse_week(request.GET.get("week"), today=timezone.localdate())
    except WeekError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(weekly_xlsx(monday), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="weekly-analysis-{monday:%Y-%m-%d}.xlsx"'
    return response


@capability_required(Capability.VIEW_TEAM_REPORTS)
@require_POST
def weekly_open(request):
    """The notice's button: the notice is marked seen (a POST; reading the page writes nothing), then the page."""
    try:
        monday = parse_week(request.POST.get("week"), today=timezone.localdate())
    except WeekError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    mark_seen(user=request.user, monday=monday)
    return redirect(f"{reverse('reports:weekly')}?week={monday.isoformat()}")
