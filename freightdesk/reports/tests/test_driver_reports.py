"""Per-driver figures charge the right person (SPEC §9, §12; the monthly driver report): an order counts for the
driver who picks it up (``Order.driver``: assigned last, else the region's driver it was dispatched to); a
complaint counts for a driver only when its target (投诉对象) is that driver; complaints about agents or the
company and suggestions have their own columns; penalties count for the person charged.

Hand-computed, period 2025-10-09, now 2025-10-09 18:00 (north: driver 刘师傅, south: 南区司机):
- N1 north, dispatched to 刘师傅, reassigned to 王师傅 then to 张师傅 (the last assignment stands), picked up
  10:20 (due 10:30): on time for 张师傅.
- N2 north, 刘师傅, picked up 11:50 (due 11:30): late for 刘师傅.
- W1 web order submitted 13:00, confirmed 13:40 (due 14:10), 刘师傅, picked up 14:05: on time (late by the
  order time).
- Tickets: T1 complaint about 张师傅 (transit_time), valid, penalty 20 % charged to 张师傅; T2 complaint about an
  agent (8011, attitude), valid, penalty 10 % charged to 8011; T3 complaint about an agent, dismissed; T4 a
  suggestion; T5 complaint about the company (fees), valid; T6 complaint about 刘师傅, not judged yet.
"""

from datetime import date

import pytest

from freightdesk.dispatch.models import Assignment
from freightdesk.network.models import Driver, Region
from freightdesk.reports.catalog import REPORTS
from freightdesk.reports.params import ReportParams
from freightdesk.reports.queries import complaints, pickup_on_time
from freightdesk.tickets.models import Ticket

from .conftest import at

PARAMS = ReportParams(date(2025, 10, 9), date(2025, 10, 9), "driver", None)
PERIOD = PARAMS.period
NOW = at("2025-10-09 18:00")


@pytest.fixture
def day(make_order, user_for):
    north = Region.objects.get(code="north")
    liu = north.driver
    wang = Driver.objects.create(name="王师傅", phone="+8613900003333", home_region=north)
    zhang = Driver.objects.create(name="张师傅", phone="+8613900004444", home_region=north)
    fleet, agent = user_for("fleet_manager"), user_for("agent")
    n1 = make_order("2025-10-09 10:00", picked="2025-10-09 10:20")
    for driver, start, end in [(wang, "10:02", "10:05"), (zhang, "10:05", None)]:
        Assignment.objects.create(
            order=n1, driver=driver, by=fleet, at=at(f"2025-10-09 {start}"), ended_at=end and at(f"2025-10-09 {end}")
        )
    n1.driver = zhang  # what the assignment service stores: the last assigned driver picks up
    n1.save(update_fields=["driver"])
    make_order("2025-10-09 11:00", picked="2025-10-09 11:50")
    make_order("2025-10-09 13:00", channel="web", confirmed="2025-10-09 13:40", picked="2025-10-09 14:05")
    tickets = [
        ("complaint", "transit_time", "validated", "driver", zhang, None, {"penalty_percent": 20}, zhang, None),
        ("complaint", "attitude", "resolved", "agent", liu, agent, {"penalty_percent": 10}, None, agent),
        ("complaint", "attitude", "dismissed", "agent", liu, agent, {}, None, None),
        ("suggestion", "general", "recorded", "", liu, None, {}, None, None),
        ("complaint", "fees", "assigned", "company", liu, agent, {}, None, None),
        ("complaint", "transit_time", "recorded", "driver", liu, None, {}, None, None),
    ]
    for n, (category, sub, status, kind, driver, who, extra, charged_driver, charged_user) in enumerate(tickets):
        Ticket.objects.create(
            number=f"T{n + 1}",
            channel="phone",
            category=category,
            subcategory=sub,
            status=status,
            target_kind=kind,
            driver=driver,
            agent=who,
            responsible_driver=charged_driver,
            responsible_user=charged_user,
            description="x",
            owner_group="agent",
            created_at=at("2025-10-09 15:00"),
            **extra,
        )
    return {"liu": liu, "wang": wang, "zhang": zhang}


def _by_label(rows):
    return {row["label"]: row for row in rows}


def test_an_order_counts_for_the_driver_who_picks_it_up(day):
    rows = _by_label(pickup_on_time(period=PERIOD, group_by="driver", now=NOW))
    assert set(rows) == {"刘师傅", "张师傅"}  # 王师傅 was reassigned away: nothing for him
    assert (rows["张师傅"]["orders"], rows["张师傅"]["on_time"], rows["张师傅"]["late"]) == (1, 1, 0)
    # N2 late, W1 on time: its clock ran from the confirmation 40 minutes after the order
    assert (rows["刘师傅"]["orders"], rows["刘师傅"]["on_time"], rows["刘师傅"]["late"]) == (2, 1, 1)
    assert rows["刘师傅"]["rate"] == 0.5


def test_complaints_count_for_a_driver_only_when_they_are_about_him(day):
    rows = {row["key"]: row for row in complaints(period=PERIOD, group_by="driver")}
    zhang, liu, nobody = rows[day["zhang"].code], rows[day["liu"].code], rows[None]
    assert (zhang["complaints"], zhang["valid"], zhang["about_driver"]) == (1, 1, 1)
    assert (zhang["penalties"], zhang["penalty_percent"]) == (1, 20)
    assert (liu["complaints"], liu["valid"], liu["pending"], liu["penalties"]) == (1, 0, 1, 0)
    # about an agent (one valid, one dismissed), about the company, a suggestion: none charged to a driver
    assert (nobody["complaints"], nobody["valid"], nobody["dismissed"]) == (3, 2, 1)
    assert (nobody["about_agent"], nobody["about_company"], nobody["suggestions"]) == (1, 1, 1)
    assert (nobody["about_driver"], nobody["penalties"]) == (0, 0)
    assert day["wang"].code not in rows


def test_complaints_per_agent_and_the_agents_penalty(day):
    rows = {row["key"]: row for row in complaints(period=PERIOD, group_by="agent")}
    mine = rows["8011"]
    assert (mine["complaints"], mine["valid"], mine["dismissed"], mine["about_agent"]) == (2, 1, 1, 1)
    assert (mine["penalties"], mine["penalty_percent"], mine["label"]) == (1, 10, "张丽")


def test_the_totals_by_month_split_valid_complaints_by_whom_they_are_about(day):
    [month] = complaints(period=PERIOD, group_by="month")
    assert (month["complaints"], month["valid"], month["dismissed"], month["pending"]) == (5, 3, 1, 1)
    assert (month["about_driver"], month["about_agent"], month["about_company"]) == (1, 1, 1)
    assert (month["suggestions"], month["penalties"], month["penalty_percent"]) == (1, 2, 30)


def test_the_monthly_driver_sheet_has_the_new_columns_with_totals(day):
    report = REPORTS["complaints"]
    rows = report.named_rows(PARAMS)
    totals = report.totals(rows)
    assert (totals["valid"], totals["about_agent"], totals["suggestions"]) == (3, 1, 1)
    # per driver, the penalties charged to drivers: 张师傅's 20 %, not the agent's 10 %
    assert (totals["penalties"], totals["penalty_percent"]) == (1, 20)
