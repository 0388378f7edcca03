"""The field's pages, made for a phone (SPEC §1): the fleet manager's queue, assignments and escalations; the
driver's own list and reports; the market developer's region. Thin: parse, fetch through an access function,
call one service, render. State changes only on POST."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required
from freightdesk.core.errors import DomainError
from freightdesk.orders.models import Order
from freightdesk.tracking import field_reports, positions, urging
from freightdesk.tracking.models import ExceptionReason, FieldReportKind, FollowUpAction

from . import selectors
from .forms import FleetCallForm, PositionForm, ReportForm

logger = logging.getLogger(__name__)


# --- the fleet manager (车管) -------------------------------------------------------
@capability_required(Capability.WORK_FLEET)
@require_GET
def fleet(request):
    """His queue (oldest first, with the 3-minute and 30-minute clocks), his escalations, his drivers' day."""
    user, now = request.user, timezone.now()
    regions = selectors.fleet_regions(user)  # read once, for the queue and its count
    queue = selectors.fleet_queue(user, regions=regions)
    full = len(queue) >= selectors.FLEET_QUEUE_LIMIT
    return render(
        request,
        "field/fleet.html",
        {
            "queue": queue,
            "waiting": selectors.fleet_waiting_count(user, regions=regions) if full else len(queue),
            "escalations": list(urging.escalations_to(user)),
            "figures": selectors.drivers_today(user, now),
            "now": now,
        },
    )


@capability_required(Capability.WORK_FLEET)
@require_GET
def fleet_assign(request, serial):
    """The assign form of one order of his queue, loaded into its card when he taps "Assign" (a page of its own
    without scripts): his active drivers, the pickup region's first, and the vehicles."""
    found = selectors.fleet_order(request.user, serial)
    if found is None:  # picked up or reassigned meanwhile, or not his: said in the card, not a broken tap
        template = "field/fleet_assign.html#gone" if request.htmx else "field/fleet_assign.html"
        return render(request, template, {"gone": True}, status=200 if request.htmx else 404)
    order, assignment = found
    context = {
        "order": order,
        "assignment": assignment,
        "drivers": selectors.drivers_offered(request.user, order.pickup_region_id),
        "vehicles": selectors.vehicles_offered(request.user),
    }
    return render(request, "field/fleet_assign.html" + ("#assign" if request.htmx else ""), context)


@capability_required(Capability.WORK_FLEET)
@require_POST
def fleet_called(request, pk):
    """One tap: the fleet manager called the driver about an escalated delivery (with a note)."""
    escalation = FollowUpAction.objects.select_related("followup__order__driver").filter(pk=pk).first()
    if escalation is None:
        raise Http404
    form = FleetCallForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        urging.record_fleet_call(escalation=escalation, by=request.user, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Recorded: you called the driver."))
    return redirect("field:fleet")


# --- the driver (司机) --------------------------------------------------------------
@capability_required(Capability.DRIVE)
@require_GET
def driver(request):
    """His own list for today: pickups, deliveries, what he delivered; the buttons report through ``report``."""
    me = field_reports.driver_of(request.user)
    return render(
        request,
        "field/driver.html",
        {
            "driver": me,
            "day": selectors.driver_day(me, timezone.now()),
            "reasons": ExceptionReason.choices,
            "kinds": FieldReportKind,
        },
    )


def _form_errors(form) -> JsonResponse:
    """A form the driver's page posted, refused: each field's messages, for its script to show."""
    return JsonResponse({"errors": {f: [str(e) for e in errs] for f, errs in form.errors.items()}}, status=422)


@capability_required(Capability.DRIVE)
@require_POST
def report(request):
    """A report from the driver's page (JSON answer for its script; kept and resent by the phone when offline)."""
    me = field_reports.driver_of(request.user)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _form_errors(form)
    data = form.cleaned_data
    try:
        position = field_reports.checked_position(data["latitude"], data["longitude"], data["accuracy"])
        row, replayed = field_reports.report_from_driver(
            driver=me,
            serial=data["serial"],
            report=field_reports.Report(
                kind=data["kind"],
                key=data["key"],
                at=data["at"],
                position=position,
                place=data["place"],
                pieces=data["pieces"],
                receiver=data["receiver"],
                reason=data["reason"],
                note=data["note"],
                photo=request.FILES.get("photo"),
            ),
        )
    except Http404:
        return JsonResponse({"errors": {"serial": [_("This is not one of your orders.")]}}, status=404)
    except (DomainError, ValidationError) as exc:
        message = exc.message if isinstance(exc, DomainError) else exc.messages[0]
        field = getattr(exc, "field", None) or "__all__"
        status = exc.http_status if isinstance(exc, DomainError) else 422
        return JsonResponse({"errors": {field: [message]}}, status=status)
    status = Order.objects.filter(pk=row.order_id).values_list("status", flat=True).first()
    return JsonResponse({"ok": True, "replayed": replayed, "kind": row.kind, "status": status})


@capability_required(Capability.DRIVE)
@require_POST
def position(request):
    """The phone's live position while the driver's page is open and he allowed it (JSON for its script)."""
    me = field_reports.driver_of(request.user)
    form = PositionForm(request.POST)
    if not form.is_valid():
        return _form_errors(form)
    data = form.cleaned_data
    try:
        where = field_reports.checked_position(data["latitude"], data["longitude"], data["accuracy"])
    except DomainError as exc:
        return JsonResponse({"errors": {getattr(exc, "field", None) or "__all__": [exc.message]}}, status=422)
    kept = positions.share_position(driver=me, position=where)
    return JsonResponse({"ok": True, "kept": kept})


# --- the market developer (市场开拓人员) ----------------------------------------------
@capability_required(Capability.WATCH_REGION)
@require_GET
def region(request):
    """His regions: today's orders, the pickups not made yet, this month's complaints."""
    return render(request, "field/region.html", {**selectors.region_day(request.user, timezone.now())})
