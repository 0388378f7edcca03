"""Outbound pages (SPEC §2 外呼): the supervisor's call lists (build, upload, assign, progress) and the agent's queue
(an item's context and script, dial, outcome)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required
from freightdesk.core import worktime
from freightdesk.core.errors import DomainError
from freightdesk.core.phones import display_phone
from freightdesk.telephony.dialing import pbx_connected
from freightdesk.telephony.selectors import customer_context

from . import selectors, services
from .forms import AssignForm, OutcomeForm, RuleForm, UploadForm
from .models import CallList, ItemState, Outcome


@capability_required(Capability.PLAN_OUTBOUND)
@require_GET
def lists(request):
    return render(
        request,
        "outbound/lists.html",
        {
            "lists": selectors.lists_overview(),
            "agents": selectors.progress_by_agent(),
            "rule_form": RuleForm(),
            "upload_form": UploadForm(),
            "outcomes": Outcome.choices,
        },
    )


@capability_required(Capability.PLAN_OUTBOUND)
@require_POST
def build(request):
    form = RuleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            built = services.build_rule_list(
                kind=data["kind"],
                name=data["name"],
                params={"min_orders": data["min_orders"], "min_amount": data["min_amount"]},
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            _built_message(request, built)
            return redirect("outbound:list", built.call_list.pk)
    return _lists_with(request, rule_form=form)


@capability_required(Capability.PLAN_OUTBOUND)
@require_POST
def upload(request):
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            built = services.import_list(
                upload=upload, filename=upload.name, name=form.cleaned_data["name"], by=request.user
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            _built_message(request, built)
            return render(request, "outbound/uploaded.html", {"built": built, "call_list": built.call_list})
    return _lists_with(request, upload_form=form)


def _lists_with(request, **forms):
    context = {
        "lists": selectors.lists_overview(),
        "agents": selectors.progress_by_agent(),
        "rule_form": RuleForm(),
        "upload_form": UploadForm(),
        "outcomes": Outcome.choices,
        **forms,
    }
    return render(request, "outbound/lists.html", context, status=422)


def _built_message(request, built):
    messages.success(
        request,
        _("%(created)s numbers to call; %(skipped)s skipped (do-not-call list).")
        % {"created": built.created, "skipped": built.skipped},
    )


@capability_required(Capability.PLAN_OUTBOUND)
@require_GET
def list_detail(request, pk: int):
    call_list = get_object_or_404(CallList, pk=pk)
    return _render_list(request, call_list, AssignForm())


def _render_list(request, call_list, form, status=200):
    counts = {state: call_list.items.filter(state=state).count() for state in ItemState.values}
    return render(
        request,
        "outbound/list.html",
        {
            "call_list": call_list,
            "counts": counts,
            "agents": selectors.progress_by_agent(call_list),
            "outcomes": Outcome.choices,
            "skipped": call_list.items.filter(state=ItemState.SKIPPED).select_related("agent")[:200],
            "needing": selectors.needing_supervisor(call_list),
            "form": form,
            "unassigned": call_list.items.filter(state=ItemState.OPEN, agent__isnull=True).count(),
        },
        status=status,
    )


@capability_required(Capability.PLAN_OUTBOUND)
@require_POST
def assign(request, pk: int):
    call_list = get_object_or_404(CallList, pk=pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            count = services.assign_list(call_list=call_list, agents=form.cleaned_data["agents"], by=request.user)
        except DomainError as exc:
            form.add_error("agents", exc.message)
        else:
            messages.success(request, _("%(count)s numbers assigned.") % {"count": count})
            return redirect("outbound:list", pk)
    return _render_list(request, call_list, form, status=422)


@capability_required(Capability.WORK_OUTBOUND)
@require_GET
def queue(request):
    now = timezone.now()
    working = worktime.is_working_time(now)
    return render(
        request,
        "outbound/queue.html",
        {
            "working": working,
            "opens_at": worktime.next_opening(now),
            "items": list(selectors.agent_queue(request.user, now)[: selectors.QUEUE_LIMIT]) if working else [],
            "later": list(selectors.agent_later(request.user, now)[:50]),
            "skipped": list(selectors.agent_skipped(request.user)[:20]),
        },
    )


@capability_required(Capability.WORK_OUTBOUND)
@require_GET
def item_detail(request, pk: int):
    item = selectors.access_item_for(request.user, pk)
    return _render_item(request, item, OutcomeForm())


def _render_item(request, item, form, status=200, dialled=None):
    now = timezone.now()
    return render(
        request,
        "outbound/item.html",
        {
            "item": item,
            "phone": display_phone(item.phone),
            "due_at": selectors.due_at_of(item),
            "context": customer_context(item.phone, now, customer=item.customer),
            "script": selectors.script_for(item.call_list.kind),
            "form": form,
            "pbx": pbx_connected(now),
            "working": worktime.is_working_time(now),
            "tel": f"tel:{item.phone}",
            "dialled": dialled,
            "attempts": item.call_attempts.select_related("agent").order_by("at", "id"),
        },
        status=status,
    )


@capability_required(Capability.WORK_OUTBOUND)
@require_POST
def dial(request, pk: int):
    item = selectors.access_item_for(request.user, pk)
    try:
        result = services.dial(item=item, agent=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("outbound:item", pk)
    if result.via == "pbx":
        messages.success(request, _("Your phone rings now; pick it up and the customer is called."))
    return _render_item(request, item, OutcomeForm(), dialled=result)


@capability_required(Capability.WORK_OUTBOUND)
@require_POST
def outcome(request, pk: int):
    item = selectors.access_item_for(request.user, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_outcome(
                item=item,
                agent=request.user,
                outcome=data["outcome"],
                note=data["note"],
                next_at=data["next_at"],
                satisfaction=data["satisfaction"],
            )
        except DomainError as exc:
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                messages.error(request, exc.message)
                return redirect("outbound:queue")
        else:
            messages.success(
                request,
                _("%(phone)s: %(outcome)s.")
                % {"phone": display_phone(item.phone), "outcome": Outcome(data["outcome"]).label},
            )
            if data["outcome"] == Outcome.ORDER_TAKEN:
                prefill = {"shipper_phone": display_phone(item.phone)}
                name = item.customer.name if item.customer else item.name
                if name:
                    prefill["shipper_name"] = name
                return redirect(reverse("orders:new_phone_order") + "?" + urlencode(prefill))
            return redirect("outbound:queue")
    item.refresh_from_db()
    return _render_item(request, item, form, status=422)
