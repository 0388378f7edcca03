"""The order page's void (作废) and correct (改单) forms, loaded into the page by htmx; each POST calls one service
(`order_changes.py`). A refusal is shown in the form (nothing was written); success reloads the order page."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from freightdesk.accounts.capabilities import Capability, capability_required
from freightdesk.core.cleaning import CleanForm
from freightdesk.core.errors import DomainError
from freightdesk.orders.changes import VOID_REASONS
from freightdesk.orders.corrections import CORRECTABLE, order_form_data
from freightdesk.orders.forms import OrderForm
from freightdesk.orders.models import OrderEvent, VoidReason
from freightdesk.orders.selectors import access_order_for

from .order_changes import correct_order, void_order

TEMPLATE = "desk/order_change.html"


class VoidForm(CleanForm):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=[(r.value, r.label) for r in VOID_REASONS])
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )


def _done(request, order):
    """htmx follows HX-Redirect with a full load of the order page (its status, quote and timeline)."""
    url = reverse("orders:detail", args=[order.serial])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _show(request, partial: str, context: dict, status: int = 200):
    # htmx swaps only 2xx answers: a refused form comes back as 200 with its errors.
    template = f"{TEMPLATE}#{partial}" if request.htmx else TEMPLATE
    return render(request, template, {**context, "partial": partial}, status=200 if request.htmx else status)


@capability_required(Capability.VOID_ORDER)
@require_http_methods(["GET", "POST"])
def void(request, serial: str):
    """Void an order before pickup, with a reason from the list (`other` needs a note)."""
    order = access_order_for(request.user, serial)
    form = VoidForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            void_order(order=order, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.http_status
        else:
            messages.success(request, _("Order %(serial)s is void.") % {"serial": order.serial})
            return _done(request, order)
    return _show(request, "void", {"order": order, "form": form}, status=status if form.errors else 200)


def _initial(order) -> dict:
    initial = order_form_data(order)
    if order.delivery_deadline:
        initial["delivery_deadline"] = timezone.localtime(order.delivery_deadline).strftime("%Y-%m-%d %H:%M")
    return initial


def _changes(form: OrderForm) -> dict:
    """Only what the agent changed on the form (Django compares each field with its initial value)."""
    data = form.data
    return {
        name: (name in data) if name == "packaging_ok" else data.get(name, "")
        for name in form.changed_data
        if name in CORRECTABLE
    }


@capability_required(Capability.CORRECT_ORDER)
@require_http_methods(["GET", "POST"])
def correct(request, serial: str):
    """Correct a confirmed or dispatched order with the customer: re-validated and re-quoted."""
    order = access_order_for(request.user, serial)
    form = OrderForm(request.POST or None, initial=_initial(order))
    status = 200
    if request.method == "POST":
        try:
            correct_order(order=order, by=request.user, data=_changes(form))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.http_status
        else:
            messages.success(request, _("Order %(serial)s corrected.") % {"serial": order.serial})
            return _done(request, order)
    fields = [form[name] for name in CORRECTABLE]
    return _show(request, "correct", {"order": order, "form": form, "fields": fields}, status=status)


VOID_PERIODS = (7, 30, 90)


def _void_rows(since, until):
    """Voids of the period: after intake (`voided`) and in review (a `reviewed` line whose outcome is void)."""
    kinds = Q(kind="voided") | Q(kind="reviewed", changes__outcome="void")
    return OrderEvent.objects.filter(kinds, kind__in=["voided", "reviewed"], at__gte=since, at__lt=until)


def _reason(event) -> str:
    code = (event.changes or {}).get("void_reason", "")
    return str(VoidReason(code).label) if code in VoidReason.values else code


def _note(event) -> str:
    changes = event.changes or {}
    return (changes.get("params") or {}).get("note", "") if event.kind == "voided" else changes.get("note", "")


@capability_required(Capability.OVERSEE_DEADLINES)
@require_GET
def voids(request):
    """Voids per agent (作废统计) for supervisors: how many each agent voided in the period, in review and after,
    and the latest ones with their reason."""
    days = int(request.GET["days"]) if request.GET.get("days") in {str(d) for d in VOID_PERIODS} else 30
    until = timezone.now()
    rows = _void_rows(until - timedelta(days=days), until)
    per_agent = list(
        rows.values("by_label")
        .annotate(total=Count("id"), after_review=Count("id", filter=Q(kind="voided")))
        .order_by("-total", "by_label")
    )
    recent = [
        {"event": e, "reason": _reason(e), "note": _note(e)}
        for e in rows.select_related("order").order_by("-at", "-id")[:50]
    ]
    context = {"per_agent": per_agent, "recent": recent, "days": days, "periods": VOID_PERIODS}
    return render(request, "desk/voids.html", context)
