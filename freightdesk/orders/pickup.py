"""The pickup clock (及时提货, SPEC §7/§12): when an order must be picked up by, decided once.

The clock starts when the final order information goes out (seed 000: 下单时间以最终下单信息发出时间为准): a
phone order when the agent takes it, a web or chat order when its review confirms it — both the moment the
order is confirmed (``Order.confirmed_at``). Intake and review store the result on ``Order.pickup_due_at``;
the pickup check, the due-now board and the reports read it and never compute their own.
"""

from datetime import datetime

from django.db import connection

from freightdesk.core.worktime import deadline_for


def pickup_due(*, confirmed_at: datetime) -> datetime:
    """30 working minutes (the ``pickup`` deadline policy) from the confirmation: SPEC §7 "in working hours a
    vehicle is arranged within 30 minutes of the order"; the clock stops outside working hours."""
    return deadline_for("pickup", confirmed_at)


def backfill_pickup_due(order_model, *, batch: int = 5000) -> int:
    """Store the pickup clock of confirmed orders that have none (orders from before it was stored): from
    their confirmation, else (older rows without one) from the order time. Called by orders' migration 0007
    with its historical model; one UPDATE per row by primary key (``executemany``). Returns the rows written."""
    pending = order_model.objects.filter(pickup_due_at__isnull=True).exclude(status__in=("submitted", "problem"))
    rows = pending.order_by("pk").values_list("pk", "confirmed_at", "created_at")
    table = connection.ops.quote_name(order_model._meta.db_table)
    sql = f"UPDATE {table} SET pickup_due_at = %s WHERE id = %s"
    written, changed = 0, []
    for pk, confirmed_at, created_at in rows.iterator(chunk_size=batch):
        due = pickup_due(confirmed_at=confirmed_at or created_at)
        changed.append((connection.ops.adapt_datetimefield_value(due), pk))
        if len(changed) >= batch:
            written += _write(sql, changed)
    return written + _write(sql, changed)


def _write(sql: str, changed: list) -> int:
    if changed:
        with connection.cursor() as cursor:
            cursor.executemany(sql, changed)
    count = len(changed)
    changed.clear()
    return count
