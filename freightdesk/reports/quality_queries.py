"""The service's quality in figures (SPEC §10, §11): satisfaction survey averages by month and call-review
averages by agent. Read straight from their small tables (no summaries)."""

from __future__ import annotations

from django.db.models import Avg, Count, F, Q

from freightdesk.core.periods import Period
from freightdesk.quality.models import CallReview
from freightdesk.quality.selectors import stage_averages
from freightdesk.surveys.models import Survey

from .rows import local_month, staff_names


def satisfaction(*, period: Period, region: str | None = None, scope=None) -> list[dict]:
    """Satisfaction averages (SPEC §10 table 3): surveys answered in the period, mean of each 1–5
    score over the answers that gave it, per month answered.

    Two kinds of survey: after a ticket (``Survey.ticket``) and after a delivery (``Survey.order``, no
    ticket). ``region`` (pickup region) is the ticket's order's region for the first, the order's region
    for the second (a ticket without an order has no region: counted only when no region is chosen).
    ``scope`` (an agent): the surveys of tickets they handled, and the delivery surveys of orders they
    took (``Order.taken_by``, as the other order figures an agent sees: orders they took). Not the
    dispatcher: the survey rates the service the customer had from order to delivery, and the agent who
    took the order is the one the customer dealt with (web orders, taken by nobody, are nobody's)."""
    qs = Survey.objects.filter(answered_at__gte=period.start, answered_at__lt=period.end)
    if region:
        qs = qs.filter(
            Q(ticket__order__pickup_region__code=region) | Q(ticket__isnull=True, order__pickup_region__code=region)
        )
    if scope is not None:
        qs = qs.filter(Q(ticket__handler=scope) | Q(ticket__isnull=True, order__taken_by=scope))
    out = list(
        qs.annotate(key=local_month("answered_at", period))
        .values("key")
        .annotate(
            answers=Count("pk"),
            efficiency=Avg("efficiency"),
            attitude=Avg("attitude"),
            solution=Avg("solution"),
        )
        .order_by("key")
    )
    for row in out:
        row["label"] = row["key"].strftime("%Y-%m")
    return out


def call_reviews(*, period: Period, region: str | None = None, scope=None) -> list[dict]:
    """Call-review averages per agent (SPEC §11, five stages): reviews made in the period, the mean
    of each stage score and of the stored average; per agent reviewed (``CallReview.agent``)."""
    qs = CallReview.objects.filter(reviewed_at__gte=period.start, reviewed_at__lt=period.end)
    if scope is not None:
        qs = qs.filter(agent=scope)
    return staff_names(
        list(
            qs.annotate(key=F("agent_id"))
            .values("key")
            .annotate(
                reviews=Count("pk"),
                **stage_averages(),
                average=Avg("average"),
            )
            .order_by()
        )
    )
