"""Serials: `yymmdd` + a daily sequence (SPEC §6: 110310221 = 11-03-10, no. 221).

The counter row is bumped with a single UPDATE … RETURNING inside the caller's transaction, so on
PostgreSQL the row lock serialises concurrent saves, and on SQLite the IMMEDIATE
transaction does; a missing row is created under a savepoint and a lost insert race
falls back to the UPDATE. Gaps are possible (a rolled-back save), duplicates are not.
"""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import SerialCounter

SEQUENCE_WIDTH = 3


def _bump(scope: str, period: str) -> int | None:
    """The counter's next value, in one statement (UPDATE … RETURNING: SQLite ≥ 3.35 and PostgreSQL)."""
    table = connection.ops.quote_name(SerialCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET value = value + 1 WHERE scope = %s AND period = %s RETURNING value", [scope, period]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def next_sequence(scope: str, period: str) -> int:
    with transaction.atomic(savepoint=False):
        value = _bump(scope, period)
        if value is None:
            try:
                with transaction.atomic():
                    SerialCounter.objects.create(scope=scope, period=period, value=1)
                    return 1
            except IntegrityError:
                value = _bump(scope, period)
        return value


def next_order_serial(at: datetime | None = None) -> str:
    local = timezone.localtime(at or timezone.now())
    period = local.strftime("%y%m%d")
    return f"{period}{next_sequence('order', period):0{SEQUENCE_WIDTH}d}"
