"""Local day and month of a timestamp, computed by the database's own functions.

Django's ``TruncDate``/``TruncMonth`` with a time zone are native SQL on PostgreSQL
(``(col AT TIME ZONE 'Asia/Shanghai')::date``, ``DATE_TRUNC('month', col AT TIME ZONE …)``), but on
SQLite they call Python functions that Django registers on the connection (``django_datetime_cast_date``,
``django_date_trunc``): one Python call per row, which made a year's report take tens of seconds.

On SQLite, SQLite's builtin ``date()`` does the same arithmetic when the zone's offset from UTC does not
change inside the report's period: ``date(substr(col, 1, 19), '+480 minutes')`` is the local date in
Asia/Shanghai (UTC+8 all year, no daylight saving time). ``substr`` keeps whole seconds of Django's
``YYYY-MM-DD HH:MM:SS.ffffff`` text: SQLite rounds fractions to milliseconds, so 23:59:59.9999995 would
otherwise become the next day. The offset is read from ``settings.TIME_ZONE``
(``core.worktime.TZ``) for the period at query time, one sample per day from the period's start to its
end; if it changes (a zone with daylight saving time), the Django function is used, so the result is
always the same as ``TruncDate``/``TruncMonth`` with ``tzinfo``, only faster.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import DateField
from django.db.models.functions import TruncDate, TruncMonth

from freightdesk.core.worktime import TZ


def fixed_offset(start: datetime, end: datetime, tz=TZ) -> timedelta | None:
    """The zone's UTC offset if it is the same at every day between ``start`` and ``end`` (inclusive of both
    ends), else None."""
    offset = start.astimezone(tz).utcoffset()
    moment = start
    while moment < end:
        moment = min(moment + timedelta(days=1), end)
        if moment.astimezone(tz).utcoffset() != offset:
            return None
    return offset


def _modifier(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    return f"{minutes:+d} minutes"


class LocalDate(TruncDate):
    """``TruncDate(field, tzinfo=TZ)``; on SQLite ``date(field, '+480 minutes')`` when the offset is fixed."""

    def __init__(self, expression, *, start: datetime, end: datetime, tzinfo=TZ, **extra):
        self.offset = fixed_offset(start, end, tzinfo)
        super().__init__(expression, tzinfo=tzinfo, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        if self.offset is None:
            return self.as_sql(compiler, connection)
        sql, params = compiler.compile(self.lhs)
        return f"date(substr({sql}, 1, 19), %s)", (*params, _modifier(self.offset))


class LocalMonth(TruncMonth):
    """``TruncMonth(field, tzinfo=TZ)`` as a date (the 1st); on SQLite
    ``date(field, '+480 minutes', 'start of month')`` when the offset is fixed."""

    def __init__(self, expression, *, start: datetime, end: datetime, tzinfo=TZ, **extra):
        self.offset = fixed_offset(start, end, tzinfo)
        super().__init__(expression, tzinfo=tzinfo, output_field=DateField(), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        if self.offset is None:
            return self.as_sql(compiler, connection)
        sql, params = compiler.compile(self.lhs)
        return f"date(substr({sql}, 1, 19), %s, 'start of month')", (*params, _modifier(self.offset))
