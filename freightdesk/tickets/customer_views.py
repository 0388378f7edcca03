"""The customer's side of tickets (SPEC §2 web complaint and suggestion channel, §9): the public page and a
customer account's "my tickets" (from "my orders"), each giving the ticket number; following one's ticket:
status, deadline and what the desk replied, never internal notes."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from freightdesk.accounts.capabilities import Capability, capability_required
from freightdesk.accounts.roles import public_view
from freightdesk.core import ratelimit
from freightdesk.core.errors import DomainError
from freightdesk.core.phones import normalize_phone
from freightdesk.orders.models import Order
from freightdesk.orders.selectors import access_order_for

from . import selectors, services
from .customer_forms import CustomerTicketForm, FollowForm, PublicTicketForm

FILE_RATE = (5, 600)  # complaints per client address per 10 minutes
FOLLOW_RATE = (20, 600)


def _over(request, scope, rate) -> bool:
    limit, window = rate
    return not ratelimit.allow(ratelimit.client_address(request), scope=scope, limit=limit, window=window)


def _public_order(serial: str, phone: str):
    """An order named on the public page counts only when the phone given is its shipper's or consignee's."""
    if not serial:
        return None
    try:
        number = normalize_phone(phone)
    except ValidationError:  # the phone's own error is shown by the service
        return None
    order = Order.objects.filter(serial=serial.strip()).first()
    if order is None or number not in (order.shipper_phone, order.consignee_phone):
        raise DomainError("order", _("No order with this serial and phone number."), field="order")
    return order


@public_view
@require_http_methods(["GET", "POST"])
def web_complaint(request):
    """The public complaint and suggestion page (no login, rate-limited per client address)."""
    form = PublicTicketForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not form.cleaned_data["website"]:
        if _over(request, "web-ticket", FILE_RATE):
            form.add_error(None, _("Too many messages; try again in a few minutes."))
        else:
            data = form.cleaned_data
            try:
                ticket = services.file_web_ticket(
                    name=data["name"],
                    phone=data["phone"],
                    category=data["category"],
                    subcategory=data["subcategory"],
                    description=data["description"],
                    demand=data["demand"],
                    order=_public_order(data["order"], data["phone"]),
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return render(request, "tickets/customer_filed.html", {"ticket": ticket})
    return render(request, "tickets/customer_new.html", {"form": form, "public": True})


@public_view
@require_GET
def follow(request):
    """Follow a ticket by its number and the last four digits of the phone it was filed with."""
    form = FollowForm(request.GET or None)
    ticket = None
    if form.is_bound and form.is_valid():
        if _over(request, "follow-ticket", FOLLOW_RATE):
            form.add_error(None, _("Too many messages; try again in a few minutes."))
        else:
            ticket = selectors.followed_ticket(form.cleaned_data["number"], form.cleaned_data["phone_last4"])
            if ticket is None:
                form.add_error(None, _("No ticket with this number and phone."))
    context = {"form": form, "ticket": ticket, "replies": selectors.replies(ticket) if ticket else []}
    return render(request, "tickets/customer_follow.html", context)


@capability_required(Capability.FOLLOW_OWN_TICKETS)
@require_GET
def my_tickets(request):
    rows = selectors.visible_tickets(request.user).select_related("order").order_by("-created_at", "-id")[:100]
    return render(request, "tickets/my_tickets.html", {"rows": rows})


@capability_required(Capability.FOLLOW_OWN_TICKETS)
@require_GET
def my_ticket(request, number):
    ticket = selectors.access_ticket_for(request.user, number)
    return render(request, "tickets/customer_follow.html", {"ticket": ticket, "replies": selectors.replies(ticket)})


@capability_required(Capability.FILE_OWN_TICKETS)
@require_http_methods(["GET", "POST"])
def my_new_ticket(request):
    """From "my orders": a complaint or suggestion about one of the account's orders, or none."""
    account = request.user.customer_account
    form = CustomerTicketForm(request.POST or None, initial={"order": request.GET.get("order", "")[:16]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = access_order_for(request.user, data["order"]) if data["order"] else None
            ticket = services.open_ticket(
                by=request.user,
                category=data["category"],
                subcategory=data["subcategory"],
                channel="web_message",
                description=data["description"],
                demand=data["demand"],
                order=order,
                customer_name=account.customer.name,
                customer=account.customer,
            )
        except Http404:
            form.add_error("order", _("No order with this serial."))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("tickets:my_ticket", number=ticket.number)
    return render(request, "tickets/customer_new.html", {"form": form, "public": False})
