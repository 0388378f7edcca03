"""The customer's side (SPEC §2 网上下单, §5): the public web order page (no login, abuse-guarded),
the page that shows the serial, the order state by serial + last four digits, and a customer
account's own orders with "repeat"."""

import uuid

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from freightdesk.accounts.capabilities import Capability, capability_required
from freightdesk.accounts.roles import public_view
from freightdesk.core import ratelimit
from freightdesk.core.cleaning import CleanForm
from freightdesk.core.errors import DomainError
from freightdesk.network.selectors import active_regions

from . import selectors
from .corrections import order_form_data
from .forms import OrderForm
from .intake import record_refused_enquiry, take_order
from .models import Channel, Order, PaymentMethod, Status

MAX_BODY = 16_000  # bytes: an order is a few hundred; anything bigger is not a person typing
ORDER_RATE = settings.FREIGHTDESK["WEB_ORDER_RATE"]  # posts per client address per window (seconds)
STATUS_RATE = settings.FREIGHTDESK["WEB_STATUS_RATE"]
SESSION_KEY = "web_orders"
STATUS_KINDS = ("received", "reviewed", "status", "taken")


class WebOrderForm(OrderForm):
    """SPEC §5 web form: the same fields and checks as the phone desk, no fees (the agent adds them
    at review), and a honeypot that people never see and bots fill in."""

    loading_fee = None
    other_fee = None
    website = forms.CharField(required=False, max_length=200, label=gettext_lazy("Leave this empty"))


class StatusForm(CleanForm):
    serial = forms.CharField(label=gettext_lazy("Order serial"), max_length=12)
    phone_last4 = forms.RegexField(
        label=gettext_lazy("Last 4 digits of the pickup or delivery phone"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={"invalid": gettext_lazy("Enter the last four digits of the phone number.")},
    )


def over_rate(request, scope: str, rate: tuple[int, int]) -> bool:
    """Fixed-window counter per client address in the shared cache (Redis in production)."""
    limit, window = rate
    return not ratelimit.allow(ratelimit.client_address(request), scope=scope, limit=limit, window=window)


def _too_big(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY
    except ValueError:
        return True


def _web_key(raw: str) -> str:
    try:
        return "web:" + uuid.UUID(raw).hex
    except ValueError:
        return ""


def _account(request):
    return getattr(request.user, "customer_account", None) if request.user.is_authenticated else None


def _repeat_initial(request) -> dict:
    """ "Repeat an order": the customer's own earlier order pre-fills the form (never someone else's)."""
    serial = request.GET.get("repeat", "")
    if not serial or _account(request) is None:
        return {}
    data = order_form_data(selectors.access_order_for(request.user, serial))
    return {k: v for k, v in data.items() if k not in ("loading_fee", "other_fee", "channel")}


def _render_form(request, form, key, status=200, error=""):
    context = {"form": form, "intake_key": key, "regions": active_regions(), "error": error}
    return render(request, "orders/web_order.html", context, status=status)


@public_view
@require_http_methods(["GET", "POST"])
def web_order(request):
    """Place an order on the web (SPEC §5): validated like a phone order; lands in the review queue."""
    if request.method == "GET":
        initial = {"payment_method": PaymentMethod.SHIPPER_PAYS, "packaging_ok": True, **_repeat_initial(request)}
        return _render_form(request, WebOrderForm(initial=initial), uuid.uuid4().hex)
    key = request.POST.get("intake_key") or uuid.uuid4().hex
    if _too_big(request):
        return _render_form(request, WebOrderForm(), key, 413, _("The order is too large; please shorten it."))
    if over_rate(request, "web_order", ORDER_RATE):
        return _render_form(
            request,
            WebOrderForm(),
            key,
            429,
            _("Too many orders from your connection. Please wait a few minutes or call us."),
        )
    data = request.POST.copy()
    data["channel"] = Channel.WEB
    form = WebOrderForm(data)
    if not form.is_valid():
        if form.prohibited_hit is not None:
            record_refused_enquiry(
                data=form.cleaned_data, raw=request.POST, channel=Channel.WEB, reason=str(form.errors["goods_name"][0])
            )
        return _render_form(request, form, key, 422)
    if form.cleaned_data.get("website"):
        return _render_form(request, WebOrderForm(), key, 400, _("We could not accept this order. Please call us."))
    try:
        taken = take_order(
            data=form.cleaned_data, channel=Channel.WEB, customer_account=_account(request), intake_key=_web_key(key)
        )
    except DomainError as exc:
        form.add_error(exc.field, exc.message)
        return _render_form(request, form, key, 422)
    placed = request.session.get(SESSION_KEY, [])[-19:]
    request.session[SESSION_KEY] = [*placed, taken.order.serial]
    return redirect("orders:web_order_placed", serial=taken.order.serial)


@public_view
@require_GET
def web_order_placed(request, serial):
    """The serial on screen, and how to come back: only to the browser that placed the order."""
    if serial not in request.session.get(SESSION_KEY, []):
        raise Http404
    order = Order.objects.select_related("pickup_region", "delivery_region").get(serial=serial)
    return render(request, "orders/web_order_placed.html", {"order": order})


def status_lines(order: Order) -> list[tuple]:
    """What a customer sees of the history: when the order reached each state (no internal notes)."""
    lines = []
    for event in order.events.filter(kind__in=STATUS_KINDS).order_by("at", "id"):
        params = event.changes.get("params", {}) if isinstance(event.changes, dict) else {}
        after = params.get("after")
        if event.kind in ("received", "taken"):
            lines.append((event.at, _("Order received")))
        elif after in Status.values:
            lines.append((event.at, Status(after).label))
    return lines


def _matches(order: Order, last4: str) -> bool:
    return order.shipper_phone.endswith(last4) or order.consignee_phone.endswith(last4)


@public_view
@require_GET
def order_status(request):
    """The state of an order by serial and the last four digits of a phone on it; otherwise "not found",
    exactly as for an unknown serial (no oracle). Rate-limited per client address."""
    form = StatusForm(request.GET or None)
    order, events, status = None, [], 200
    if form.is_bound:
        if over_rate(request, "order_status", STATUS_RATE):
            form.add_error(None, _("Too many lookups from your connection. Please wait a few minutes."))
            status = 429
        elif form.is_valid():
            found = Order.objects.filter(serial=form.cleaned_data["serial"].strip()).first()
            if found is not None and _matches(found, form.cleaned_data["phone_last4"]):
                order = found
                events = status_lines(order)
            else:
                form.add_error(None, _("No order matches that serial and phone number."))
                status = 404
    return render(request, "orders/order_status.html", {"form": form, "order": order, "events": events}, status=status)


@capability_required(Capability.VIEW_OWN_ORDERS)
@require_GET
def my_orders(request):
    """A customer account's order history (its own orders only, via visible_orders), with "repeat"."""
    rows = list(
        selectors.visible_orders(request.user)
        .select_related("pickup_region", "delivery_region")
        .order_by("-created_at", "-id")[:100]
    )
    return render(request, "orders/my_orders.html", {"rows": rows})


@capability_required(Capability.VIEW_OWN_ORDERS)
@require_GET
def my_order(request, serial):
    """One of the account's own orders; another customer's serial is 404 (access_order_for)."""
    order = selectors.access_order_for(request.user, serial)
    events = status_lines(order)
    return render(request, "orders/order_status.html", {"form": None, "order": order, "events": events})
