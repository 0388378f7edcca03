"""Report queries (SPEC §12). Every figure is aggregated by the database (``Count``/``Avg`` with
``filter=``, ``Trunc*``), never by looping over rows in Python. Each function takes a ``Period``
(``start`` inclusive, ``end`` exclusive, aware datetimes in Asia/Shanghai) and returns a list of
plain dicts, one per group, oldest/alphabetical first.

``scope`` narrows a report to one agent's own figures (agents see only theirs); ``region`` to one
pickup region (a ``network.Region`` code).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import BigIntegerField, Case, Count, F, OuterRef, Q, Subquery, Sum, When
from django.utils import timezone

from freightdesk.core.periods import Period
from freightdesk.dispatch.models import Dispatch
from freightdesk.orders.models import AWAITING_REVIEW, Enquiry, EnquiryOutcome, Order, OrderEvent, Status
from freightdesk.tickets.models import Category, TargetKind, Ticket
from freightdesk.tickets.models import Status as TicketStatus

from .rows import (
    complaint_rows,
    driver_names,
    local_day,
    local_month,
    origin_rows,
    rate,
    region_codes,
    staff,
    staff_names,
)

PICKED_UP_STATUSES = (Status.PICKED_UP, Status.IN_TRANSIT, Status.DELIVERED)
PICKUP_GROUPS = ("driver", "region", "day")
COMPLAINT_GROUPS = ("driver", "agent", "type", "month")
ORIGIN_GROUPS = ("region", "day", "month")


def pickup_population(*, period: Period, region: str | None = None, scope=None):
    """The orders the on-time pickup figures count: placed in the period, their pickup clock started
    (``Order.pickup_due_at``: confirmed), not voided; with the pickup time (``picked``) of their shipment."""
    qs = Order.objects.filter(
        created_at__gte=period.start, created_at__lt=period.end, pickup_due_at__isnull=False
    ).exclude(status=Status.VOID)
    if region:
        qs = qs.filter(pickup_region__code=region)
    if scope is not None:
        qs = qs.filter(taken_by=scope)
    return qs.annotate(picked=F("shipment__picked_up_at"))


ON_TIME = Q(picked__lte=F("pickup_due_at"))
LATE_PICKED = Q(picked__gt=F("pickup_due_at"))
NOT_PICKED = Q(picked__isnull=True) & ~Q(status__in=PICKED_UP_STATUSES)


def pickup_on_time(
    *, period: Period, group_by: str = "driver", region: str | None = None, scope=None, now: datetime | None = None
) -> list[dict]:
    """On-time pickup rate (及时提货率), SPEC §7 and §12: picked up by the order's pickup deadline.

    - Population: orders placed (``Order.created_at``) in the period whose pickup clock has started
      (confirmed: a phone order when taken, a web or chat order when its review confirmed it), except
      voided orders (作废单: never meant to be picked up). Orders still in review are not counted yet.
    - Pickup deadline: ``Order.pickup_due_at``, stored once when the order was confirmed
      (``orders.pickup``: 30 *working* minutes from the confirmation — 下单时间以最终下单信息发出时间为准; the
      clock stops outside working hours). The pickup check and the due-now board read the same value.
    - Pickup time: ``tracking.Shipment.picked_up_at``, the time the driver reported the pickup.
    - on time: picked up at or before the deadline. late: picked up after it, or not picked up
      and the deadline has passed (``now``). pending: not picked up, deadline still ahead — not
      counted. unknown: the order is past pickup but no pickup time was recorded (orders from
      before tracking) — not counted.
    - rate = on_time / (on_time + late); ``None`` when nothing is countable.
    - Groups: ``driver`` (``Order.driver``: who picks up — the driver the fleet manager assigned last, else
      the region's driver it was dispatched to; orders with none yet are the group ``None``), ``region``
      (pickup region), ``day`` (order day).
    """
    now = now or timezone.now()
    qs = pickup_population(period=period, region=region, scope=scope)
    if group_by == "day":
        qs = qs.annotate(key=local_day("created_at", period)).values("key")
    else:  # by the foreign key only: names are looked up for the few groups, not joined to every row
        qs = qs.annotate(key=F("driver_id" if group_by == "driver" else "pickup_region_id")).values("key")
    rows = qs.annotate(
        orders=Count("pk"),
        on_time=Count("pk", filter=ON_TIME),
        late=Count("pk", filter=LATE_PICKED | NOT_PICKED & Q(pickup_due_at__lte=now)),
        pending=Count("pk", filter=NOT_PICKED & Q(pickup_due_at__gt=now)),
    ).order_by("key")
    out = []
    for row in rows:
        row["unknown"] = row["orders"] - row["on_time"] - row["late"] - row["pending"]
        row["rate"] = rate(row["on_time"], row["on_time"] + row["late"])
        if group_by == "day":
            row["label"] = row["key"].isoformat()
        out.append(row)
    if group_by == "driver":
        return driver_names(out)
    return out if group_by == "day" else region_codes(out)


COMPLAINT = Q(category=Category.COMPLAINT)
VALID = COMPLAINT & ~Q(status__in=[TicketStatus.RECORDED, TicketStatus.DISMISSED])
PENALISED = COMPLAINT & Q(penalty_percent__gt=0)
# Whom a complaint is about (投诉对象, ``Ticket.target_kind``); a complaint recorded before the target was asked
# for (blank) counts with the company's.
ABOUT_DRIVER = Q(target_kind=TargetKind.DRIVER)
ABOUT_AGENT = Q(target_kind=TargetKind.AGENT)
ABOUT_COMPANY = ~Q(target_kind__in=[TargetKind.DRIVER, TargetKind.AGENT])
# Grouped by driver (or agent), a ticket's group is the person it is about: a complaint whose target is that
# driver (agent); anything else — suggestions, complaints about someone else — is in the group None.
_PERSON = {"driver": ("driver_id", ABOUT_DRIVER), "agent": ("agent_id", ABOUT_AGENT)}


def complaints(*, period: Period, group_by: str = "driver", region: str | None = None, scope=None) -> list[dict]:
    """Complaints and suggestions (投诉与建议), SPEC §9: "countable per driver, submitted monthly".

    - Population: tickets of category complaint or suggestion recorded (``Ticket.created_at``) in
      the period.
    - Validity is step (2) of the complaint process (SPEC §9, ``tickets.workflow``: recorded → validated
      or recorded → dismissed), so a complaint counts by where it stands now:
      ``valid`` (有效投诉) = judged valid, i.e. any status past ``recorded`` except ``dismissed``
      (validated, assigned, investigated, … closed); ``dismissed`` (无效投诉) = judged not valid;
      ``pending`` (待判定) = recorded, validity not judged yet. complaints = valid + dismissed + pending.
    - Whom it is about (投诉对象, ``Ticket.target_kind``): the valid complaints split into ``about_driver``,
      ``about_agent`` and ``about_company`` (the company, other, or not stated); valid = their sum.
    - Penalties (扣罚, the complaint workflow's step "carried out": ``penalty_percent`` of the performance pay of
      the person responsible): ``penalties`` = complaints with a penalty above 0, ``penalty_percent`` = their sum.
    - Groups: ``driver`` — a complaint whose target is a driver counts for that driver (``Ticket.driver``); every
      other ticket (suggestions, complaints about an agent or the company) is in the group ``None``; penalties
      count for the driver charged (``responsible_driver``). ``agent`` — the same for agents (``Ticket.agent``,
      penalties ``responsible_user``). ``type`` (category and sub-category: ``key`` the sub-category code,
      ``category`` the category code, ``label`` "complaint/transit_time" — the pages and files name them, the
      API keeps the codes), ``month`` (month recorded).
    - ``scope`` (an agent): the complaints about that agent (target agent, ``Ticket.agent``).
    """
    qs = _complaint_population(period, region, scope)
    rows = _complaint_groups(qs, group_by, period).annotate(
        complaints=Count("pk", filter=COMPLAINT),
        valid=Count("pk", filter=VALID),
        dismissed=Count("pk", filter=COMPLAINT & Q(status=TicketStatus.DISMISSED)),
        pending=Count("pk", filter=COMPLAINT & Q(status=TicketStatus.RECORDED)),
        about_driver=Count("pk", filter=VALID & ABOUT_DRIVER),
        about_agent=Count("pk", filter=VALID & ABOUT_AGENT),
        about_company=Count("pk", filter=VALID & ABOUT_COMPANY),
        suggestions=Count("pk", filter=Q(category=Category.SUGGESTION)),
        **({} if group_by in _PERSON else _penalty_columns()),
    )
    out = list(rows.order_by(*(("category", "key") if group_by == "type" else ("key",))))
    if group_by in _PERSON:
        out = _with_penalties(out, qs, group_by)
    for row in out:
        row["penalty_percent"] = row["penalty_percent"] or 0
    return complaint_rows(out, group_by)


def _complaint_population(period: Period, region: str | None, scope):
    qs = Ticket.objects.filter(
        created_at__gte=period.start, created_at__lt=period.end, category__in=[Category.COMPLAINT, Category.SUGGESTION]
    )
    if region:
        qs = qs.filter(order__pickup_region__code=region)
    if scope is not None:
        qs = qs.filter(ABOUT_AGENT, agent=scope)
    return qs


def _complaint_groups(qs, group_by: str, period: Period):
    """By the person a complaint is about (others in the group None), by type, or by month."""
    if group_by in _PERSON:
        person, about = _PERSON[group_by]
        key = Case(When(COMPLAINT & about, then=F(person)), default=None, output_field=BigIntegerField())
        return qs.annotate(key=key).values("key")
    if group_by == "type":
        return qs.annotate(key=F("subcategory")).values("category", "key")
    return qs.annotate(key=local_month("created_at", period)).values("key")


def _penalty_columns() -> dict:
    return {"penalties": Count("pk", filter=PENALISED), "penalty_percent": Sum("penalty_percent", filter=PENALISED)}


def _with_penalties(rows: list[dict], qs, group_by: str) -> list[dict]:
    """Add the penalties per person charged (the driver or the user responsible), a second grouped query over
    the same tickets; a person penalised without a complaint about him in the period gets a row of his own."""
    charged = "responsible_driver_id" if group_by == "driver" else "responsible_user_id"
    penalties = {
        row["key"]: row
        for row in qs.filter(PENALISED, **{f"{charged}__isnull": False})
        .annotate(key=F(charged))
        .values("key")
        .annotate(**_penalty_columns())
        .order_by()
    }
    empty = dict.fromkeys(
        ("complaints", "valid", "dismissed", "pending", "about_driver", "about_agent", "about_company", "suggestions"),
        0,
    )
    by_key = {row["key"]: row for row in rows}
    for key in penalties.keys() - by_key.keys():
        by_key[key] = {"key": key, **empty}
    for key, row in by_key.items():
        found = penalties.get(key, {})
        row["penalties"], row["penalty_percent"] = found.get("penalties", 0), found.get("penalty_percent")
    return sorted(by_key.values(), key=lambda r: (r["key"] is not None, r["key"] or 0))


def origins(*, period: Period, group_by: str = "region", region: str | None = None, scope=None) -> list[dict]:
    """Shipping-origin analysis (发货地分析), SPEC §12: every enquiry's origin, shipped or not.

    - Population: ``orders.Enquiry`` rows with ``at`` in the period (one per enquiry, whatever the
      outcome: shipped, refused, voided, quote only).
    - Groups: ``region`` (pickup region; enquiries whose region could not be resolved are one group
      with key ``None``), ``day`` or ``month`` (over time).
    - ``shipped_share`` = shipped / enquiries.
    - ``scope`` (an agent): the enquiries that agent took.
    """
    qs = Enquiry.objects.filter(at__gte=period.start, at__lt=period.end)
    if region:
        qs = qs.filter(pickup_region__code=region)
    if scope is not None:
        qs = qs.filter(agent=scope)
    if group_by == "region":
        qs = qs.annotate(key=F("pickup_region_id")).values("key")
    else:
        qs = qs.annotate(key=(local_day if group_by == "day" else local_month)("at", period)).values("key")
    counts = {o.value: Count("pk", filter=Q(outcome=o.value)) for o in EnquiryOutcome}
    out = list(qs.annotate(enquiries=Count("pk"), **counts).order_by("key"))
    return origin_rows(out, group_by)


def orders_by_channel_status(*, period: Period, region: str | None = None, scope=None) -> list[dict]:
    """Orders by channel and status: orders placed in the period (``created_at``), every status
    including void, one row per (channel, status) that occurs. ``scope``: orders the agent took."""
    qs = Order.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    if region:
        qs = qs.filter(pickup_region__code=region)
    if scope is not None:
        qs = qs.filter(taken_by=scope)
    return list(qs.values("channel", "status").annotate(orders=Count("pk")).order_by("channel", "status"))


def reviewer_of_order():
    """The agent who recorded the order's latest review outcome (核单人): the ``by`` of its latest
    ``OrderEvent(kind="reviewed")`` — written by ``orders.review.review_order`` for confirm, problem
    and void. ``Order.claimed_by`` is only who has the order open *now* (cleared by every outcome), and
    ``taken_by`` is empty for web orders, so neither names the reviewer."""
    return Subquery(
        OrderEvent.objects.filter(order_id=OuterRef("pk"), kind="reviewed").order_by("-at", "-id").values("by_id")[:1]
    )


def review_compliance(
    *, period: Period, region: str | None = None, scope=None, now: datetime | None = None
) -> list[dict]:
    """Review deadline compliance per agent (核单时效), SPEC §5: web orders reviewed and confirmed
    within 30 working minutes (night orders: by the next opening), ``Order.review_due_at``.

    - Population: orders placed in the period that have a review deadline (web/platform orders).
    - Agent: the reviewer, i.e. who recorded the order's latest review outcome (``reviewer_of_order``:
      the confirming agent of a confirmed order, the voiding agent of a voided one, the agent who made it
      a problem order while it waits for the customer). Orders nobody has reviewed yet are the group
      ``None`` (the desk's, not an agent's). Not ``claimed_by`` (who has it open now) nor ``taken_by``.
    - on time: ``confirmed_at <= review_due_at``. late: confirmed after it, or still awaiting review
      (submitted/problem) after it. A problem order's deadline is the callback time agreed with the
      customer (``review_due_at`` is moved to it by the review). voided: voided in review (not judged:
      voiding is not a confirmation). pending: awaiting review, not yet due.
    - rate = on_time / (on_time + late).
    - ``scope`` (an agent): the orders that agent reviewed.
    """
    now = now or timezone.now()
    qs = Order.objects.filter(created_at__gte=period.start, created_at__lt=period.end, review_due_at__isnull=False)
    if region:
        qs = qs.filter(pickup_region__code=region)
    qs = qs.annotate(key=reviewer_of_order())
    if scope is not None:
        qs = qs.filter(key=scope.pk)
    rows = (
        qs.values("key")
        .annotate(
            orders=Count("pk"),
            on_time=Count("pk", filter=Q(confirmed_at__lte=F("review_due_at"))),
            late=Count(
                "pk",
                filter=Q(confirmed_at__gt=F("review_due_at")) | Q(status__in=AWAITING_REVIEW, review_due_at__lte=now),
            ),
            voided=Count("pk", filter=Q(status=Status.VOID, confirmed_at__isnull=True)),
            pending=Count("pk", filter=Q(status__in=AWAITING_REVIEW, review_due_at__gt=now)),
        )
        .order_by()
    )
    out = staff_names(list(rows))
    for row in out:
        row["rate"] = rate(row["on_time"], row["on_time"] + row["late"])
    return out


def dispatch_compliance(*, period: Period, region: str | None = None, scope=None) -> list[dict]:
    """Dispatch deadline compliance per agent (传递时效), SPEC §6: the SMS sent within 3 minutes of
    confirmation. Population: ``dispatch.Dispatch`` rows sent (``dispatched_at``) in the period;
    on time = not ``missed`` (dispatch stores ``missed`` = sent after ``due_at``); per agent who
    dispatched (``Dispatch.agent``, who sent the SMS — not who took or reviewed the order). Confirmed
    orders not dispatched at all are not in this report (no agent yet; the dispatch board shows them).
    ``scope`` (an agent): the dispatches that agent sent."""
    qs = Dispatch.objects.filter(dispatched_at__gte=period.start, dispatched_at__lt=period.end)
    if region:
        qs = qs.filter(region__code=region)
    if scope is not None:
        qs = qs.filter(agent=scope)
    rows = (
        qs.annotate(key=F("agent_code"), user=F("agent_id"))
        .values("key", "user")
        .annotate(
            dispatches=Count("pk"),
            on_time=Count("pk", filter=Q(missed=False)),
            late=Count("pk", filter=Q(missed=True)),
        )
        .order_by("key", "user")
    )  # the order of the index report_dispatch_agent (agent_code, agent_id, …)
    out = list(rows)
    users = staff(r["user"] for r in out)
    for row in out:
        row["label"] = users.get(row.pop("user"), (None, None))[1]
        row["rate"] = rate(row["on_time"], row["dispatches"])
    return out


def sla_compliance(*, period: Period, region: str | None = None, scope=None, now: datetime | None = None) -> list[dict]:
    """SLA compliance per ticket category (SPEC §10 table 2): tickets recorded in the period with a
    deadline (``due_at``). met: ``resolved_at <= due_at``; breached: resolved after it, or unresolved
    and past it; open (未到期): unresolved and not yet due. rate = met / (met + breached).
    Per category and sub-category: ``category`` and ``key`` are the codes, ``label`` "complaint/transit_time"
    (the pages and files name them: ``labels.ticket_types``)."""
    now = now or timezone.now()
    qs = Ticket.objects.filter(created_at__gte=period.start, created_at__lt=period.end, due_at__isnull=False)
    if region:
        qs = qs.filter(order__pickup_region__code=region)
    if scope is not None:
        qs = qs.filter(handler=scope)
    rows = (
        qs.annotate(key=F("subcategory"))
        .values("category", "key")
        .annotate(
            tickets=Count("pk"),
            met=Count("pk", filter=Q(resolved_at__lte=F("due_at"))),
            breached=Count("pk", filter=Q(resolved_at__gt=F("due_at")) | Q(resolved_at__isnull=True, due_at__lte=now)),
            open=Count("pk", filter=Q(resolved_at__isnull=True, due_at__gt=now)),
        )
        .order_by("category", "key")
    )
    out = list(rows)
    for row in out:
        row["rate"] = rate(row["met"], row["met"] + row["breached"])
        row["label"] = f"{row['category']}/{row['key']}"
    return out
