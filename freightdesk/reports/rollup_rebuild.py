"""Summaries rebuilt from the raw rows (``manage.py rebuild_rollups``, and after ``migrate`` or ``flush``): the
local days asked for, month by month, each in one transaction; the triggers of ``rollups.py`` keep them exact
between rebuilds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db import connections, transaction
from django.db.migrations.operations import CreateModel, RunPython, RunSQL

from freightdesk.core.worktime import TZ

from .rollups import ROLLUPS, Rollup, apply_sql, drop_triggers, install_triggers, tables_exist

SOURCE_APPS = {"orders", "tickets", "dispatch", "tracking", "reports"}


def after_migrate(using: str, plan) -> None:
    """After ``migrate`` (or ``flush``: no plan): the triggers installed again, and the summaries rebuilt when
    migrations may have written the rows they count (data migrations, a new summary table) — every day — or else
    for the last two days, which holds what was written while the migrations ran without triggers."""
    if not tables_exist(using):
        drop_triggers(using)
        return
    install_triggers(using)
    writes = plan is None or any(
        migration.app_label in SOURCE_APPS and isinstance(op, RunPython | RunSQL | CreateModel)
        for migration, _backwards in plan
        for op in migration.operations
    )
    if writes:
        rebuild_all(using=using)
    elif plan:
        today = datetime.now(TZ).date()
        rebuild_all(today - timedelta(days=1), today, using=using)


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(0), TZ)


def rebuild(rollup: Rollup, first: date, last: date, using: str = "default") -> int:
    """Recompute the summary rows of the local days ``first``..``last`` (inclusive) from the raw rows, in one
    transaction (on PostgreSQL the summary table locked against the triggers meanwhile). Returns the source rows
    counted."""
    connection = connections[using]
    ops = connection.ops
    start, end = _instant(first), _instant(last + timedelta(days=1))
    column = f"o.{rollup.day_column}"
    insert = apply_sql(rollup, connection.vendor, 1, f"{column} >= %s AND {column} < %s")
    first_measure = next(iter(rollup.measures))
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {rollup.table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            f"DELETE FROM {rollup.table} WHERE day >= %s AND day <= %s",
            [ops.adapt_datefield_value(first), ops.adapt_datefield_value(last)],
        )
        cursor.execute(insert, [ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end)])
        cursor.execute(
            f"SELECT COALESCE(SUM({first_measure}), 0) FROM {rollup.table} WHERE day >= %s AND day <= %s",
            [ops.adapt_datefield_value(first), ops.adapt_datefield_value(last)],
        )
        return int(cursor.fetchone()[0])


def source_days(rollup: Rollup, using: str = "default") -> tuple[date, date] | None:
    """The first and last local day that has source rows (None: none)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        table = rollup.source_table
        cursor.execute(f"SELECT MIN({rollup.day_column}), MAX({rollup.day_column}) FROM {table}")
        low, high = cursor.fetchone()
    if low is None:
        return None
    low, high = (_as_datetime(connection, v) for v in (low, high))
    return low.astimezone(TZ).date(), high.astimezone(TZ).date()


def _as_datetime(connection, value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite: naive UTC text


def month_chunks(first: date, last: date):
    """``first``..``last`` cut at month ends, so no rebuild transaction holds the write lock for long."""
    while first <= last:
        month_end = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        yield first, min(month_end, last)
        first = month_end + timedelta(days=1)


def rebuild_all(first: date | None = None, last: date | None = None, using: str = "default", log=None) -> dict:
    """Rebuild every summary table for ``first``..``last`` (default: every day that has rows, and the summary
    rows outside it dropped), month by month. Returns the source rows counted per table."""
    counted = {}
    for rollup in ROLLUPS:
        days = (first, last) if first and last else source_days(rollup, using)
        if not (first and last):
            rollup.model.objects.using(using).all().delete() if days is None else _drop_outside(rollup, *days, using)
        total = 0
        for low, high in month_chunks(*days) if days else ():
            total += rebuild(rollup, low, high, using)
        counted[rollup.table] = total
        if log:
            log(f"{rollup.table}: {total:,} rows")
    return counted


def _drop_outside(rollup: Rollup, first: date, last: date, using: str) -> None:
    rollup.model.objects.using(using).exclude(day__gte=first, day__lte=last).delete()
