"""Report pages (SPEC §12): the dashboard with charts and tables, downloads, large exports, monthly files.
Managers, supervisors and admins see all figures; an agent sees their own."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required

from .catalog import REPORTS, TOTAL_ZH, pickup_detail
from .charts import bar_chart
from .exports import detail_csv_lines, report_csv_lines, report_workbook
from .labels import in_file_language
from .models import FileKind, FileState, ReportFile, ReportNotice
from .params import ReportParamError, parse_params, scope_for, visible_regions
from .queries import PICKUP_GROUPS
from .services import request_export
from .tasks import monthly_driver_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DASHBOARD_GROUPS = {"pickup-on-time": "pickup", "complaints": "complaints", "origins": "origins"}


def export_task_rows() -> int:
    """Per-order exports above this many rows run as a background task (SPEC §12, ~100,000)."""
    return settings.REPORTS_EXPORT_TASK_ROWS


def _cell(value, col) -> str:
    """A figure as people read it: 3.8, not the 3.80000000000000 a sum of decimals comes back as; the totals
    row's 合计 in the reader's language (the files keep the Chinese)."""
    if value is None or value == "":
        return "–" if value is None else ""
    if value == TOTAL_ZH:
        return _("Total")
    if col.total == "rate":
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, Decimal):
        return _decimal(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _decimal(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.01"), ROUND_HALF_UP), "f")  # 3.80000000000000 -> 3.80 -> 3.8, 100.00 -> 100
    return text.rstrip("0").rstrip(".") if "." in text else text


def _query(params, **extra) -> str:
    """The query string of a link to the same figures: the period and region shown, plus ``extra``
    (``group_by``, ``fmt``), properly encoded (QueryDict), never ``?&…``."""
    query = QueryDict(mutable=True)
    query["from"], query["to"] = params.first_day.isoformat(), params.last_day.isoformat()
    if params.region:
        query["region"] = params.region
    query.update({key: value for key, value in extra.items() if value})
    return query.urlencode()


def _params(request, slug: str, group_key: str | None = None):
    report = REPORTS[slug]
    data = request.GET.copy()
    if group_key and f"{group_key}_by" in request.GET:
        data["group_by"] = request.GET[f"{group_key}_by"]
    elif "group_by" in data and data["group_by"] not in report.groups:
        data.pop("group_by")
    return parse_params(data, groups=report.groups, user=request.user)


@require_GET
@capability_required(Capability.VIEW_REPORTS)
def dashboard(request):
    """The desk's numbers for a period and region, each as an SVG chart with its table under it."""
    scope = scope_for(request.user)
    try:
        base = _params(request, "orders")
    except ReportParamError as exc:
        return _invalid(request, exc)
    sections = []
    now = timezone.now()
    for slug, report in REPORTS.items():
        try:
            params = _params(request, slug, DASHBOARD_GROUPS.get(slug))
        except ReportParamError as exc:
            return _invalid(request, exc)
        sections.append(_section(slug, report, params, report.named_rows(params, scope=scope, now=now)))
    return render(
        request,
        "reports/dashboard.html",
        {
            "sections": sections,
            "params": base,
            "form": request.GET,
            "regions": _regions(request.user),
            "own": scope is not None,
            "monthly": ReportFile.objects.filter(kind=FileKind.MONTHLY)[:12] if scope is None else [],
            "notices": unseen_notices(request.user),
            "detail_csv_query": _query(base, fmt="csv"),
            "detail_xlsx_query": _query(base, fmt="xlsx"),
            "from_value": base.first_day.isoformat(),
            "to_value": base.last_day.isoformat(),
        },
    )


def _section(slug: str, report, params, rows: list[dict]) -> dict:
    """One report on the dashboard: its chart, its table and totals line, and its download link."""
    percent = report.chart in ("rate", "shipped_share")
    totals = report.totals(rows)
    return {
        "slug": slug,
        "report": report,
        "rows": rows,
        "totals": totals,
        "params": params,
        "group_key": DASHBOARD_GROUPS.get(slug),
        "download_query": _query(params, group_by=params.group_by if slug in DASHBOARD_GROUPS else None),
        "chart": bar_chart(rows, value=report.chart, title=str(report.title), percent=percent, chart_id=slug),
        "table": [[_cell(row.get(col.key), col) for col in report.columns] for row in rows],
        "totals_line": [_cell(totals.get(col.key), col) for col in report.columns],
    }


def unseen_notices(user) -> list[ReportNotice]:
    """The report files this user was told about and has not downloaded yet (the monthly driver report)."""
    return list(
        ReportNotice.objects.filter(user=user, seen_at__isnull=True, report_file__state=FileState.DONE).select_related(
            "report_file"
        )[:6]
    )


def _invalid(request, exc: ReportParamError):
    return render(
        request,
        "reports/dashboard.html",
        {
            "errors": exc.errors,
            "form": request.GET,
            "regions": _regions(request.user),
            "sections": [],
            "own": True,
            "from_value": request.GET.get("from", ""),
            "to_value": request.GET.get("to", ""),
        },
        status=400,
    )


def _regions(user):
    return visible_regions(user).order_by("code").values("code", "name")


@require_GET
@capability_required(Capability.VIEW_REPORTS)
def download(request, slug: str, fmt: str):
    """One report as XLSX (Chinese headers, bold header and totals, widths) or CSV."""
    report = REPORTS.get(slug)
    if report is None or fmt not in ("xlsx", "csv"):
        raise Http404
    try:
        params = _params(request, slug)
    except ReportParamError as exc:
        return HttpResponse(
            "; ".join(m for ms in exc.errors.values() for m in ms), status=400, content_type="text/plain; charset=utf-8"
        )
    with in_file_language():  # files for management: Chinese headers and Chinese labels
        rows = report.named_rows(params, scope=scope_for(request.user))
    name = f"{slug}-{params.first_day:%Y%m%d}-{params.last_day:%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(report_csv_lines(report, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(content_type=XLSX)
        report_workbook([(report, rows, None)]).save(response)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@capability_required(Capability.VIEW_REPORTS)
def detail(request):
    """Per-order pickup detail: streamed at once when small; above the threshold, a POST queues a
    background export and redirects to its progress page."""
    try:
        params = parse_params(
            request.POST if request.method == "POST" else request.GET, groups=PICKUP_GROUPS, user=request.user
        )
    except ReportParamError as exc:
        return HttpResponse(
            "; ".join(m for ms in exc.errors.values() for m in ms), status=400, content_type="text/plain; charset=utf-8"
        )
    fmt = (request.POST if request.method == "POST" else request.GET).get("fmt", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if request.method == "POST":
        report_file = request_export(user=request.user, params=params, fmt=fmt)
        return redirect("reports:file", report_file.pk)
    rows = pickup_detail(params, scope=scope_for(request.user))
    count = rows.count()
    if count > export_task_rows() or fmt == "xlsx":
        return render(
            request,
            "reports/detail_confirm.html",
            {"params": params, "count": count, "fmt": fmt, "background": count > export_task_rows()},
        )
    response = StreamingHttpResponse(
        detail_csv_lines(rows.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="pickup-{params.first_day:%Y%m%d}.csv"'
    return response


def access_file_for(user, file_id: int) -> ReportFile:
    """A report file the user may fetch: readers see monthly reports and every export; anyone sees their own."""
    visible = Q(requested_by=user)
    if scope_for(user) is None:
        visible |= Q(kind=FileKind.MONTHLY) | Q(kind=FileKind.EXPORT) | Q(kind=FileKind.WEEKLY)
    report_file = ReportFile.objects.filter(visible, pk=file_id).first()
    if report_file is None:
        raise Http404
    return report_file


@require_GET
@capability_required(Capability.VIEW_REPORTS)
def file_status(request, file_id: int):
    """Progress of a background export (htmx polls the partial until it is done)."""
    report_file = access_file_for(request.user, file_id)
    template = "reports/file.html#progress" if request.htmx else "reports/file.html"
    return render(request, template, {"file": report_file})


@require_GET
@capability_required(Capability.VIEW_REPORTS)
def file_download(request, file_id: int):
    report_file = access_file_for(request.user, file_id)
    if not report_file.file:
        messages.info(request, _("The file is not ready yet."))
        return redirect("reports:file", file_id)
    return FileResponse(
        report_file.file.open("rb"), as_attachment=True, filename=report_file.file.name.rsplit("/", 1)[-1]
    )


@capability_required(Capability.VIEW_REPORTS)
@require_POST
def file_open(request, file_id: int):
    """The notice's download button: the notice is marked seen (a POST, never a download's GET), then the file."""
    report_file = access_file_for(request.user, file_id)
    ReportNotice.objects.filter(user=request.user, report_file=report_file, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )
    return redirect("reports:file_download", file_id)


@capability_required(Capability.VIEW_TEAM_REPORTS)
@require_POST
def monthly_now(request):
    """Generate last month's driver report now (normally the task does it on the 1st)."""
    transaction.on_commit(lambda: monthly_driver_report.enqueue())
    messages.success(request, _("Last month's driver report is being generated."))
    return redirect("reports:dashboard")
