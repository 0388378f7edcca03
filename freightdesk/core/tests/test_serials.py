"""Order serials: `yymmdd` + a daily 3-digit sequence (SPEC §6: 110310221), unique under concurrent saves."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from freightdesk.core.models import SerialCounter
from freightdesk.core.serials import next_order_serial
from freightdesk.core.tests.concurrency import at_once

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_serial_is_local_date_and_a_three_digit_sequence():
    at = datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI)
    assert [next_order_serial(at) for _ in range(3)] == ["261123001", "261123002", "261123003"]


@pytest.mark.django_db
def test_sequence_restarts_at_local_midnight_not_utc_midnight():
    before_midnight = datetime(2026, 11, 23, 23, 59, tzinfo=SHANGHAI)  # 15:59 UTC
    after_midnight = datetime(2026, 11, 24, 0, 1, tzinfo=SHANGHAI)  # 16:01 UTC, still the 23rd in UTC
    assert next_order_serial(before_midnight) == "261123001"
    assert next_order_serial(before_midnight) == "261123002"
    assert next_order_serial(after_midnight) == "261124001"
    assert next_order_serial(before_midnight) == "261123003"


@pytest.mark.django_db
def test_a_utc_timestamp_is_dated_in_shanghai():
    assert next_order_serial(datetime(2026, 11, 23, 16, 1, tzinfo=UTC)) == "261124001"


@pytest.mark.django_db
def test_serial_without_a_time_uses_the_current_shanghai_date():
    with time_machine.travel(datetime(2026, 11, 23, 0, 30, tzinfo=SHANGHAI), tick=False):
        assert next_order_serial() == "261123001"


@pytest.mark.django_db
def test_after_999_orders_in_a_day_the_sequence_widens_instead_of_repeating():
    SerialCounter.objects.create(scope="order", period="261123", value=998)
    at = datetime(2026, 11, 23, 12, 0, tzinfo=SHANGHAI)
    assert [next_order_serial(at) for _ in range(2)] == ["261123999", "2611231000"]


@pytest.mark.django_db
def test_a_rolled_back_save_does_not_consume_its_serial():
    at = datetime(2026, 11, 23, 12, 0, tzinfo=SHANGHAI)
    assert next_order_serial(at) == "261123001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_order_serial(at) == "261123002"
        raise RuntimeError("save failed")
    assert next_order_serial(at) == "261123002"


THREADS = 8
PER_THREAD = 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_never_get_the_same_serial():
    at = datetime(2026, 11, 23, 12, 0, tzinfo=SHANGHAI)

    def take_orders():
        serials = []
        for _ in range(PER_THREAD):
            with transaction.atomic():
                serials.append(next_order_serial(at))
        return serials

    serials = [serial for batch in at_once(take_orders, times=THREADS) for serial in batch]
    assert len(serials) == THREADS * PER_THREAD
    assert len(set(serials)) == len(serials)
    assert sorted(serials) == [f"261123{n:03d}" for n in range(1, THREADS * PER_THREAD + 1)]
