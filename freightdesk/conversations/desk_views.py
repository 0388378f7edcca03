"""The agents' side (SPEC §2 在线服务): the chat inbox beside the desk, one conversation with the caller
context, phrases and the banned-phrase check, the actions (take, transfer, close, into an order, a ticket or
a query on an order), presence, and the supervisor's view of every live chat. Thin: services do the writes."""

from django.contrib import messages as flash
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required, has_capability
from freightdesk.core.errors import DomainError
from freightdesk.knowledge.selectors import phrases_for_category
from freightdesk.network.selectors import active_regions
from freightdesk.orders.forms import OrderForm
from freightdesk.orders.models import Channel
from freightdesk.orders.selectors import access_order_for
from freightdesk.tickets.forms import TicketForm

from . import conversions, rules, selectors, services
from .models import ChatSettings, Presence

ANSWER = Capability.ANSWER_CHATS


def _presence(user, now):
    presence = getattr(user, "chat_presence", None)
    idle = timezone.timedelta(minutes=ChatSettings.current().away_after_minutes)
    if presence is None or presence.status != Presence.AVAILABLE or presence.last_seen_at < now - idle:
        return Presence.AWAY
    return Presence.AVAILABLE


@capability_required(ANSWER)
@require_GET
def inbox(request):
    now = timezone.now()
    return render(request, "conversations/inbox.html", {"presence": _presence(request.user, now), **_lists(request)})


def _lists(request) -> dict:
    now = timezone.now()
    return {
        "now": now,
        "waiting": list(selectors.waiting_chats()[:50]),
        "mine": list(selectors.my_chats(request.user)),
        "web_messages": list(selectors.web_messages_due().select_related("agent__profile")[:50]),
        "at_cap": rules.at_cap(request.user),
        "cap": ChatSettings.current().max_chats_per_agent,
    }


@capability_required(ANSWER)
@require_GET
def inbox_list(request):
    return render(request, "conversations/_inbox_list.html", _lists(request))


@capability_required(Capability.SUPERVISE_CHATS)
@require_GET
def live(request):
    """Every live chat, its waiting time and who is on it; the supervisor joins or takes over."""
    template = "conversations/live.html#rows" if request.htmx else "conversations/live.html"
    return render(request, template, {"chats": selectors.live_chats(), "now": timezone.now()})


def _agents():
    return (
        get_user_model()
        .objects.filter(groups__name__in=["agent", "supervisor"], is_active=True)
        .select_related("profile")
        .distinct()
        .order_by("username")
    )


@capability_required(ANSWER)
@require_GET
def conversation(request, pk):
    c = selectors.conversation_for_staff(request.user, pk)
    context = {
        "c": c,
        "messages": selectors.messages_after(c.pk),
        "caller": selectors.caller_context(c.customer_phone),
        "phrases": phrases_for_category("inquiry", limit=12),
        "agents": _agents(),
        "ticket_form": TicketForm(initial={"order": c.order.serial if c.order_id else ""}),
        "can_supervise": has_capability(request.user, Capability.SUPERVISE_CHATS),
        "holder": c.agent_id == request.user.pk,
        "joined": c.supervisors.filter(pk=request.user.pk).exists(),
    }
    return render(request, "conversations/desk.html", context)


def _act(request, pk, action) -> object:
    c = selectors.conversation_for_staff(request.user, pk)
    try:
        action(c)
    except DomainError as exc:
        flash.error(request, exc.message)
    return redirect("conversations:desk", pk=pk)


@capability_required(ANSWER)
@require_POST
def messages(request, pk):
    """The reply box without a socket (the page's script sends over the socket when it can)."""
    return _act(
        request,
        pk,
        lambda c: services.post_agent_message(conversation=c, agent=request.user, text=request.POST.get("text", "")),
    )


@capability_required(ANSWER)
@require_POST
def take(request, pk):
    return _act(request, pk, lambda c: services.take_conversation(conversation=c, agent=request.user))


@capability_required(Capability.SUPERVISE_CHATS)
@require_POST
def join(request, pk):
    return _act(request, pk, lambda c: services.join_conversation(conversation=c, supervisor=request.user))


@capability_required(ANSWER)
@require_POST
def transfer(request, pk):
    to = _agents().filter(pk=request.POST.get("to") or 0).first()
    if to is None:
        flash.error(request, _("Choose the agent to transfer to."))
        return redirect("conversations:desk", pk=pk)
    return _act(request, pk, lambda c: services.transfer_conversation(conversation=c, by=request.user, to=to))


@capability_required(ANSWER)
@require_POST
def close(request, pk):
    reason = request.POST.get("reason", "")
    return _act(request, pk, lambda c: services.close_conversation(conversation=c, by=request.user, reason=reason))


@capability_required(ANSWER)
@require_http_methods(["GET", "POST"])
def to_order(request, pk):
    """The order taken in the chat: the phone desk's form and checks, channel chat, into the review queue."""
    c = selectors.conversation_for_staff(request.user, pk)
    if request.method == "POST":
        form = OrderForm({**request.POST.dict(), "channel": Channel.CHAT})
        if form.is_valid():
            try:
                order = conversions.to_order(conversation=c, agent=request.user, data=form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field, exc.message)
            else:
                flash.success(request, _("Order %(serial)s placed; it waits for review.") % {"serial": order.serial})
                return redirect("conversations:desk", pk=pk)
    else:
        form = OrderForm(
            initial={
                "shipper_name": c.customer_name,
                "shipper_phone": c.customer_phone,
                "payment_method": "shipper_pays",
                "packaging_ok": True,
            }
        )
    return render(request, "conversations/to_order.html", {"c": c, "form": form, "regions": active_regions()})


@capability_required(ANSWER)
@require_POST
def to_ticket(request, pk):
    form = TicketForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            flash.error(request, errors[0])
        return redirect("conversations:desk", pk=pk)
    data = form.cleaned_data
    return _act(
        request,
        pk,
        lambda c: conversions.to_ticket(
            conversation=c,
            agent=request.user,
            category=data["category"],
            subcategory=data["subcategory"],
            description=data["description"],
            demand=data["demand"],
        ),
    )


@capability_required(ANSWER)
@require_POST
def record_query(request, pk):
    try:
        order = access_order_for(request.user, request.POST.get("order", "").strip())
    except Http404:
        flash.error(request, _("No order with this serial."))
        return redirect("conversations:desk", pk=pk)
    question, answer = request.POST.get("question", "").strip(), request.POST.get("answer", "").strip()
    if not question:
        flash.error(request, _("Write what the customer asked."))
        return redirect("conversations:desk", pk=pk)
    return _act(
        request,
        pk,
        lambda c: conversions.record_query(
            conversation=c, agent=request.user, order=order, question=question, answer=answer
        ),
    )


@capability_required(ANSWER)
@require_POST
def presence(request):
    try:
        services.set_presence(agent=request.user, status=request.POST.get("status"))
    except DomainError as exc:
        flash.error(request, exc.message)
    return redirect("conversations:inbox")
