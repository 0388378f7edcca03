"""The desk's ticket pages: record from a call, the owner's queue, the ticket with its allowed steps, due-now."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required, roles_for
from freightdesk.core.errors import DomainError, NotAllowed
from freightdesk.followups.models import FollowUp, FollowUpKind
from freightdesk.knowledge.selectors import article_for_source, phrases_for_category
from freightdesk.network.models import Driver
from freightdesk.orders.selectors import access_order_for

from . import approvals, followups, penalties, selectors, services, severity
from .forms import CallbackForm, TicketForm
from .history import history_lines
from .models import Category, Department, ResolutionKind, ResponsibleKind, Severity, Status, Ticket
from .workflow import allowed_for

ARCHIVE_OFFERED = frozenset({Status.RESOLVED, Status.CLOSED})


@capability_required(Capability.RECORD_TICKET)
@require_http_methods(["GET", "POST"])
def new_ticket(request):
    """Record a query, complaint, suggestion or emergency while the customer is on the line."""
    form = TicketForm(
        request.POST or None,
        initial={
            "customer_phone": request.GET.get("phone", ""),
            "order": request.GET.get("order", ""),
            "kind": request.GET.get("kind", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = access_order_for(request.user, data["order"].strip()) if data["order"].strip() else None
        except Http404:
            form.add_error("order", _("No order with this serial."))
        else:
            try:
                ticket = services.open_ticket(
                    by=request.user,
                    category=data["category"],
                    subcategory=data["subcategory"],
                    channel=data["channel"],
                    description=data["description"],
                    demand=data["demand"],
                    order=order,
                    customer_name=data["customer_name"],
                    customer_phone=data["customer_phone"],
                    target=form.target(),
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Ticket %(number)s recorded.") % {"number": ticket.number})
                return redirect("tickets:detail", number=ticket.number)
    source = request.POST if request.method == "POST" else request.GET
    preview = selectors.new_ticket_preview(
        request.user, kind=source.get("kind", ""), serial=source.get("order", ""), now=timezone.now()
    )
    return render(request, "tickets/new.html", {"form": form, "preview": preview, "now": timezone.now()})


@capability_required(Capability.RECORD_TICKET)
@require_GET
def preview(request):
    """The new-ticket page's side panel (htmx): owner, deadline, standard solution, phrases, the linked order."""
    now = timezone.now()
    context = {
        "preview": selectors.new_ticket_preview(
            request.user, kind=request.GET.get("kind", ""), serial=request.GET.get("order", ""), now=now
        ),
        "now": now,
    }
    return render(request, "tickets/new.html#preview", context)


@capability_required(Capability.WORK_TICKETS)
@require_GET
def queue(request):
    """The owner's queue, soonest deadline first, with a countdown."""
    now = timezone.now()
    rows = selectors.owner_queue(request.user)
    return render(request, "tickets/queue.html", {"rows": rows, "now": now})


@capability_required(Capability.VIEW_TICKETS)
@require_GET
def due_now(request):
    """Breached and nearly due tickets, and promised callbacks falling due (SPEC §10)."""
    now = timezone.now()
    return render(request, "tickets/due_now.html", {**selectors.due_now(now), "now": now})


@capability_required(Capability.VIEW_TICKETS)
@require_GET
def detail(request, number: str):
    ticket = selectors.access_ticket_for(request.user, number)
    return render(request, "tickets/detail.html", _detail_context(request, ticket))


def _detail_context(request, ticket, **extra):
    proposals = _proposals(ticket)
    initial = {p.field: p.percent for p in proposals if p.percent is not None}
    return {
        "ticket": ticket,
        "steps": [
            (
                step,
                [
                    (name, _field_label(name), name in step.fields, initial.get(name, ""))
                    for name in step.fields + step.optional
                ],
            )
            for step in allowed_for(request.user, ticket)
        ],
        "penalty_proposals": proposals,
        "penalties": ticket.penalties.all(),
        "drivers": Driver.objects.filter(active=True).order_by("name"),
        "staff": get_user_model()
        .objects.filter(groups__name__in=roles_for(Capability.RECORD_TICKET), is_active=True)
        .distinct()
        .select_related("profile")
        .order_by("username"),
        "history": history_lines(ticket, selectors.history(ticket)),
        "callbacks": selectors.open_callbacks(ticket),
        "phrases": phrases_for_category(ticket.category),
        # 归档至知识库: offered once the ticket is solved; the article once it is archived
        "archived": article_for_source(f"ticket:{ticket.number}") if ticket.status in ARCHIVE_OFFERED else None,
        "archive_offered": ticket.status in ARCHIVE_OFFERED,
        "departments": Department.choices,
        "resolutions": ResolutionKind.choices,
        "responsibles": ResponsibleKind.choices,
        "severities": [s for s in Severity.choices if Severity.rank(s[0]) > Severity.rank(ticket.severity)],
        "callback_form": CallbackForm(),
        "needs_manager": approvals.needs_manager(ticket) if ticket.status == Status.PROPOSED else "",
        "now": timezone.now(),
        **extra,
    }


def _proposals(ticket) -> list:
    """What the penalty step proposes, while it is the next step (SPEC §9 step 7)."""
    if ticket.category != Category.COMPLAINT or ticket.status != Status.APPROVED:
        return []
    return penalties.propose(ticket)


def _field_label(name: str) -> str:
    # The two who-is-charged fields have no label of their own on the model: never "responsible driver" in Chinese.
    labels = {
        "note": _("Note"),
        "responsible_driver": _("Responsible driver"),
        "responsible_user": _("Responsible staff"),
    }
    if name in labels:
        return labels[name]
    return str(Ticket._meta.get_field(name).verbose_name)


def act_on_ticket(request, number, action):
    """Run one service for a POST on a ticket; a refusal becomes a message, never a 500."""
    ticket = selectors.access_ticket_for(request.user, number)
    try:
        action(ticket)
    except NotAllowed as exc:
        messages.error(request, exc.message)
        return render(request, "tickets/detail.html", _detail_context(request, ticket, error=exc), status=403)
    except DomainError as exc:
        messages.error(request, exc.message)
        status = 422 if exc.http_status == 422 else 409
        return render(request, "tickets/detail.html", _detail_context(request, ticket, error=exc), status=status)
    return redirect("tickets:detail", number=number)


@capability_required(Capability.WORK_TICKETS)
@require_POST
def transition(request, number: str):
    to = request.POST.get("to", "")
    data = request.POST.dict()
    return act_on_ticket(
        request, number, lambda t: services.transition_ticket(ticket=t, by=request.user, to=to, data=data)
    )


@capability_required(Capability.WORK_TICKETS)
@require_POST
def escalate(request, number: str):
    return act_on_ticket(
        request,
        number,
        lambda t: services.escalate_ticket(
            ticket=t, by=request.user, to=request.POST.get("to", ""), note=request.POST.get("note", "")
        ),
    )


@capability_required(Capability.WORK_TICKETS)
@require_POST
def asks_management(request, number: str):
    """The customer asks for management (要求管理层出面): on the history; the severity rules decide the rise."""
    return act_on_ticket(
        request,
        number,
        lambda t: severity.record_management_request(ticket=t, by=request.user, note=request.POST.get("note", "")),
    )


@capability_required(Capability.WORK_TICKETS)
@require_POST
def take(request, number: str):
    return act_on_ticket(request, number, lambda t: services.take_ticket(ticket=t, by=request.user))


@capability_required(Capability.RECORD_TICKET)
@require_POST
def promise(request, number: str):
    form = CallbackForm(request.POST)

    def go(ticket):
        if not form.is_valid():
            raise services.TicketInputError("invalid", _("Enter the date and time you promised."), field="due_at")
        followups.promise_callback(
            ticket=ticket, by=request.user, due_at=form.cleaned_data["due_at"], note=form.cleaned_data["note"]
        )

    return act_on_ticket(request, number, go)


@capability_required(Capability.RECORD_TICKET)
@require_POST
def callback_done(request, pk: int):
    callback = get_object_or_404(FollowUp, pk=pk, kind=FollowUpKind.TICKET_CALLBACK)
    if not selectors.visible_tickets(request.user).filter(pk=callback.subject_id).exists():
        raise PermissionDenied
    return act_on_ticket(
        request,
        followups.ticket_of(callback).number,
        lambda t: followups.complete_callback(callback=callback, by=request.user, note=request.POST.get("note", "")),
    )
