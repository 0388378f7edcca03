"""The review desk (核单, SPEC §5): the agents' queue, the supervisor's overdue list, the review page
(checklist, confirmation script, call buttons, outcome forms). Thin: parse, fetch, one service, render."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required
from freightdesk.accounts.identity import agent_id_of, agent_label
from freightdesk.core.cleaning import CleanForm
from freightdesk.core.errors import DomainError
from freightdesk.core.phones import display_phone
from freightdesk.network.pricing import Quote
from freightdesk.network.selectors import fee_suggestions, match_prohibited, match_restricted

from . import selectors
from .corrections import CORRECTABLE, order_form_data
from .forms import OrderForm
from .models import CallOutcome, ReviewOutcome, VoidReason
from .review import claim_review, current_claim, record_call_attempt, release_claim, review_order
from .scripts import web_order_script

QUEUE_LIMIT = 50  # the page shows the most urgent; the count says how many more wait


class ProblemForm(CleanForm):
    callback_at = forms.DateTimeField(
        label=gettext_lazy("Call the customer back at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={"required": gettext_lazy("Agree a time to call the customer back.")},
    )
    note = forms.CharField(label=gettext_lazy("What is the problem?"), max_length=200)


class VoidForm(CleanForm):
    void_reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=[("", "—"), *VoidReason.choices])
    note = forms.CharField(label=gettext_lazy("Details"), max_length=200)


def _queue_context(rows, now, total):
    for row in rows:
        row.overdue_minutes = int((now - row.review_due_at).total_seconds() // 60) if row.review_due_at < now else 0
        row.claim = current_claim(row, now=now)
        row.claim.label = agent_label(row.claim.holder) if row.claim.holder else ""
    # Strings and URLs once per page, not once per row: the queue is polled by every agent.
    return {
        "rows": rows,
        "now": now,
        "total": total,
        "shown": len(rows),
        "review_label": _("Review"),
        "since_label": _("since"),
        "review_base": reverse("orders:review_queue"),
    }


def _queue(request, rows, template, title, now):
    total = len(rows) if len(rows) < QUEUE_LIMIT else selectors.pending_review_count()
    context = {**_queue_context(rows, now, total), "title": title, "poll_url": request.path}
    return render(request, template + ("#rows" if request.htmx else ""), context)


@capability_required(Capability.REVIEW_ORDER)
@require_GET
def review_queue(request):
    """Orders awaiting review, most urgent first, with a live countdown (SPEC §5 deadlines)."""
    rows = selectors.review_queue_rows(limit=QUEUE_LIMIT)
    return _queue(request, rows, "orders/review_queue.html", _("Review queue"), timezone.now())


@capability_required(Capability.OVERSEE_DEADLINES)
@require_GET
def overdue_reviews(request):
    """The supervisor's view: every review past its deadline and every order flagged after unanswered calls."""
    now = timezone.now()
    rows = selectors.overdue_review_rows(now, limit=QUEUE_LIMIT)
    return _queue(request, rows, "orders/review_queue.html", _("Overdue reviews"), now)


@capability_required(Capability.REVIEW_ORDER)
@require_POST
def claim(request, serial):
    """Open an order for review: others see who is on it (a POST: it records the claim)."""
    order = selectors.access_order_for(request.user, serial)
    try:
        held = claim_review(order=order, agent=request.user, take_over=bool(request.POST.get("take_over")))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("orders:detail", serial=serial)
    if not held.mine:
        messages.warning(request, _("%(who)s is reviewing this order.") % {"who": agent_label(held.holder)})
    return redirect("orders:review", serial=serial)


@capability_required(Capability.REVIEW_ORDER)
@require_POST
def release(request, serial):
    order = selectors.access_order_for(request.user, serial)
    release_claim(order=order, agent=request.user)
    return redirect("orders:review_queue")


def checklist(order, fees) -> list[dict]:
    """SPEC §5 review checks, pre-checked from what the system finds (prohibited goods, fee rules)."""
    hit = match_prohibited(order.goods_name)
    pickup_rules = fee_suggestions(order.pickup_address, order.pickup_region)
    delivery_rules = fee_suggestions(order.delivery_address, order.delivery_region)
    kinds = {f.kind for f in fees}
    restricted = match_restricted(order.goods_name)
    items = (
        [
            {
                "key": "restricted_confirmed",
                "label": _("Restricted goods confirmed with the customer?"),
                "checked": False,
                "warn": True,
                "finding": _("%(term)s: confirm %(what)s")
                % {"term": restricted.term, "what": restricted.goods.confirm},
            }
        ]
        if restricted and not hit
        else []
    )
    return items + [
        {
            "key": "goods_allowed",
            "label": _("Goods allowed?"),
            "checked": hit is None,
            "warn": hit is not None,
            "finding": (_("Prohibited: %(category)s (%(term)s)") % {"category": hit.goods.category, "term": hit.term})
            if hit
            else _("No prohibited goods match “%(goods)s”.") % {"goods": order.goods_name},
        },
        {
            "key": "pickup_fee",
            "label": _("Pickup address needs a loading fee?"),
            "checked": bool(pickup_rules) or "loading" in kinds,
            "warn": bool(pickup_rules) and "loading" not in kinds,
            "finding": ", ".join(f"{r.name} ¥{r.default_amount}" for r in pickup_rules) or _("No fee rule matches."),
        },
        {
            "key": "delivery_fee",
            "label": _("Delivery address needs loading or other fees?"),
            "checked": bool(delivery_rules),
            "warn": bool(delivery_rules) and not kinds,
            "finding": ", ".join(f"{r.name} ¥{r.default_amount}" for r in delivery_rules) or _("No fee rule matches."),
        },
    ]


def _script(order, fees, agent) -> str:
    data = {
        name: getattr(order, name)
        for name in (
            "shipper_name",
            "shipper_phone",
            "pickup_address",
            "goods_name",
            "quantity",
            "weight_kg",
            "volume_m3",
            "consignee_name",
            "consignee_phone",
            "delivery_address",
            "note",
            "payment_method",
        )
    }
    price = Quote(freight=order.freight, fees=[(f.kind, f.amount) for f in fees])
    return web_order_script(data, price, agent_id=agent_id_of(agent), company=settings.FREIGHTDESK["COMPANY_NAME"])


def _review_context(request, order, **forms_):
    now = timezone.now()
    fees = list(order.fees.all())
    fix = forms_.get("fix") or OrderForm(prefix="fix", initial=order_form_data(order))
    return {
        "order": order,
        "fees": fees,
        "now": now,
        "claim": current_claim(order, agent=request.user, now=now),
        "awaiting": order.status in ("submitted", "problem"),
        "checklist": checklist(order, fees),
        "script": _script(order, fees, request.user),
        "calls": list(selectors.review_calls(order)),
        "call_outcomes": CallOutcome.choices,
        "fix": fix,
        "problem": forms_.get("problem") or ProblemForm(),
        "void": forms_.get("void") or VoidForm(),
        "timeline": list(selectors.order_timeline(order)),
        "shipper_phone": display_phone(order.shipper_phone),
        "consignee_phone": display_phone(order.consignee_phone),
        "overdue": bool(order.review_due_at and order.review_due_at < now),
        "restricted": match_restricted(order.goods_name),
    }


@capability_required(Capability.REVIEW_ORDER)
@require_GET
def review_page(request, serial):
    order = selectors.access_order_for(request.user, serial)
    return render(request, "orders/review.html", _review_context(request, order))


@capability_required(Capability.REVIEW_ORDER)
@require_POST
def call_attempt(request, serial):
    """One click records a call to the customer and how it went."""
    order = selectors.access_order_for(request.user, serial)
    status = 200
    try:
        record_call_attempt(order=order, agent=request.user, outcome=request.POST.get("outcome", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        status = exc.http_status
    if not request.htmx:
        return redirect("orders:review", serial=serial)
    order.refresh_from_db()
    return render(request, "orders/review.html#calls", _review_context(request, order), status=status)


def _changes(fix: OrderForm) -> dict:
    """What the agent changed on the page. A field the page did not send (the region selects are not on it)
    is not a change; an unchecked box sends nothing, so the packaging box counts whenever it is on the page."""
    sent = {name for name in fix.fields if fix.add_prefix(name) in fix.data} | {"packaging_ok"}
    return {name: fix[name].data for name in fix.changed_data if name in CORRECTABLE and name in sent}


@capability_required(Capability.REVIEW_ORDER)
@require_POST
def review_outcome(request, serial):
    """Record the review outcome: confirm (with corrections), problem (with a callback time), void (with a reason)."""
    order = selectors.access_order_for(request.user, serial)
    outcome = request.POST.get("outcome", "")
    bound = {}
    kwargs = {"order": order, "agent": request.user, "outcome": outcome}
    if outcome == ReviewOutcome.CONFIRM:
        bound["fix"] = fix = OrderForm(request.POST, prefix="fix", initial=order_form_data(order))
        kwargs.update(
            changes=_changes(fix),
            checklist=sorted(request.POST.getlist("check")),
            note=request.POST.get("confirm_note", ""),
            restricted_confirmation=request.POST.get("fix-restricted_confirmation", ""),
        )
    elif outcome == ReviewOutcome.PROBLEM:
        bound["problem"] = form = ProblemForm(request.POST)
        if not form.is_valid():
            return render(request, "orders/review.html", _review_context(request, order, **bound), status=422)
        kwargs.update(callback_at=form.cleaned_data["callback_at"], note=form.cleaned_data["note"])
    elif outcome == ReviewOutcome.VOID:
        bound["void"] = form = VoidForm(request.POST)
        if not form.is_valid():
            return render(request, "orders/review.html", _review_context(request, order, **bound), status=422)
        kwargs.update(void_reason=form.cleaned_data["void_reason"], note=form.cleaned_data["note"])
    try:
        review_order(**kwargs)
    except DomainError as exc:
        form = bound.get("fix") if outcome == ReviewOutcome.CONFIRM else None
        if form is not None and exc.field and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        else:
            messages.error(request, exc.message)
        order.refresh_from_db()
        return render(request, "orders/review.html", _review_context(request, order, **bound), status=exc.http_status)
    messages.success(
        request, _("Order %(serial)s: %(outcome)s.") % {"serial": serial, "outcome": ReviewOutcome(outcome).label}
    )
    return redirect("orders:review_queue")
