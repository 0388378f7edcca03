"""The local day and month of a timestamp computed in SQL (reports/sql.py) equal Django's TruncDate/TruncMonth
with the time zone, at the midnight boundaries, and fall back to Django's function for a zone with daylight
saving time."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import DateField
from django.db.models.functions import TruncDate, TruncMonth
from django.test.utils import CaptureQueriesContext

from freightdesk.core.worktime import TZ
from freightdesk.orders.models import Enquiry
from freightdesk.reports.sql import LocalDate, LocalMonth, fixed_offset

from .conftest import at

BERLIN = ZoneInfo("Europe/Berlin")
# Local Asia/Shanghai times either side of midnight and of the first of a month (UTC 16:00 the day before).
MOMENTS = [
    "2025-09-30 23:59:59",
    "2025-10-01 00:00:00",
    "2025-10-01 07:59:59",
    "2025-10-01 08:00:00",
    "2025-10-31 23:59:59.999999",
    "2025-11-01 00:00:01",
    "2025-12-31 23:30",
    "2026-01-01 00:30",
]


@pytest.fixture
def enquiries(db):
    return [Enquiry.objects.create(at=at(m), channel="phone", outcome="quote_only") for m in MOMENTS]


def _keys(expression):
    return list(Enquiry.objects.annotate(key=expression).order_by("at").values_list("key", flat=True))


def test_local_date_and_month_equal_djangos_trunc_at_the_boundaries(enquiries):
    start, end = at("2025-09-01 00:00"), at("2026-02-01 00:00")
    days = _keys(LocalDate("at", start=start, end=end))
    months = _keys(LocalMonth("at", start=start, end=end))
    assert days == _keys(TruncDate("at", tzinfo=TZ))
    assert months == _keys(TruncMonth("at", tzinfo=TZ, output_field=DateField()))
    assert days[:4] == [date(2025, 9, 30), date(2025, 10, 1), date(2025, 10, 1), date(2025, 10, 1)]
    assert months[4:6] == [date(2025, 10, 1), date(2025, 11, 1)]
    assert months[6:] == [date(2025, 12, 1), date(2026, 1, 1)]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the builtin-function path is SQLite's")
def test_sqlite_uses_its_builtin_date_function_not_a_python_one(enquiries):
    start, end = at("2025-09-01 00:00"), at("2026-02-01 00:00")
    with CaptureQueriesContext(connection) as queries:
        _keys(LocalMonth("at", start=start, end=end))
    assert "'start of month'" in queries[0]["sql"] and "django_" not in queries[0]["sql"]


def test_offset_is_fixed_in_shanghai_and_not_across_a_daylight_saving_change():
    assert fixed_offset(at("2023-01-01 00:00"), at("2026-01-01 00:00")) == timedelta(hours=8)
    summer = datetime(2025, 6, 1, tzinfo=BERLIN), datetime(2025, 9, 1, tzinfo=BERLIN)
    assert fixed_offset(*summer, BERLIN) == timedelta(hours=2)
    assert fixed_offset(datetime(2025, 3, 1, tzinfo=BERLIN), datetime(2025, 4, 1, tzinfo=BERLIN), BERLIN) is None


def test_a_zone_with_daylight_saving_time_gets_the_same_days_as_django(db):
    # 22:30 UTC on the evenings either side of the change of 2025-03-30: Berlin 23:30 (CET), then 00:30 (CEST).
    for moment in ["2025-03-29 22:30", "2025-03-30 22:30"]:
        Enquiry.objects.create(at=datetime.fromisoformat(moment + "+00:00"), channel="phone", outcome="quote_only")
    start, end = datetime(2025, 3, 1, tzinfo=BERLIN), datetime(2025, 4, 1, tzinfo=BERLIN)
    local = LocalDate("at", start=start, end=end, tzinfo=BERLIN)
    assert local.offset is None
    assert _keys(local) == _keys(TruncDate("at", tzinfo=BERLIN)) == [date(2025, 3, 29), date(2025, 3, 31)]
