"""How the per-day summary rows (``rollup_models``) are computed and kept exact.

Each summary table is defined once, in SQL over its source rows (alias ``o``): the dimensions, the measures and the
population. The same definition is used three ways:

- **Triggers** on every table whose writes change the figures (the source table and the tables its measures read:
  a shipment's pickup time, an order's latest review event, a ticket's order's region). Before a write the affected
  source rows' contribution is subtracted, after it the new contribution is added, in the same transaction as the
  business step, whatever wrote it (a service, a conditional ``UPDATE``, an admin, a migration). A late correction
  — a void, a reassigned driver, a complaint judged again, its target changed — moves the figures at once.
- **Rebuild** (``manage.py rebuild_rollups``): the days of a period deleted and summed again from the raw rows.
- The tests compare every report read from the summaries with the raw queries (``queries.py``).

Triggers are dropped before ``migrate`` and installed again after it (``apps.py``, ``after_migrate``), replacing
the previous definitions. The local day
is Asia/Shanghai's (``settings.TIME_ZONE``); on SQLite its UTC offset is written into the triggers, so a change
of ``TIME_ZONE`` needs ``rebuild_rollups`` (the readers fall back to the raw queries when a period's offset is not
the summaries' one: ``summaries.usable``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections, transaction

from freightdesk.core.worktime import TZ

from .rollup_models import ComplaintDay, DispatchDay, EnquiryDay, OrderDay, ReviewDay, SlaDay

PREFIX = "rollup_"


def flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


def _id(expr: str) -> str:
    return f"COALESCE({expr}, 0)"


@dataclass(frozen=True)
class Feed:
    """A table whose writes change a summary: ``key`` is its column naming the source rows affected, matched
    against ``source_key`` (an expression over ``o``); ``columns`` the columns whose change matters; ``when`` a
    condition on the written row (``{row}`` is OLD or NEW)."""

    table: str
    columns: tuple[str, ...]
    key: str = "id"
    source_key: str = "o.id"
    when: str = ""
    own: bool = False  # the source table itself
    inserts: bool = True  # an insert or delete can change the figures (not only an update of ``columns``)


@dataclass(frozen=True)
class Rollup:
    model: type
    source: str  # FROM clause, the source table aliased ``o``
    day_column: str
    dims: dict[str, str]
    measures: dict[str, str]
    feeds: tuple[Feed, ...]
    population: str = "1 = 1"
    extra: dict = field(default_factory=dict)

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def source_table(self) -> str:
        return self.source.split()[0]


PICKED = "s.picked_up_at"
COUNTED = "o.pickup_due_at IS NOT NULL AND o.status <> 'void'"
REVIEWER = (
    "(SELECT e.by_id FROM orders_orderevent e WHERE e.order_id = o.id AND e.kind = 'reviewed' "
    "ORDER BY e.at DESC, e.id DESC LIMIT 1)"
)
AWAITING = "o.status IN ('submitted', 'problem')"
CONFIRMED_LATE = "o.confirmed_at > o.review_due_at"
PENALISED = "o.category = 'complaint' AND o.penalty_percent > 0"
ORDER_REGION = "(SELECT r.pickup_region_id FROM orders_order r WHERE r.id = o.order_id)"
ORDER_REGION_FEED = Feed("orders_order", ("pickup_region_id",), key="id", source_key="o.order_id", inserts=False)

ROLLUPS: tuple[Rollup, ...] = (
    Rollup(
        OrderDay,
        "orders_order o LEFT JOIN tracking_shipment s ON s.order_id = o.id",
        "created_at",
        dims={
            "channel": "o.channel",
            "status": "o.status",
            "region_id": "COALESCE(o.pickup_region_id, 0)",
            "driver_id": "COALESCE(o.driver_id, 0)",
            "taken_by_id": "COALESCE(o.taken_by_id, 0)",
        },
        measures={
            "orders": "1",
            "pickup_orders": flag(COUNTED),
            "on_time": flag(f"{COUNTED} AND {PICKED} <= o.pickup_due_at"),
            "late_picked": flag(f"{COUNTED} AND {PICKED} > o.pickup_due_at"),
            "waiting": flag(
                f"{COUNTED} AND {PICKED} IS NULL AND o.status NOT IN ('picked_up', 'in_transit', 'delivered')"
            ),
        },
        feeds=(
            Feed(
                "orders_order",
                ("created_at", "channel", "status", "pickup_region_id", "driver_id", "taken_by_id", "pickup_due_at"),
                own=True,
            ),
            Feed("tracking_shipment", ("order_id", "picked_up_at"), key="order_id"),
        ),
    ),
    Rollup(
        ReviewDay,
        "orders_order o",
        "created_at",
        dims={"region_id": "COALESCE(o.pickup_region_id, 0)", "reviewer_id": f"COALESCE({REVIEWER}, 0)"},
        measures={
            "orders": "1",
            "on_time": flag("o.confirmed_at <= o.review_due_at"),
            "late_confirmed": flag(CONFIRMED_LATE),
            "awaiting": flag(f"{AWAITING} AND (o.confirmed_at IS NULL OR o.confirmed_at <= o.review_due_at)"),
            "voided": flag("o.status = 'void' AND o.confirmed_at IS NULL"),
        },
        population="o.review_due_at IS NOT NULL",
        feeds=(
            Feed(
                "orders_order",
                ("created_at", "pickup_region_id", "review_due_at", "confirmed_at", "status"),
                own=True,
            ),
            Feed(
                "orders_orderevent",
                ("order_id", "kind", "by_id", "at"),
                key="order_id",
                when="{row}.kind = 'reviewed'",
            ),
        ),
    ),
    Rollup(
        EnquiryDay,
        "orders_enquiry o",
        "at",
        dims={
            "region_id": "COALESCE(o.pickup_region_id, 0)",
            "agent_id": "COALESCE(o.agent_id, 0)",
            "outcome": "o.outcome",
        },
        measures={"enquiries": "1"},
        feeds=(Feed("orders_enquiry", ("at", "pickup_region_id", "agent_id", "outcome"), own=True),),
    ),
    Rollup(
        ComplaintDay,
        "tickets_ticket o",
        "created_at",
        dims={
            "category": "o.category",
            "subcategory": "o.subcategory",
            "validity": "CASE o.status WHEN 'recorded' THEN 'recorded' WHEN 'dismissed' THEN 'dismissed' "
            "ELSE 'valid' END",
            "target": "CASE o.target_kind WHEN 'driver' THEN 'driver' WHEN 'agent' THEN 'agent' ELSE 'company' END",
            # only what a report reads, so that fewer rows differ: the driver of a complaint about a driver, the
            # agent of a ticket about an agent (an agent's scope), the persons charged with a penalty
            "driver_id": f"CASE WHEN o.category = 'complaint' AND o.target_kind = 'driver' THEN {_id('o.driver_id')} ELSE 0 END",
            "agent_id": f"CASE WHEN o.target_kind = 'agent' THEN {_id('o.agent_id')} ELSE 0 END",
            "region_id": _id(ORDER_REGION),
            "responsible_driver_id": f"CASE WHEN {PENALISED} THEN {_id('o.responsible_driver_id')} ELSE 0 END",
            "responsible_user_id": f"CASE WHEN {PENALISED} THEN {_id('o.responsible_user_id')} ELSE 0 END",
        },
        measures={
            "tickets": "1",
            "penalties": flag(PENALISED),
            "penalty_percent": f"CASE WHEN {PENALISED} THEN o.penalty_percent ELSE 0 END",
        },
        population="o.category IN ('complaint', 'suggestion')",
        feeds=(
            Feed(
                "tickets_ticket",
                (
                    "created_at",
                    "category",
                    "subcategory",
                    "status",
                    "target_kind",
                    "driver_id",
                    "agent_id",
                    "order_id",
                    "responsible_driver_id",
                    "responsible_user_id",
                    "penalty_percent",
                ),
                own=True,
            ),
            ORDER_REGION_FEED,
        ),
    ),
    Rollup(
        SlaDay,
        "tickets_ticket o",
        "created_at",
        dims={
            "category": "o.category",
            "subcategory": "o.subcategory",
            "handler_id": "COALESCE(o.handler_id, 0)",
            "region_id": f"COALESCE({ORDER_REGION}, 0)",
        },
        measures={
            "tickets": "1",
            "met": flag("o.resolved_at <= o.due_at"),
            "breached_resolved": flag("o.resolved_at > o.due_at"),
            "unresolved": flag("o.resolved_at IS NULL"),
        },
        population="o.due_at IS NOT NULL",
        feeds=(
            Feed(
                "tickets_ticket",
                ("created_at", "category", "subcategory", "handler_id", "order_id", "due_at", "resolved_at"),
                own=True,
            ),
            ORDER_REGION_FEED,
        ),
    ),
    Rollup(
        DispatchDay,
        "dispatch_dispatch o",
        "dispatched_at",
        dims={
            "agent_code": "o.agent_code",
            "agent_id": "COALESCE(o.agent_id, 0)",
            "region_id": "COALESCE(o.region_id, 0)",
        },
        measures={"dispatches": "1", "missed": flag("o.missed")},
        population="o.dispatched_at IS NOT NULL",
        feeds=(
            Feed("dispatch_dispatch", ("dispatched_at", "agent_code", "agent_id", "region_id", "missed"), own=True),
        ),
    ),
)


# --- SQL --------------------------------------------------------------------------------------------------------
def day_offset() -> timedelta:
    """The UTC offset the SQLite triggers file days under (the zone's offset now; ``summaries.usable`` checks it)."""
    return datetime.now(TZ).utcoffset()


def local_day(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"(o.{column} AT TIME ZONE '{settings.TIME_ZONE}')::date"
    minutes = int(day_offset().total_seconds() // 60)
    return f"date(substr(o.{column}, 1, 19), '{minutes:+d} minutes')"


# PostgreSQL: the advisory lock class of the summaries' day locks (the day is the lock's second key)
DAY_LOCK = 0x524F4C4C


def day_locks_sql(rollup: Rollup, match: str) -> str:
    """PostgreSQL: take the transaction's lock of every local day whose summary rows the statement will touch,
    in day order, before touching any. Without it two transactions moving figures between the same rows in
    opposite order (an order placed for driver A, another reassigned from B to A — and the other way round)
    each hold a row the other needs: a deadlock. With it the writers of one day queue; SQLite has one writer."""
    day = local_day("postgresql", rollup.day_column)
    return (
        f"PERFORM pg_advisory_xact_lock({DAY_LOCK}, d) FROM (SELECT DISTINCT {day} - DATE '2000-01-01' AS d "
        f"FROM {rollup.source} WHERE ({match}) AND ({rollup.population}) ORDER BY 1) days; "
    )


def apply_sql(rollup: Rollup, vendor: str, sign: int, match: str) -> str:
    """Add (``sign`` 1) or subtract (-1) the contribution of the source rows ``match`` selects."""
    dims = {"day": local_day(vendor, rollup.day_column), **rollup.dims}
    names = [*dims, *rollup.measures]
    sums = [f"{sign} * SUM({expr})" for expr in rollup.measures.values()]
    group = ", ".join(str(i) for i in range(1, len(dims) + 1))
    updates = ", ".join(f"{m} = {rollup.table}.{m} + excluded.{m}" for m in rollup.measures)
    return (
        f"INSERT INTO {rollup.table} ({', '.join(names)}) "
        f"SELECT {', '.join([*dims.values(), *sums])} FROM {rollup.source} "
        f"WHERE ({match}) AND ({rollup.population}) GROUP BY {group} "
        f"ON CONFLICT ({', '.join(dims)}) DO UPDATE SET {updates}"
    )


@dataclass(frozen=True)
class Trigger:
    name: str
    table: str
    timing: str  # BEFORE | AFTER
    event: str  # INSERT | UPDATE | DELETE
    columns: tuple[str, ...]
    when: str
    body: str


def _changed(vendor: str, columns) -> str:
    op = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"OLD.{c} {op} NEW.{c}" for c in columns)


def feed_triggers(rollup: Rollup, feed: Feed, vendor: str) -> list[Trigger]:
    """BEFORE a write subtract the affected source rows' contribution, AFTER it add it again. An insert into the
    source table itself has nothing to subtract, a delete from it nothing to add."""
    base = f"{PREFIX}{rollup.model._meta.model_name}_{feed.table}"
    out = []

    def add(timing, event, rows, when):
        keys = ", ".join(f"{row}.{feed.key}" for row in rows)
        row_when = " OR ".join(f"({feed.when.format(row=r)})" for r in rows) if feed.when else ""
        conditions = [c for c in (when, row_when) if c]
        sign = -1 if timing == "BEFORE" else 1
        match = f"{feed.source_key} IN ({keys})"
        body = apply_sql(rollup, vendor, sign, match)
        if vendor == "postgresql":
            body = day_locks_sql(rollup, match) + body
        name = f"{base}_{event[0].lower()}{timing[0].lower()}"
        columns = feed.columns if event == "UPDATE" else ()
        out.append(Trigger(name, feed.table, timing, event, columns, " AND ".join(f"({c})" for c in conditions), body))

    changed = f"{_changed(vendor, feed.columns)}"
    add("BEFORE", "UPDATE", ("OLD", "NEW"), changed)
    add("AFTER", "UPDATE", ("OLD", "NEW"), changed)
    if feed.inserts:
        if not feed.own:
            add("BEFORE", "INSERT", ("NEW",), "")
            add("AFTER", "DELETE", ("OLD",), "")
        add("AFTER", "INSERT", ("NEW",), "")
        add("BEFORE", "DELETE", ("OLD",), "")
    return out


def triggers(vendor: str) -> list[Trigger]:
    return [t for rollup in ROLLUPS for feed in rollup.feeds for t in feed_triggers(rollup, feed, vendor)]


def create_sql(trigger: Trigger, vendor: str) -> list[str]:
    of = f" OF {', '.join(trigger.columns)}" if trigger.columns else ""
    head = f"{trigger.timing} {trigger.event}{of} ON {trigger.table} FOR EACH ROW"
    if vendor == "postgresql":
        result = "OLD" if trigger.event == "DELETE" else "NEW"
        when = f" WHEN ({trigger.when})" if trigger.when else ""
        return [
            f"CREATE FUNCTION {trigger.name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {trigger.body}; "
            f"RETURN {result}; END $$",
            f"CREATE TRIGGER {trigger.name} {head}{when} EXECUTE FUNCTION {trigger.name}()",
        ]
    when = f" WHEN {trigger.when}" if trigger.when else ""
    return [f"CREATE TRIGGER {trigger.name} {head}{when} BEGIN {trigger.body}; END"]


def install_triggers(using: str = "default") -> int:
    """Replace every summary trigger of the database with the current definitions; returns how many."""
    connection = connections[using]
    vendor = connection.vendor
    wanted = triggers(vendor)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in drop_sql(cursor, vendor):
            cursor.execute(statement)
        for trigger in wanted:
            for statement in create_sql(trigger, vendor):
                cursor.execute(statement)
    return len(wanted)


def drop_triggers(using: str = "default") -> None:
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in drop_sql(cursor, connection.vendor):
            cursor.execute(statement)


def tables_exist(using: str = "default") -> bool:
    names = set(connections[using].introspection.table_names())
    return all(r.table in names for r in ROLLUPS)


def drop_sql(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE %s", [f"{PREFIX}%"])
        return [f"DROP FUNCTION IF EXISTS {name}() CASCADE" for (name,) in cursor.fetchall()]
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{PREFIX}%"])
    return [f"DROP TRIGGER IF EXISTS {name}" for (name,) in cursor.fetchall()]
