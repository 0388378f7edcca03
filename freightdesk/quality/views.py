"""Call review pages: a supervisor scores a call; each agent sees his own reviews; oversight sees averages."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from freightdesk.accounts.capabilities import Capability, capability_required, has_capability
from freightdesk.core.errors import DomainError
from freightdesk.tickets.models import Ticket

from . import selectors, services
from .checklist import STAGES, item_label
from .forms import ReviewForm


@capability_required(Capability.REVIEW_CALLS)
@require_http_methods(["GET", "POST"])
def new_review(request):
    initial = {"ticket": request.GET.get("ticket", "")}
    reviewed = (
        Ticket.objects.filter(number=initial["ticket"]).only("created_by", "handler").first()
        if initial["ticket"]
        else None
    )
    if reviewed is not None:
        initial["agent"] = reviewed.handler_id or reviewed.created_by_id
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ticket = Ticket.objects.filter(number=data["ticket"].strip()).first() if data["ticket"].strip() else None
        if data["ticket"].strip() and ticket is None:
            form.add_error("ticket", _("No ticket with this number."))
        else:
            try:
                services.review_call(
                    reviewer=request.user,
                    agent=data["agent"],
                    scores={s: data[s] for s in STAGES},
                    mode=data["mode"],
                    checklist=form.observed(),
                    comments=data["comments"],
                    ticket=ticket,
                    call_ref=data["call_ref"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Review saved."))
                return redirect("quality:overview")
    return render(request, "quality/new.html", {"form": form})


@capability_required(Capability.VIEW_CALL_REVIEWS)
@require_GET
def my_reviews(request):
    """An agent sees only his own reviews."""
    reviews = list(selectors.reviews_of(request.user)[:100])
    for review in reviews:
        review.missed = [item_label(key) for key, met in review.checklist.items() if not met]
    return render(request, "quality/mine.html", {"reviews": reviews})


@capability_required(Capability.VIEW_CALL_QUALITY)
@require_GET
def overview(request):
    return render(
        request,
        "quality/overview.html",
        {"rows": selectors.averages_by_agent(), "can_review": has_capability(request.user, Capability.REVIEW_CALLS)},
    )
