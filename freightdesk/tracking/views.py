"""Tracking pages: an order's follow-up page with its actions, the driver's link,
public tracking. Thin: parse, fetch through an access function, call one service, render."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required
from freightdesk.accounts.roles import public_view
from freightdesk.core.errors import DomainError
from freightdesk.dispatch.links import driver_link_url
from freightdesk.followups.models import FollowUpKind
from freightdesk.knowledge.selectors import articles_by_source
from freightdesk.orders.selectors import order_timeline

from . import driver_links, queries, selectors, status, urging
from .forms import ActionForm, CallbackForm, EventForm, QueryForm, TrackForm
from .models import ActionKind, EventType, Source
from .ratelimit import allow, client_address

logger = logging.getLogger(__name__)


def _action_form(request, order, followups):
    """The action the board's link asked for, prefilled (the urge or escalation SMS from its template)."""
    action, pk = request.GET.get("action"), request.GET.get("followup", "")
    chosen = next((f for f in followups if str(f.pk) == pk), None)
    if chosen is None:
        return None, None
    if action == "callback" or chosen.kind == FollowUpKind.CALLBACK:
        return "callback", CallbackForm(initial={"followup": chosen.pk})
    kind = ActionKind.ESCALATE if action == "escalate" else ActionKind.URGE
    now = timezone.now()
    called = request.GET.get("called")
    called = called == "1" if called in ("0", "1") else urging.customer_called_recently(order, now)
    called = called and kind == ActionKind.URGE
    try:
        text, _code, _params = urging.draft(kind, order=order, agent=request.user, now=now, customer_called=called)
    except DomainError as exc:
        messages.warning(request, exc.message)
        text = ""
    return str(kind), ActionForm(initial={"followup": chosen.pk, "text": text, "customer_called": called})


@capability_required(Capability.TRACK)
@require_GET
def order_page(request, serial):
    order = selectors.access_order_for(request.user, serial)
    context = selectors.order_tracking(order)
    archived = articles_by_source([f"query:{q.pk}" for q in context["queries"]])
    for q in context["queries"]:  # 归档至知识库: an answered query offers it, an archived one links to its article
        q.archived = archived.get(f"query:{q.pk}")
    action, action_form = _action_form(request, order, context["followups"])
    link = order.driver_links.order_by("-created_at").first()
    context.update(
        order=order,
        action=action,
        action_form=action_form,
        event_form=EventForm(),
        query_form=QueryForm(),
        timeline=list(order_timeline(order)),
        now=timezone.now(),
        driver_url=driver_link_url(link.token) if link else "",
    )
    return render(request, "tracking/order.html", context)


def _back(order):
    return redirect("tracking:order", serial=order.serial)


def _refuse(request, exc):
    if isinstance(exc, ValidationError):
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.error(request, exc.message)


def _form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@capability_required(Capability.TRACK)
@require_POST
def report(request, serial):
    """An agent reports pickup, delivery or an exception on the phone's behalf."""
    order = selectors.access_order_for(request.user, serial)
    form = EventForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(order)
    data = form.cleaned_data
    try:
        status.report_event(
            order=order,
            type=data["type"],
            at=data["at"],
            note=data["note"],
            source=Source.AGENT,
            by=request.user,
            waybill=data["waybill"],
        )
    except DomainError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("Recorded: %(event)s.") % {"event": EventType(data["type"]).label})
    return _back(order)


@capability_required(Capability.TRACK)
@require_POST
def act(request, serial, kind):
    """Urge the driver or escalate to the fleet manager: the SMS and the call, in one action."""
    order = selectors.access_order_for(request.user, serial)
    form = ActionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(order)
    followup = selectors.access_followup_for(request.user, order, form.cleaned_data["followup"])
    data = form.cleaned_data
    try:
        if kind == ActionKind.ESCALATE:
            urging.escalate(
                followup=followup,
                agent=request.user,
                text=data["text"],
                call_outcome=data["call_outcome"],
                note=data["note"],
            )
        else:
            urging.urge_driver(
                followup=followup,
                agent=request.user,
                text=data["text"],
                call_outcome=data["call_outcome"],
                note=data["note"],
                customer_called=data["customer_called"],
            )
    except DomainError as exc:
        _refuse(request, exc)
        return redirect(f"{reverse('tracking:order', args=[order.serial])}?action={kind}&followup={followup.pk}")
    messages.success(request, _("Recorded in the tracking record; the SMS is queued."))
    return redirect("desk:board")


@capability_required(Capability.TRACK)
@require_POST
def callback_done(request, serial):
    order = selectors.access_order_for(request.user, serial)
    form = CallbackForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(order)
    followup = selectors.access_followup_for(request.user, order, form.cleaned_data["followup"])
    try:
        queries.complete_callback(
            followup=followup,
            agent=request.user,
            note=form.cleaned_data["note"],
            call_outcome=form.cleaned_data["call_outcome"],
        )
    except DomainError as exc:
        _refuse(request, exc)
        return _back(order)
    messages.success(request, _("Callback recorded."))
    return redirect("desk:board")


@capability_required(Capability.TRACK)
@require_POST
def query(request, serial):
    """Record a customer's query on the order (SPEC §8)."""
    order = selectors.access_order_for(request.user, serial)
    form = QueryForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(order)
    try:
        queries.record_query(order=order, agent=request.user, **form.cleaned_data)
    except (DomainError, ValidationError) as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("Query recorded on the order."))
    return _back(order)


@capability_required(Capability.TRACK)
@require_POST
def send_link(request, serial):
    order = selectors.access_order_for(request.user, serial)
    try:
        driver_links.send_driver_link(order=order, agent=request.user)
    except DomainError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("The driver's link is queued by SMS."))
    return _back(order)


@public_view
@require_http_methods(["GET", "POST"])
def driver(request, token):
    """The driver's mobile page (no password): report picked up / delivered for the order of his link."""
    now = timezone.now()
    address = client_address(request)
    if not allow(address, scope="driver", limit=60):
        return HttpResponse(_("Too many requests; wait a minute."), status=429)
    link = driver_links.link_for(token, now)
    if link is None:
        logger.warning("driver link refused: unknown or expired token from %s", address)
        return render(request, "tracking/driver.html", {"expired": True}, status=404)
    error = ""
    if request.method == "POST":
        try:
            driver_links.report_by_link(
                token=token,
                serial=request.POST.get("serial", ""),
                type=request.POST.get("type", ""),
                note=request.POST.get("note", ""),
                address=address,
                now=now,
            )
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("tracking:driver", token=token)
    order = link.order
    order.refresh_from_db(fields=["status"])
    nxt = {"dispatched": EventType.PICKED_UP, "picked_up": EventType.DELIVERED, "in_transit": EventType.DELIVERED}
    return render(
        request,
        "tracking/driver.html",
        {
            "order": order,
            "next": nxt.get(order.status),
            "error": error,
            "events": list(order.status_events.order_by("at", "id")),
            "token": token,
        },
    )


@public_view
@require_GET
def track(request):
    """Public self-service tracking: order number and the last four digits of the shipper's or consignee's phone."""
    form = TrackForm(request.GET or None)
    result, not_found = None, False
    if form.is_bound and form.is_valid():
        if not allow(client_address(request)):
            return render(request, "tracking/track.html", {"form": form, "limited": True}, status=429)
        result = selectors.public_tracking(form.cleaned_data["serial"], form.cleaned_data["phone_last4"])
        not_found = result is None
    return render(
        request,
        "tracking/track.html",
        {"form": form, "result": result, "not_found": not_found},
        status=404 if not_found else 200,
    )
