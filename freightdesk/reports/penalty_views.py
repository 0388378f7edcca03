"""The monthly penalty report's page and its XLSX (SPEC §9 step 7, §12): supervisors and managers only."""

from io import BytesIO

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from freightdesk.accounts.capabilities import Capability, capability_required

from . import penalties

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@capability_required(Capability.VIEW_PENALTY_REPORT)
@require_GET
def penalty_report(request):
    """Per person, the month's penalties; ``?month=YYYY-MM`` (default this month), ``&format=xlsx`` for the file."""
    try:
        month = penalties.parse_month(request.GET.get("month"))
    except penalties.MonthError as exc:
        context = {"error": str(exc), "month_value": request.GET.get("month", "")[:20], "columns": penalties.COLUMNS}
        return render(request, "reports/penalties.html", context, status=422)
    if request.GET.get("format") == "xlsx":
        buffer = BytesIO()
        penalties.penalty_workbook(month).save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="penalties-{month:%Y-%m}.xlsx"'
        return response
    rows = penalties.penalty_rows(month)
    context = {
        "month": month,
        "month_value": f"{month:%Y-%m}",
        "columns": penalties.COLUMNS,
        "rows": [[row[c.key] for c in penalties.COLUMNS] for row in rows],
        "totals": penalties.totals(rows, month),
    }
    return render(request, "reports/penalties.html", context)
