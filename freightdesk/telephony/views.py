"""The agent's screen-pop, the one-click actions on a call, and the call statistics page (SPEC §2, §10).

Why htmx polling and not server-sent events: the default setup is one machine running a WSGI server
(runserver, gunicorn sync workers) where every SSE connection would hold a worker thread for as
long as the agent's page is open, and reverse proxies buffer or time out long-lived responses
unless configured for them. A short poll is an ordinary request that works everywhere; it answers
``204 No Content`` (htmx swaps nothing, so nothing the agent typed is lost) unless the call changed,
and costs one indexed query. The poll interval (500 ms) keeps the pop well under 1 s after the event (measured in the browser test).
"""

from datetime import date, datetime, time, timedelta

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from freightdesk.accounts.capabilities import Capability, capability_required, report_scope
from freightdesk.core.errors import DomainError
from freightdesk.core.phones import display_phone
from freightdesk.core.worktime import TZ
from freightdesk.orders.models import Order
from freightdesk.tickets.models import Ticket

from . import selectors, services

POLL = "500ms"


def pop_version(call) -> str:
    if call is None:
        return "none"
    return (
        f"{call.pk}.{call.state}.{int(call.updated_at.timestamp() * 1000)}.{call.customer_id or 0}"
        f".{call.order_id or 0}.{call.ticket_id or 0}"
    )


def _pop_response(request, call, *, error=""):
    now = timezone.now()
    context = {"call": call, "version": pop_version(call), "poll": POLL, "error": error}
    if call is not None:
        context.update(selectors.caller_context(call, now))
        context["number"] = display_phone(call.customer_number) or call.from_number or _("withheld")
    return render(request, "telephony/pop.html", context)


@capability_required(Capability.ANSWER_CALLS)
def pop(request):
    """The ringing agent's panel; polled by every agent page (templates/telephony/pop_slot.html)."""
    call = selectors.pop_call_for(request.user, timezone.now())
    if request.GET.get("v") == pop_version(call):
        return HttpResponse(status=204)
    return _pop_response(request, call)


@capability_required(Capability.HANDLE_CALLS)
@require_POST
def act(request, pk: int, action: str):
    """One click from the pop: create the caller, link the call, or mark the callback done."""
    call = selectors.access_call_for(request.user, pk)
    error = ""
    try:
        if action == "create":
            services.create_caller(call=call, agent=request.user, name=request.POST.get("name", ""))
        elif action == "link":
            _link(request, call)
        elif action == "callback":
            services.callback_done(call=call, by=request.user)
        else:
            return HttpResponse(status=404)
    except DomainError as exc:
        error = exc.message
    call.refresh_from_db()
    return _pop_response(request, selectors.pop_call_for(request.user, timezone.now()) or call, error=error)


def _link(request, call):
    order = ticket = None
    if request.POST.get("order"):
        order = get_object_or_404(Order, serial=request.POST["order"])
    if request.POST.get("ticket"):
        ticket = get_object_or_404(Ticket, number=request.POST["ticket"])
    services.link_call(call=call, agent=request.user, order=order, ticket=ticket)


@capability_required(Capability.VIEW_CALL_STATS)
def stats(request):
    """A day's calls (SPEC §10): volume per hour, share answered within N seconds, abandoned rate, handling time.
    Same readers as the other reports: managers, supervisors and admins see every call, an agent his own."""
    raw, error = request.GET.get("day", "").strip(), ""
    day = timezone.localdate()
    if raw:
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            error = _("“%(value)s” is not a date; use YYYY-MM-DD.") % {"value": raw[:40]}
    scope = report_scope(request.user)
    start = datetime.combine(day, time(0), TZ)
    end = start + timedelta(days=1)
    return render(
        request,
        "telephony/stats.html",
        {
            "day": day,
            "answer_within": selectors.answer_within_seconds(),
            "error": error,
            "own": scope is not None,
            "by_hour": selectors.call_stats(start, end, "hour", agent=scope),
            "by_agent": selectors.call_stats(start, end, "agent", agent=scope),
        },
        status=400 if error else 200,
    )
