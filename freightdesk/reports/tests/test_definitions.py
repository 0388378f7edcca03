"""Who and what each figure counts (QA sweep of issue 7): the reviewer is who recorded the review, the dispatcher
who sent the SMS; a complaint is valid once judged valid; delivery surveys follow their order's region and agents.

Orders go through the real services (take, review, dispatch, tickets), so the reports read what the desk writes."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model

from freightdesk.core.worktime import TZ
from freightdesk.dispatch.services import dispatch_order
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Channel
from freightdesk.orders.review import record_call_attempt, review_order
from freightdesk.reports.params import ReportParams
from freightdesk.reports.quality_queries import satisfaction
from freightdesk.reports.queries import complaints, dispatch_compliance, review_compliance
from freightdesk.surveys.models import Survey
from freightdesk.tickets.services import open_ticket, transition_ticket

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)
PERIOD = ReportParams(date(2026, 11, 23), date(2026, 11, 23), "agent", None).period


@pytest.fixture
def agent2(user_for):
    return get_user_model().objects.get(username="8012")


@pytest.fixture
def web_orders(cleaned_example):
    """Four web orders placed at 10:00 on a Monday (review due 10:30); no agent took them."""
    with time_machine.travel(MONDAY_10, tick=False):
        return [take_order(data=cleaned_example, channel=Channel.WEB, intake_key=f"web-{n}").order for n in range(4)]


@pytest.fixture
def reviewed(web_orders, agent, agent2):
    """Hand-computed at 11:30:
    8012: #0 confirmed 10:12 (on time); #1 made a problem order by 8011 at 10:05 (callback 10:40 becomes its
    review deadline), confirmed by 8012 at 11:00 (late) -> 1 of 2.
    8011: #2 voided at 10:10 (not judged).
    nobody: #3 never reviewed, past its deadline (late)."""
    first, problem, voided, _untouched = web_orders
    for order in (first, problem):  # confirmed only after the customer answered the call
        record_call_attempt(order=order, agent=agent2, outcome="answered", now=MONDAY_10 + timedelta(minutes=4))
    review_order(order=first, agent=agent2, outcome="confirm", now=MONDAY_10 + timedelta(minutes=12))
    review_order(
        order=problem,
        agent=agent,
        outcome="problem",
        note="电话不通的地址",
        now=MONDAY_10 + timedelta(minutes=5),
        callback_at=MONDAY_10 + timedelta(minutes=40),
    )
    problem.refresh_from_db()
    review_order(order=problem, agent=agent2, outcome="confirm", now=MONDAY_10 + timedelta(minutes=60))
    review_order(
        order=voided,
        agent=agent,
        outcome="void",
        void_reason="other",
        note="客户取消",
        now=MONDAY_10 + timedelta(minutes=10),
    )
    return web_orders


def _by_key(rows):
    return {row["key"]: row for row in rows}


def test_review_compliance_counts_the_agent_who_reviewed_not_who_took_the_order(reviewed):
    rows = _by_key(review_compliance(period=PERIOD, now=MONDAY_10 + timedelta(minutes=90)))
    assert set(rows) == {None, "8011", "8012"}
    reviewer = rows["8012"]
    assert (reviewer["orders"], reviewer["on_time"], reviewer["late"], reviewer["voided"]) == (2, 1, 1, 0)
    assert reviewer["rate"] == 0.5 and reviewer["label"] == "李强"
    assert (rows["8011"]["orders"], rows["8011"]["voided"], rows["8011"]["late"]) == (1, 1, 0)
    assert (rows[None]["orders"], rows[None]["late"], rows[None]["label"]) == (1, 1, None)


def test_an_agent_sees_the_reviews_they_did(reviewed, agent2):
    rows = review_compliance(period=PERIOD, now=MONDAY_10 + timedelta(minutes=90), scope=agent2)
    assert [(r["key"], r["orders"], r["on_time"], r["late"]) for r in rows] == [("8012", 2, 1, 1)]


def test_review_compliance_per_agent_on_the_page_names_the_reviewer(reviewed, client, user_for):
    client.force_login(user_for("manager"))
    with time_machine.travel(MONDAY_10 + timedelta(minutes=90), tick=False):
        response = client.get("/reports/", {"from": "2026-11-23", "to": "2026-11-23"})
    section = next(s for s in response.context["sections"] if s["slug"] == "review")
    assert ["8012", "李强", "2", "1", "1", "0", "0", "50.0%"] in section["table"]


def test_dispatch_compliance_counts_the_agent_who_dispatched_not_who_took_the_order(cleaned_example, agent, agent2):
    with time_machine.travel(MONDAY_10, tick=False):
        order = take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent, intake_key="p1").order
    assert order.taken_by == agent and order.confirmed_at is not None
    order.refresh_from_db()
    dispatch_order(order=order, agent=agent2, now=order.confirmed_at + timedelta(minutes=2))
    rows = dispatch_compliance(period=PERIOD)
    assert [(r["key"], r["dispatches"], r["on_time"]) for r in rows] == [("8012", 1, 1)]
    assert dispatch_compliance(period=PERIOD, scope=agent) == []


@pytest.fixture
def three_complaints(cleaned_example, agent):
    """Recorded at 10:00 about the same order: one just recorded, one judged valid, one judged not valid."""
    with time_machine.travel(MONDAY_10, tick=False):
        order = take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent, intake_key="c").order
        made = [
            open_ticket(
                by=agent,
                category="complaint",
                subcategory="transit_time",
                channel="phone",
                description="提货超时",
                order=order,
            )
            for _ in range(3)
        ]
    _recorded, valid, not_valid = made
    transition_ticket(ticket=valid, by=agent, to="validated", now=MONDAY_10 + timedelta(minutes=5))
    transition_ticket(
        ticket=not_valid, by=agent, to="dismissed", data={"reply": "已按时提货"}, now=MONDAY_10 + timedelta(minutes=5)
    )
    return made


def test_a_complaint_just_recorded_is_not_yet_judged_not_valid(three_complaints):
    [row] = complaints(period=PERIOD, group_by="type")
    assert (row["complaints"], row["valid"], row["dismissed"], row["pending"]) == (3, 1, 1, 1)


def test_complaints_further_along_the_workflow_stay_valid(three_complaints, agent):
    _recorded, valid, _not_valid = three_complaints
    valid.refresh_from_db()
    transition_ticket(
        ticket=valid, by=agent, to="assigned", data={"department": "transport"}, now=MONDAY_10 + timedelta(minutes=6)
    )
    [row] = complaints(period=PERIOD, group_by="month")
    assert (row["valid"], row["pending"], row["dismissed"]) == (1, 1, 1)


@pytest.fixture
def surveys(make_order, user_for):
    """Answered at 10:00: a delivery survey on a south order agent 8011 took (scores 5/4/3), a ticket survey on a
    north order's ticket handled by 8011 (scores 1/2/3), and a delivery survey on a north order nobody took (2/2/2)."""
    from freightdesk.tickets.models import Ticket

    agent = user_for("agent")
    south = make_order("2026-11-20 10:00", region="south", status="delivered", taken_by=agent)
    north = make_order("2026-11-20 11:00", region="north", status="delivered")
    ticket = Ticket.objects.create(
        number="S1",
        channel="phone",
        category="inquiry",
        subcategory="other",
        status="resolved",
        description="x",
        owner_group="agent",
        order=north,
        handler=agent,
        created_at=MONDAY_10 - timedelta(days=1),
    )
    answered = {"answered_at": MONDAY_10, "expires_at": MONDAY_10 + timedelta(days=7)}
    Survey.objects.create(order=south, token="t-south", phone="1", efficiency=5, attitude=4, solution=3, **answered)
    Survey.objects.create(ticket=ticket, token="t-ticket", phone="1", efficiency=1, attitude=2, solution=3, **answered)
    Survey.objects.create(order=north, token="t-north", phone="1", efficiency=2, attitude=2, solution=2, **answered)


def test_region_filter_counts_delivery_surveys_by_their_orders_region(surveys):
    [south] = satisfaction(period=PERIOD, region="south")
    assert (south["answers"], south["efficiency"], south["attitude"]) == (1, 5, 4)
    [north] = satisfaction(period=PERIOD, region="north")
    assert (north["answers"], north["efficiency"], north["solution"]) == (2, 1.5, 2.5)
    [everything] = satisfaction(period=PERIOD)
    assert everything["answers"] == 3


def test_an_agents_satisfaction_has_their_tickets_and_the_deliveries_of_orders_they_took(surveys, user_for):
    [own] = satisfaction(period=PERIOD, scope=user_for("agent"))
    assert (own["answers"], own["efficiency"], own["attitude"], own["solution"]) == (2, 3, 3, 3)
    from django.contrib.auth import get_user_model

    assert satisfaction(period=PERIOD, scope=get_user_model().objects.get(username="8012")) == []
