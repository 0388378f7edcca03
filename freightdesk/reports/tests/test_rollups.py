"""The reports read from the per-day summaries give exactly the raw queries' figures: every summarised report, every
grouping, with and without a region and an agent's scope, on generated data around local midnights — and still
after late corrections (a void, a reassigned driver, a pickup time recorded late, a complaint judged again or its
target changed, a new reviewer, a ticket resolved, an order moved to another region or deleted), which the
triggers apply in the same transaction. ``rebuild_rollups`` recomputes the same rows from the raw ones."""

import random
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Q

from freightdesk.dispatch.models import Dispatch
from freightdesk.network.models import Driver, Region
from freightdesk.orders.models import AWAITING_REVIEW, Enquiry, Order, OrderEvent, Status
from freightdesk.reports import queries, summaries
from freightdesk.reports.catalog import REPORTS
from freightdesk.reports.params import ReportParams
from freightdesk.reports.rollup_models import ComplaintDay, OrderDay
from freightdesk.reports.rollup_rebuild import after_migrate
from freightdesk.reports.rollups import drop_triggers
from freightdesk.tickets.models import Ticket
from freightdesk.tracking.models import Shipment

from .conftest import at

FIRST, LAST = date(2025, 10, 8), date(2025, 10, 11)
NOW = at("2025-10-10 11:00")
SUMMARISED = ["pickup-on-time", "complaints", "origins", "orders", "review", "dispatch", "sla"]
STATUSES = ["submitted", "problem", "confirmed", "dispatched", "picked_up", "in_transit", "delivered", "void"]
TICKET_STATUSES = ["recorded", "validated", "assigned", "resolved", "closed", "dismissed"]


def _moment(rng: random.Random) -> str:
    """A local time in FIRST..LAST, often within minutes of midnight (the day boundary in UTC is 16:00)."""
    day = FIRST + timedelta(days=rng.randrange(4))
    if rng.random() < 0.3:
        return f"{day} {rng.choice(['00:00', '00:01', '23:59', '23:58'])}"
    return f"{day} {rng.randrange(7, 20):02d}:{rng.randrange(60):02d}"


def _later(text: str, minutes: int) -> str:
    return (at(text) + timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def generated(make_order, user_for):
    """About 80 orders (every status and channel, shipments picked up before or after the deadline or not at all,
    deadlines past and ahead of NOW, web orders reviewed by two agents), their enquiries and dispatches, and 60
    tickets (complaints and suggestions about drivers, agents and the company, judged or not, penalised, with
    SLA deadlines met, breached and open)."""
    rng = random.Random(18)
    agents = [user_for("agent"), get_user_model().objects.get(username="8012")]
    regions = list(Region.objects.filter(code__in=["north", "south"]))
    drivers = [r.driver for r in regions] + [Driver.objects.create(name="张师傅", phone="+8613900004444")]
    orders = []
    for n in range(80):
        created = _moment(rng)
        status = STATUSES[n % len(STATUSES)]
        channel = ["phone", "web", "chat"][n % 3]
        fields = {"driver": rng.choice(drivers)} if status not in ("submitted", "problem", "confirmed") else {}
        if channel == "web":
            fields["review_due_at"] = at(_later(created, rng.choice([30, 600, 3000])))
        order = make_order(
            created,
            region=rng.choice(regions).code,
            status=status,
            channel=channel,
            taken_by=rng.choice([None, *agents]),
            picked=_later(created, rng.choice([10, 45, 200])) if rng.random() < 0.6 else None,
            **fields,
        )
        if channel == "web" and status != "submitted":
            OrderEvent.objects.create(order=order, kind="reviewed", by=rng.choice(agents), at=at(_later(created, 5)))
        _enquiry_and_dispatch(rng, order, agents)
        orders.append(order)
    tickets = [_ticket(rng, n, rng.choice(orders), drivers, agents) for n in range(60)]
    return {"orders": orders, "tickets": tickets, "agents": agents, "drivers": drivers}


def _enquiry_and_dispatch(rng, order, agents):
    Enquiry.objects.create(
        at=order.created_at,
        channel=order.channel,
        outcome=rng.choice(["shipped", "refused", "voided", "quote_only"]),
        pickup_region=order.pickup_region if rng.random() < 0.9 else None,
        agent=rng.choice([None, *agents]),
    )
    if order.status not in ("submitted", "problem", "confirmed", "void"):
        agent = rng.choice(agents)
        Dispatch.objects.create(
            order=order,
            region=order.pickup_region,
            mode="driver",
            agent=agent,
            agent_code=agent.username,
            dispatched_at=order.created_at + timedelta(minutes=2),
            missed=rng.random() < 0.3,
            text="派单",
        )


def _ticket(rng, n, order, drivers, agents) -> Ticket:
    created = at(_moment(rng))
    due = created + timedelta(hours=rng.choice([2, 30]))
    status = rng.choice(TICKET_STATUSES)
    resolved = None
    if status in ("resolved", "closed", "dismissed"):
        resolved = created + timedelta(hours=rng.choice([1, 40]))
    penalised = rng.random() < 0.3
    return Ticket.objects.create(
        number=f"RT{n:06d}",
        channel="phone",
        category=rng.choice(["complaint", "complaint", "suggestion", "inquiry"]),
        subcategory=rng.choice(["transit_time", "fees", "attitude"]),
        status=status,
        description="客户反映",
        owner_group="agent",
        order=order if rng.random() < 0.8 else None,
        driver=rng.choice([None, *drivers]),
        agent=rng.choice([None, *agents]),
        target_kind=rng.choice(["", "driver", "agent", "company", "other"]),
        handler=rng.choice([None, *agents]),
        created_at=created,
        due_at=due if rng.random() < 0.9 else None,
        resolved_at=resolved,
        penalty_percent=rng.choice([10, 20]) if penalised else rng.choice([None, 0]),
        responsible_driver=rng.choice(drivers) if penalised and rng.random() < 0.5 else None,
        responsible_user=rng.choice(agents) if penalised and rng.random() < 0.5 else None,
    )


def _mismatches(agents) -> list[str]:
    """Every summarised report x grouping x (all, a region, an agent's scope) x (whole period, one day)."""
    found = []
    for slug in SUMMARISED:
        report = REPORTS[slug]
        for group in report.groups:
            for first, last in [(FIRST, LAST), (LAST - timedelta(days=1), LAST - timedelta(days=1))]:
                for region, scope in [(None, None), ("north", None), (None, agents[0]), (None, agents[1])]:
                    params = ReportParams(first, last, group, region)
                    assert summaries.usable(params.period)
                    summary = report.rows(params, scope=scope, now=NOW)
                    raw = _raw(report, params, scope)
                    if summary != raw:
                        found.append(f"{slug}/{group}/{first}/{region}/{scope}:\n  {summary}\n  {raw}")
    return found


def _raw(report, params, scope):
    """The same report by the raw queries: the runner falls back to them where the summaries are not usable."""
    usable = summaries.usable
    summaries.usable = lambda period: False
    try:
        return report.rows(params, scope=scope, now=NOW)
    finally:
        summaries.usable = usable


@pytest.mark.django_db
def test_summaries_give_the_raw_figures_for_every_report_and_grouping(generated):
    assert OrderDay.objects.exists() and ComplaintDay.objects.exists()
    assert _mismatches(generated["agents"]) == []


def _corrections(data):
    orders, tickets, agents, drivers = data["orders"], data["tickets"], data["agents"], data["drivers"]
    delivered = [o for o in orders if o.status == "delivered"]
    Order.objects.filter(pk=delivered[0].pk).update(status="void")  # a void (conditional update, no signal)
    delivered[1].driver = drivers[2]  # the fleet manager reassigns the driver
    delivered[1].save(update_fields=["driver"])
    shipment = Shipment.objects.filter(order__status="dispatched").first()
    shipment.picked_up_at = shipment.picked_up_at + timedelta(hours=5)  # pickup time corrected: now late
    shipment.save()
    Shipment.objects.filter(order=delivered[2]).delete()
    Order.objects.filter(pk=orders[3].pk).update(pickup_region=Region.objects.get(code="south"))
    Order.objects.filter(pk=orders[4].pk).update(created_at=at("2025-10-09 23:59"))
    complaint = next(t for t in tickets if t.category == "complaint" and t.status == "validated")
    Ticket.objects.filter(pk=complaint.pk).update(status="dismissed")  # the complaint re-judged not valid
    judged = next(t for t in tickets if t.category == "complaint" and t.target_kind == "driver")
    Ticket.objects.filter(pk=judged.pk).update(target_kind="agent", agent=agents[1], penalty_percent=30)
    Ticket.objects.filter(pk=tickets[5].pk).update(responsible_driver=drivers[0], penalty_percent=15)
    Ticket.objects.filter(pk=tickets[6].pk).update(resolved_at=NOW + timedelta(days=3))
    web = next(o for o in orders if o.channel == "web" and o.status == "void")
    OrderEvent.objects.create(order=web, kind="reviewed", by=agents[1], at=at("2025-10-11 23:00"))  # a new reviewer
    Order.objects.filter(pk=next(o for o in orders if o.status == "problem").pk).update(
        status="confirmed", confirmed_at=NOW
    )
    Dispatch.objects.filter(pk=Dispatch.objects.first().pk).update(missed=True, agent_code="8012")
    Enquiry.objects.filter(pk=Enquiry.objects.first().pk).update(outcome="refused", pickup_region=None)
    untouched = next(o for o in orders if not o.tickets.exists() and o.pk != delivered[0].pk)
    untouched.delete()


@pytest.mark.django_db
def test_late_corrections_move_the_summaries_like_the_raw_figures(generated):
    _corrections(generated)
    assert _mismatches(generated["agents"]) == []


@pytest.mark.django_db
def test_rebuild_recomputes_the_raw_figures(generated):
    _corrections(generated)
    OrderDay.objects.update(orders=999, on_time=0)
    ComplaintDay.objects.all().delete()
    assert _mismatches(generated["agents"]) != []
    call_command("rebuild_rollups", "--from", str(FIRST), "--to", str(LAST))
    assert _mismatches(generated["agents"]) == []
    call_command("rebuild_rollups")
    assert _mismatches(generated["agents"]) == []


@pytest.mark.django_db
def test_the_reports_read_the_summaries(make_order, client, user_for, time_machine):
    """A summary row is what the page, its file and the API show (a wrong one would show: proof they are read)."""
    time_machine.move_to(NOW, tick=False)
    make_order("2025-10-09 10:00", picked="2025-10-09 10:10")
    query = {"from": str(FIRST), "to": str(LAST)}
    period = ReportParams(FIRST, LAST, "driver", None).period
    assert queries.pickup_on_time(period=period, now=NOW)[0]["on_time"] == 1
    OrderDay.objects.update(on_time=0, late_picked=1)
    rows = REPORTS["pickup-on-time"].rows(ReportParams(FIRST, LAST, "driver", None), now=NOW)
    assert [(r["on_time"], r["late"]) for r in rows] == [(0, 1)]
    client.force_login(user_for("manager"))
    csv = b"".join(client.get("/reports/download/pickup-on-time.csv", query).streaming_content).decode()
    assert csv.splitlines()[1].split(",")[2:4] == ["0", "1"]


@pytest.mark.django_db
def test_the_triggers_are_installed():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s", ["rollup_%"])
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", ["rollup_%"])
        assert cursor.fetchone()[0] >= 30


def test_the_deadline_ahead_queries_name_the_partial_indexes_conditions():
    """The few rows still before their deadline are found through partial indexes: the queries write the same status
    list as the index condition (SQLite matches constants, not parameters)."""
    conditions = {index.name: index.condition for index in Order._meta.indexes}
    assert conditions["order_pickup_waiting"] == Q(status__in=list(summaries.WAITING_STATUSES))
    assert conditions["order_review_pending"] == Q(status__in=list(summaries.REVIEW_STATUSES))
    assert set(summaries.REVIEW_STATUSES) == AWAITING_REVIEW
    assert set(summaries.WAITING_STATUSES) == set(Status.values) - {"picked_up", "in_transit", "delivered", "void"}


@pytest.mark.django_db
def test_after_migrate_or_flush_the_triggers_are_back_and_the_summaries_rebuilt(make_order):
    """Migrations run without the triggers (a migration may remake a table they name); after them, or after a flush
    whose row-by-row deletes left summary rows behind, the summaries are summed again from the rows."""
    make_order("2025-10-09 10:00", picked="2025-10-09 10:10")
    drop_triggers()
    make_order("2025-10-09 11:00", picked="2025-10-09 11:10")
    OrderDay.objects.create(
        day=date(2025, 10, 8), channel="web", status="void", region_id=0, driver_id=0, taken_by_id=0
    )
    after_migrate("default", None)
    assert list(OrderDay.objects.filter(orders__gt=0).values_list("day", "orders")) == [(date(2025, 10, 9), 2)]
    assert not OrderDay.objects.filter(day=date(2025, 10, 8)).exists()
    make_order("2025-10-09 12:00", picked="2025-10-09 12:10")
    assert OrderDay.objects.get(day=date(2025, 10, 9)).orders == 3
