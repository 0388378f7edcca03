"""On-time pickup (SPEC §7/§12): picked up by the order's pickup deadline, 30 working minutes from its
confirmation (a phone order: when taken)."""

from datetime import date

import pytest

from freightdesk.reports.params import ReportParams
from freightdesk.reports.queries import pickup_on_time

from .conftest import at

PERIOD = ReportParams(date(2025, 9, 29), date(2025, 10, 10), "region", None).period
NOW = at("2025-10-10 09:10")


def _by_key(rows):
    return {row["key"]: row for row in rows}


@pytest.fixture
def recorded(pickup_fixture):
    return pickup_fixture


def test_deadline_is_30_working_minutes_from_the_confirmation_across_a_holiday(recorded):
    assert recorded["A"].pickup_due_at == at("2025-10-09 08:50")  # Oct 1–8 2025 is the National Day holiday
    assert recorded["B"].pickup_due_at == at("2025-09-29 10:30")


def test_rate_by_region_counts_late_unpicked_and_skips_void_pending_and_unknown(recorded):
    rows = _by_key(pickup_on_time(period=PERIOD, group_by="region", now=NOW))
    north, south = rows["north"], rows["south"]
    assert (north["orders"], north["on_time"], north["late"], north["pending"], north["unknown"]) == (3, 2, 1, 0, 0)
    assert north["rate"] == pytest.approx(0.6667)
    assert (south["orders"], south["on_time"], south["late"], south["pending"], south["unknown"]) == (3, 0, 1, 1, 1)
    assert south["rate"] == 0.0


def test_rate_by_driver_names_the_region_driver(recorded):
    rows = {row["label"]: row for row in pickup_on_time(period=PERIOD, group_by="driver", now=NOW)}
    assert rows["刘师傅"]["on_time"] == 2 and rows["刘师傅"]["late"] == 1
    assert rows["南区司机"]["late"] == 1


def test_rate_by_day_uses_the_local_order_day(recorded):
    rows = _by_key(pickup_on_time(period=PERIOD, group_by="day", now=NOW))
    assert rows[date(2025, 9, 29)]["orders"] == 4  # B, C, E, G (D is void)
    assert rows[date(2025, 9, 30)]["on_time"] == 1  # A
    assert rows[date(2025, 10, 10)]["pending"] == 1  # F


def test_pending_order_becomes_late_once_its_deadline_passes(recorded):
    later = at("2025-10-10 09:31")
    south = _by_key(pickup_on_time(period=PERIOD, group_by="region", now=later))["south"]
    assert (south["late"], south["pending"]) == (2, 0)


def test_an_agent_sees_only_the_orders_they_took(recorded, user_for):
    rows = pickup_on_time(period=PERIOD, group_by="region", now=NOW, scope=user_for("agent"))
    assert [(r["key"], r["orders"], r["on_time"]) for r in rows] == [("north", 2, 2)]


def test_region_filter(recorded):
    rows = pickup_on_time(period=PERIOD, group_by="driver", region="south", now=NOW)
    assert sum(r["orders"] for r in rows) == 3
