"""The board's reviews and dispatches past due, and whose rows a board shows: each read from the orders app's
partial index of pending orders (``order_review_pending``, ``order_dispatch_pending``) — the rows in due order and
their capped count alike, so neither ever walks the order table, however few or many are overdue."""

from dataclasses import dataclass

from django.db import DatabaseError, connection
from django.db.models import Q

from freightdesk.orders.models import Order, Status

# kind -> (partial index, due column, the statuses of the index's condition, the row's page)
OVERDUE_ORDERS = {
    "review": ("order_review_pending", "review_due_at", (Status.SUBMITTED, Status.PROBLEM), "orders:detail"),
    "dispatch": ("order_dispatch_pending", "dispatch_due_at", (Status.CONFIRMED,), "dispatch:order"),
}
ROW_COLUMNS = ("serial", "pickup_address", "delivery_address", "agent_id")


@dataclass(frozen=True)
class Scope:
    """Whose rows: ``agent`` None is everyone's; else that agent's, and with ``unowned`` the rows nobody owns."""

    agent: str | None = None
    unowned: bool = True

    @property
    def sees_unowned(self) -> bool:
        return self.agent is None or self.unowned

    def q(self, field: str) -> Q:
        """The rows whose owner (an agent id reached through ``field``) is in scope."""
        if self.agent is None:
            return Q()
        mine = Q(**{field: self.agent})
        return mine | Q(**{field: ""}) | Q(**{f"{field}__isnull": True}) if self.unowned else mine

    def sql(self, column: str) -> tuple[str, list]:
        if self.agent is None:
            return "", []
        if self.unowned:
            return f" AND ({column} = %s OR {column} = '')", [self.agent]
        return f" AND {column} = %s", [self.agent]


EVERYONE = Scope()


def overdue_qs(kind: str, now, scope: Scope = EVERYONE):
    """The ORM form (PostgreSQL, and SQLite's fallback): psycopg sends the statuses inline, so PostgreSQL sees
    the partial index's condition."""
    _index, due_field, statuses, _url = OVERDUE_ORDERS[kind]
    qs = Order.objects.filter(status__in=list(statuses), **{f"{due_field}__lt": now})
    if kind == "review":  # a review waits for whoever takes it: nobody's
        return qs if scope.sees_unowned else qs.none()
    return qs.filter(scope.q("agent_id"))


def _sqlite_pending(kind: str, now, scope: Scope, select: str) -> tuple[str, list]:
    """SELECT ``select`` FROM the kind's partial index, overdue and in scope, in due order.

    SQLite's planner picks the (status, created) index or scans a covering one, then sorts every match; the
    partial index is already in due order, so name it. The WHERE repeats the index's condition with the statuses
    as literals (our own constants): SQLite uses a partial index only when it can see at prepare time that the
    query implies the index's condition, which a bound parameter hides."""
    index, due_field, statuses, _url = OVERDUE_ORDERS[kind]
    owner, owner_params = scope.sql("agent_id") if kind == "dispatch" else ("", [])
    literals = [f"'{s.value}'" for s in statuses]
    where = f"status = {literals[0]}" if len(literals) == 1 else f"status IN ({', '.join(literals)})"
    sql = (
        f"SELECT {select} FROM orders_order INDEXED BY {index} "
        f"WHERE {where} AND {due_field} < %s{owner} ORDER BY {due_field}, id LIMIT %s"
    )
    return sql, [connection.ops.adapt_datetimefield_value(now), *owner_params]


def overdue_rows(kind: str, now, scope: Scope, limit: int) -> list[tuple]:
    """(serial, due, pickup address, delivery address, agent id) of the ``limit`` longest overdue."""
    _index, due_field, _statuses, _url = OVERDUE_ORDERS[kind]
    if kind == "review" and not scope.sees_unowned:
        return []
    if connection.vendor == "sqlite":
        sql, params = _sqlite_pending(
            kind, now, scope, f"serial, {due_field}, pickup_address, delivery_address, agent_id"
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, [*params, limit])
                rows = cursor.fetchall()
            field = Order._meta.get_field(due_field)
            convert = connection.ops.get_db_converters(field.get_col(Order._meta.db_table))
            return [(serial, _converted(due, convert, field), *rest) for serial, due, *rest in rows]
        except DatabaseError:  # the index was renamed: fall back to the plain query
            pass
    return list(
        overdue_qs(kind, now, scope)
        .order_by(due_field, "id")
        .values_list("serial", due_field, "pickup_address", "delivery_address", "agent_id")[:limit]
    )


def overdue_count(kind: str, now, scope: Scope, cap: int) -> int:
    """How many are overdue, up to ``cap`` + 1: a walk of the partial index that stops at the cap."""
    if kind == "review" and not scope.sees_unowned:
        return 0
    if connection.vendor == "sqlite":
        sql, params = _sqlite_pending(kind, now, scope, "1")
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM ({sql})", [*params, cap + 1])
                return cursor.fetchone()[0]
        except DatabaseError:  # the index was renamed: fall back to the plain query
            pass
    return overdue_qs(kind, now, scope).order_by()[: cap + 1].count()


def _converted(value, converters, field):
    for converter in converters:
        value = converter(value, field, connection)
    return value
