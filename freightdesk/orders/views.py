"""The agent console for orders: phone order form (with live checks), order list, order detail."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required, has_capability
from freightdesk.core.cleaning import CleanForm
from freightdesk.core.errors import DomainError
from freightdesk.core.phones import display_phone
from freightdesk.customers.selectors import customers_by_phone
from freightdesk.network.selectors import active_regions, fee_suggestions, match_prohibited

from . import selectors
from .changes import VOIDABLE
from .forms import OrderForm
from .intake import quote_order, record_refused_enquiry, record_unshipped_enquiry, take_order
from .models import Channel, EnquiryOutcome, Status
from .note_deadline import Proposal, propose
from .scripts import confirmation_script
from .workflow import AFTER_REVIEW


@capability_required(Capability.TAKE_PHONE_ORDER)
@require_http_methods(["GET", "POST"])
def new_phone_order(request):
    """Take a phone order (SPEC §3/§4): validate, quote, confirm with the caller, save."""
    if request.method == "POST":
        data = request.POST.copy()
        data["channel"] = Channel.PHONE
        form = OrderForm(data, confirm_restricted=True)
        if "quote_only" in request.POST:
            return _record_quote_only(request, form)
        if "refused" in request.POST:
            return _record_refusal(request, form)
        if form.is_valid():
            try:
                taken = take_order(
                    data=form.cleaned_data,
                    channel=Channel.PHONE,
                    agent=request.user,
                    intake_key=_intake_key(request.POST.get("intake_key", "")),
                )
            except DomainError as exc:
                form.add_error(exc.field, exc.message)
            else:
                messages.success(request, _("Order %(serial)s saved and confirmed.") % {"serial": taken.order.serial})
                return redirect("orders:detail", serial=taken.order.serial)
        elif form.prohibited_hit is not None:
            record_refused_enquiry(
                data=form.cleaned_data,
                raw=request.POST,
                channel=Channel.PHONE,
                reason=str(form.errors["goods_name"][0]),
                agent=request.user,
            )
        key = request.POST.get("intake_key") or uuid.uuid4().hex
    else:
        # A screen-pop's "new order" opens this page with the caller's number (and name) filled in.
        caller = {k: request.GET[k][:40] for k in ("shipper_phone", "shipper_name") if request.GET.get(k)}
        form = OrderForm(initial={"payment_method": "shipper_pays", "packaging_ok": True, **caller})
        key = uuid.uuid4().hex
    return render(
        request, "orders/new_phone_order.html", {"form": form, "intake_key": key, "regions": active_regions()}
    )


def _record_quote_only(request, form: OrderForm):
    """The caller only asked the price (仅询价): no order, but the enquiry counts for the origin analysis."""
    form.is_valid()  # whatever is filled in and valid; a quote needs no consignee
    if not any(request.POST.get(k, "").strip() for k in ("pickup_address", "goods_name", "shipper_phone")):
        messages.error(
            request, _("Nothing to record: type at least the pickup address, the goods or the caller's number.")
        )
        return redirect("orders:new_phone_order")
    record_unshipped_enquiry(
        data=form.cleaned_data,
        raw=request.POST,
        channel=Channel.PHONE,
        reason=_("quote only"),
        agent=request.user,
        outcome=EnquiryOutcome.QUOTE_ONLY,
    )
    messages.success(request, _("Recorded as an enquiry that asked only for a quote."))
    return redirect("orders:new_phone_order")


def _note_deadline(post) -> Proposal | None:
    """The note's delivery requirement as a proposed deadline, while the agent has not set one himself."""
    if (post.get("delivery_deadline") or "").strip():
        return None
    return propose(post.get("note", ""), timezone.now())


def _record_refusal(request, form: OrderForm):
    """The agent refused the caller's shipment (拒收: prohibited goods, outside the service area, restricted goods
    the caller would not pack…): no order, and the origin analysis counts it as refused, not as a mere quote."""
    form.is_valid()
    reason = " ".join(request.POST.get("refusal_reason", "").split())[:200]
    if form.prohibited_hit is not None and not reason:
        reason = str(form.errors["goods_name"][0])
    if not reason:
        messages.error(request, _("Write why the shipment is refused."))
        return redirect("orders:new_phone_order")
    if not any(request.POST.get(k, "").strip() for k in ("pickup_address", "goods_name", "shipper_phone")):
        messages.error(
            request, _("Nothing to record: type at least the pickup address, the goods or the caller's number.")
        )
        return redirect("orders:new_phone_order")
    record_refused_enquiry(
        data=form.cleaned_data, raw=request.POST, channel=Channel.PHONE, reason=reason, agent=request.user
    )
    messages.success(request, _("Recorded as a refused enquiry: %(reason)s") % {"reason": reason})
    return redirect("orders:new_phone_order")


def _intake_key(raw: str) -> str:
    try:
        return "form:" + uuid.UUID(raw).hex
    except ValueError:
        return ""


@capability_required(Capability.TAKE_PHONE_ORDER)
@require_POST
def preview(request):
    """Live checks while the agent types: prohibited goods, regions, fee hints, quote, confirmation script."""
    data = request.POST.copy()
    data["channel"] = Channel.PHONE
    form = OrderForm(data, confirm_restricted=True)
    form.is_valid()
    cleaned = form.cleaned_data
    goods = (request.POST.get("goods_name") or "").strip()
    context = {
        "hit": match_prohibited(goods) if goods else None,
        "restricted": form.restricted_hit,
        "note_deadline": _note_deadline(request.POST),
        "goods": goods,
        "pickup_region": cleaned.get("pickup_region_obj"),
        "delivery_region": cleaned.get("delivery_region_obj"),
        "fee_hints": fee_suggestions(request.POST.get("pickup_address", ""), cleaned.get("pickup_region_obj"))
        + fee_suggestions(request.POST.get("delivery_address", ""), cleaned.get("delivery_region_obj")),
        "quote": None,
        "quote_error": "",
        "script": "",
        "missing": [form.fields[name].label for name in form.errors if name in form.fields],
    }
    needed = ("pickup_region_obj", "delivery_region_obj", "weight_kg", "volume_m3")
    if all(cleaned.get(k) for k in needed):
        try:
            context["quote"] = quote_order(cleaned)
        except DomainError as exc:
            context["quote_error"] = exc.message
    if context["quote"] and not form.errors:
        context["script"] = confirmation_script(cleaned, context["quote"])
    return render(request, "orders/new_phone_order.html#checks", context)


@capability_required(Capability.TAKE_PHONE_ORDER)
@require_GET
def caller_lookup(request):
    """A returning caller: his last order's values, to pre-fill the empty fields."""
    phone = request.GET.get("shipper_phone", "")
    customers = list(customers_by_phone(phone)[:5])
    last = None
    if customers:
        last = (
            selectors.visible_orders(request.user)
            .filter(shipper__in=customers)
            .select_related("pickup_region", "delivery_region")
            .order_by("-created_at", "-id")
            .first()
        )
    prefill = {}
    if last is not None:
        prefill = {
            "shipper_name": last.shipper_name,
            "pickup_address": last.pickup_address,
            "pickup_region": last.pickup_region.code,
            "consignee_name": last.consignee_name,
            "consignee_phone": display_phone(last.consignee_phone),
            "delivery_address": last.delivery_address,
            "delivery_region": last.delivery_region.code,
            "goods_name": last.goods_name,
            "payment_method": last.payment_method,
        }
    elif customers:
        prefill = {"shipper_name": customers[0].name}
        book = customers[0].addresses.first()
        if book:
            prefill["pickup_address"] = book.text
    return render(
        request,
        "orders/new_phone_order.html#caller",
        {"customers": customers, "last": last, "prefill": prefill, "phone": phone},
    )


class ListFilterForm(CleanForm):
    q = forms.CharField(required=False, max_length=40, label=gettext_lazy("Serial, phone or name"))
    status = forms.ChoiceField(
        required=False, choices=[("", gettext_lazy("All statuses")), *Status.choices], label=gettext_lazy("Status")
    )
    region = forms.CharField(required=False, max_length=20, label=gettext_lazy("Pickup region"))
    date_from = forms.DateField(
        required=False, label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(required=False, label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_("The start date is after the end date."))
        return data


def _cursor(raw: str):
    at_text, _sep, pk = (raw or "").partition("_")
    at = parse_datetime(at_text) if at_text else None
    if at is None or not pk.isdigit():
        return None
    return at, int(pk)


def _cursor_for(order) -> str:
    return f"{order.created_at.isoformat()}_{order.pk}"


@capability_required(Capability.VIEW_ALL_ORDERS)
@require_GET
def order_list(request):
    """Orders newest first; search and filters; keyset pages."""
    form = ListFilterForm(request.GET or None)
    rows, next_row = [], None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        flt = selectors.OrderFilter(
            q=data.get("q") or "",
            status=data.get("status") or "",
            region=data.get("region") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        qs = selectors.search_orders(selectors.visible_orders(request.user), flt)
        rows, next_row = selectors.order_page(qs, after=_cursor(request.GET.get("after", "")))
    params = request.GET.copy()
    params.pop("after", None)
    if next_row is not None:
        params["after"] = _cursor_for(next_row)
    context = {
        "form": form,
        "rows": rows,
        "regions": active_regions(),
        # Computed once, not per row: the list renders 50 rows on every keystroke of the search box.
        "detail_base": reverse("orders:list"),
        "pcs": _("pcs"),
        "next_query": params.urlencode() if next_row is not None else "",
        "first_query": request.GET.copy().urlencode() if request.GET.get("after") else "",
    }
    template = "orders/order_list.html#results" if request.htmx else "orders/order_list.html"
    return render(request, template, context)


@capability_required(Capability.VIEW_ALL_ORDERS)
@require_GET
def order_detail(request, serial):
    order = selectors.access_order_for(request.user, serial)
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "fees": list(order.fees.all()),
            "timeline": list(selectors.order_timeline(order)),
            "shipper_phone": display_phone(order.shipper_phone),
            "consignee_phone": display_phone(order.consignee_phone),
            "can_void": order.status in VOIDABLE and has_capability(request.user, Capability.VOID_ORDER),
            "can_correct": order.status in AFTER_REVIEW and has_capability(request.user, Capability.CORRECT_ORDER),
        },
    )
