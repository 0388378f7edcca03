"""Serials: `yymmdd` + a daily sequence (SPEC §6: 110310221 = 11-03-10, no. 221).

The counter row is bumped with a single UPDATE inside the caller's transaction, so on
PostgreSQL the row lock serialises concurrent saves, and on SQLite the IMMEDIATE
transaction does; a missing row is created under a savepoint and a lost insert race
falls back to the UPDATE. Gaps are possible (a rolled-back save), duplicates are not.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import SerialCounter

SEQUENCE_WIDTH = 3


def next_sequence(scope: str, period: str) -> int:
    counters = SerialCounter.objects.filter(scope=scope, period=period)
    with transaction.atomic():
        if not counters.update(value=F("value") + 1):
            try:
                with transaction.atomic():
                    SerialCounter.objects.create(scope=scope, period=period, value=1)
                    return 1
            except IntegrityError:
                counters.update(value=F("value") + 1)
        return counters.values_list("value", flat=True).get()


def next_order_serial(at: datetime | None = None) -> str:
    local = timezone.localtime(at or timezone.now())
    period = local.strftime("%y%m%d")
    return f"{period}{next_sequence('order', period):0{SEQUENCE_WIDTH}d}"
