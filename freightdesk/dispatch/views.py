"""The dispatch board, the dispatch page of one order (preview, send, record the call), missed dispatches."""

from itertools import groupby

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required, has_capability
from freightdesk.core.cleaning import CleanForm
from freightdesk.core.errors import DomainError
from freightdesk.messaging.models import MessageKind
from freightdesk.messaging.selectors import dispatch_sms_to_phone, messages_for_order
from freightdesk.orders.timeline import actor_label

from . import selectors, services
from .assignment import assign_driver, find_driver, find_vehicle
from .models import CallOutcome, Dispatch


class CallForm(CleanForm):
    role = forms.ChoiceField(label=gettext_lazy("Recipient"), choices=[])
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=CallOutcome.choices)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, actor_label(r)) for r in roles]  # driver → 司机


@capability_required(Capability.DISPATCH)
@require_GET
def board(request):
    """Confirmed orders waiting for dispatch, by pickup region, each with its 3-minute countdown."""
    orders = list(selectors.awaiting_dispatch())
    orders.sort(key=lambda o: (o.pickup_region.name, o.dispatch_due_at or o.created_at))
    groups = [(region, list(rows)) for region, rows in groupby(orders, key=lambda o: o.pickup_region)]
    template = "dispatch/board.html#rows" if request.htmx else "dispatch/board.html"
    return render(request, template, {"groups": groups, "now": timezone.now()})


def _page(request, order, *, plan=None, error=""):
    dispatch = Dispatch.objects.filter(order=order).prefetch_related("calls").first()
    # The dispatch's own messages (the SMS and the driver's link), not the customer's order texts;
    # the confirming call is to one of the dispatch SMS's recipients (record_call refuses anyone else).
    own = (MessageKind.DISPATCH, MessageKind.DRIVER_LINK)
    sent = [m for m in messages_for_order(order) if m.kind in own] if dispatch else []
    roles = list(dict.fromkeys(m.recipient_role for m in sent if m.kind == MessageKind.DISPATCH))
    return render(
        request,
        "dispatch/order.html",
        {
            "order": order,
            "plan": plan,
            "error": error,
            "dispatch": dispatch,
            "sent": sent,
            "call_form": CallForm(roles=roles) if roles else None,
            "calls": list(dispatch.calls.all()) if dispatch else [],
            "to_phone": list(dispatch_sms_to_phone(order=order)) if dispatch else [],
        },
    )


@capability_required(Capability.DISPATCH)
@require_http_methods(["GET", "POST"])
def dispatch_page(request, serial):
    """GET: exactly what will be sent, with its character count. POST: dispatch."""
    order = selectors.access_order_for(request.user, serial)
    if request.method == "POST":
        try:
            result = services.dispatch_order(order=order, agent=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if result.composition.multipart:
                messages.warning(
                    request,
                    _("The message is longer than one SMS and goes out in %(n)s parts.")
                    % {"n": result.composition.segments},
                )
            for warning in result.warnings:
                messages.warning(request, warning)
            messages.success(
                request,
                _("Order %(serial)s dispatched; now call the recipient and record the call.")
                % {"serial": order.serial},
            )
        return redirect("dispatch:order", serial=order.serial)
    plan, error = None, ""
    if order.status == "confirmed":
        try:
            plan = services.plan_dispatch(order=order, agent=request.user)
        except DomainError as exc:
            error = exc.message
    return _page(request, order, plan=plan, error=error)


@capability_required(Capability.DISPATCH)
@require_POST
def record_call(request, serial):
    order = selectors.access_order_for(request.user, serial)
    roles = list(order.messages.filter(kind=MessageKind.DISPATCH).values_list("recipient_role", flat=True).distinct())
    form = CallForm(request.POST, roles=roles)
    if not form.is_valid():
        messages.error(request, _("Choose the recipient and the outcome of the call."))
    else:
        try:
            services.record_call(order=order, agent=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Call recorded."))
    return redirect("dispatch:order", serial=order.serial)


@capability_required(Capability.OVERSEE_DEADLINES)
@require_GET
def missed(request):
    """Every dispatch that missed its 3 minutes, per agent; and orders still waiting past them."""
    return render(
        request,
        "dispatch/missed.html",
        {
            "per_agent": list(selectors.missed_per_agent()),
            "rows": list(selectors.missed_dispatches()[:500]),
            "overdue": list(selectors.overdue_undispatched(timezone.now())[:200]),
            "desk": has_capability(
                request.user, Capability.DISPATCH
            ),  # only the desk opens the dispatch page; others the order
        },
    )


class AssignForm(CleanForm):
    driver = forms.CharField(label=gettext_lazy("Driver"), max_length=20)
    vehicle = forms.CharField(label=gettext_lazy("Vehicle"), max_length=12, required=False)


@capability_required(Capability.ASSIGN_DRIVER)
@require_POST
def assign(request, serial):
    """Assign (or reassign) the driver and vehicle of a dispatched order; the desk may use it too."""
    order = selectors.access_order_for(request.user, serial)
    form = AssignForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(request))
    try:
        driver = find_driver(form.cleaned_data["driver"])
        vehicle = find_vehicle(form.cleaned_data["vehicle"]) or driver.vehicles.order_by("plate").first()
        result = assign_driver(order=order, driver=driver, vehicle=vehicle, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_back(request))
    for warning in result.warnings:
        messages.warning(request, warning)
    if result.changed:
        messages.success(
            request,
            _("%(serial)s: %(driver)s assigned; the order SMS and his link are queued.")
            % {"serial": order.serial, "driver": driver.name},
        )
    return redirect(_back(request))


def _back(request) -> str:
    """Back to the page the form was on (the fleet manager's queue, the desk's tracking page), else home."""
    page = request.POST.get("next", "")
    return page if page.startswith("/") and not page.startswith("//") else "home"
