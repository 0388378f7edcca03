"""Weekly analysis of frequent problems (SPEC §10; seed 002 §二.6 "物流咨询占比30%"): counts per category and
sub-category, share, change against the previous week and the 4-week average, top regions, drivers and
repeated questions, on generated data with known answers."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from freightdesk.network.models import Driver, Region
from freightdesk.reports.weekly import weekly_analysis
from freightdesk.tickets.models import Ticket
from freightdesk.tracking.models import Query

from .conftest import at

pytestmark = pytest.mark.django_db

MONDAY = at("2026-11-30 00:00")  # the analysed week: Mon 30 Nov – Sun 6 Dec 2026
SERIALS = iter(range(1, 100_000))


@pytest.fixture
def add(make_order, user_for):
    agent = user_for("agent")
    orders = {code: make_order("2026-10-01 09:00", region=code) for code in ("north", "south", "east")}

    def ticket(when, category="inquiry", subcategory="logistics_query", region=None, driver=None, text="货到哪了"):
        return Ticket.objects.create(
            number=f"W{next(SERIALS):07d}",
            channel="phone",
            category=category,
            subcategory=subcategory,
            description=text,
            owner_group="agent",
            created_at=when,
            order=orders[region] if region else None,
            driver=driver,
        )

    def query(when, type="cargo_status", region="north", text=""):
        return Query.objects.create(
            order=orders[region], type=type, channel="phone", question=text, answer="已告知", at=when, by=agent
        )

    return ticket, query


def week(n: int, hours: int = 10):
    """A time in the week n weeks before the analysed one (Monday + hours)."""
    return MONDAY - timedelta(weeks=n) + timedelta(hours=hours)


@pytest.fixture
def five_weeks(add):
    ticket, query = add
    # this week: 3 logistics queries (tickets), 1 complaint, 6 queries on orders -> 10 requests
    for _ in range(3):
        ticket(week(0), region="north")
    ticket(week(0, hours=6 * 24 + 23), category="complaint", subcategory="attitude", driver=Driver.objects.first())
    for _ in range(6):
        query(week(0), region="south")
    # the previous week: 1 logistics ticket, 2 queries; the three before: 2, 3, 2 logistics tickets
    ticket(week(1))
    query(week(1))
    query(week(1))
    for n, count in ((2, 2), (3, 3), (4, 2)):
        for _ in range(count):
            ticket(week(n))
    ticket(week(5))  # six weeks back: in no figure
    ticket(MONDAY + timedelta(weeks=1))  # next Monday 00:00: not this week
    return add


def _row(analysis, key):
    return next(r for r in analysis.types if f"{r['category']}/{r['subcategory']}".rstrip("/") == key)


def test_share_and_change_against_the_previous_week_and_the_4_week_average(five_weeks):
    a = weekly_analysis(monday=MONDAY.date())
    logistics = _row(a, "inquiry/logistics_query")
    assert (logistics["count"], logistics["share"]) == (3, 0.3)  # 物流查询占比30%
    assert (logistics["previous"], logistics["change"], logistics["change_rate"]) == (1, 2, 2.0)
    assert logistics["average"] == 2.0  # (1 + 2 + 3 + 2) / 4
    assert logistics["average_change_rate"] == 0.5
    assert _row(a, "query/cargo_status")["share"] == 0.6
    assert _row(a, "complaint/attitude")["count"] == 1  # Sunday 23:00 is still this week
    assert a.totals["count"] == 10 and a.totals["previous"] == 3
    assert a.totals["average"] == 2.5  # (3 + 2 + 3 + 2) / 4


def test_categories_are_subtotals_in_order_of_frequency(five_weeks):
    a = weekly_analysis(monday=MONDAY.date() + timedelta(days=3))  # any day is its week
    categories = [r for r in a.types if r["level"] == "category"]
    assert [r["category"] for r in categories] == ["query", "inquiry", "complaint"]
    assert [r["count"] for r in categories] == [6, 3, 1]
    assert sum(r["share"] for r in categories) == pytest.approx(1.0)


def test_a_category_new_this_week_has_no_change_rate(five_weeks):
    complaint = _row(weekly_analysis(monday=MONDAY.date()), "complaint/attitude")
    assert complaint["previous"] == 0 and complaint["change_rate"] is None and complaint["average_change_rate"] is None


def test_top_regions_and_drivers(five_weeks):
    a = weekly_analysis(monday=MONDAY.date())
    assert [(r["label"], r["count"]) for r in a.regions] == [("南区", 6), ("北区", 3)]
    assert a.regions[0]["share"] == 0.6
    north = next(r for r in a.regions if r["label"] == "北区")
    assert north["previous"] == 2  # the two queries of the previous week
    assert [(r["count"], r["complaints"]) for r in a.drivers] == [(1, 1)]
    assert Region.objects.get(code="south").name == "南区"


def test_repeated_questions_are_the_same_text_asked_twice(add):
    ticket, query = add
    query(week(0), text="运费怎么算")
    query(week(0), text="  运费怎么算 ")
    ticket(week(0), text="运费怎么算")
    query(week(0), text="只问一次")
    query(week(1), text="只问一次")  # another week
    questions = weekly_analysis(monday=MONDAY.date()).questions
    assert [(q["label"], q["count"], q["queries"], q["tickets"]) for q in questions] == [("运费怎么算", 3, 2, 1)]


def test_the_page_shows_the_figures_and_the_xlsx_has_them_in_chinese(five_weeks, client, user_for, time_machine):
    time_machine.move_to(at("2026-12-07 09:00"), tick=False)
    client.force_login(user_for("supervisor"))
    page = client.get(reverse("reports:weekly"), {"week": "2026-12-02"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="total-count">10<' in html and "30.0%" in html and "+200.0%" in html and "+50.0%" in html
    response = client.get(reverse("reports:weekly_xlsx"), {"week": "2026-11-30"})
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == ["类别分析", "高发区域", "司机", "重复问题"]
    ws = wb["类别分析"]
    assert [c.value for c in ws[1]][:3] == ["类别 · 子类别", "本周数量", "占比"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["咨询 · 物流查询"][1:3] == (3, 0.3) and rows["合计"][1] == 10


@pytest.mark.parametrize("role", ["agent", "customer", "driver"])
def test_the_weekly_analysis_is_for_supervisors_managers_and_admins(client, user_for, role):
    client.force_login(user_for(role))
    assert client.get(reverse("reports:weekly")).status_code == 403
    assert client.get(reverse("reports:weekly_xlsx")).status_code == 403


@pytest.mark.parametrize("week", ["2026-13-01", "not a date", "1999-12-27", "2999-01-04"])
def test_a_bad_week_is_refused_with_the_reason(client, user_for, week, time_machine):
    time_machine.move_to(at("2026-12-07 09:00"), tick=False)
    client.force_login(user_for("manager"))
    response = client.get(reverse("reports:weekly"), {"week": week})
    assert response.status_code == 400 and 'id="error"' in response.content.decode()
    assert client.get(reverse("reports:weekly_xlsx"), {"week": week}).status_code == 400
