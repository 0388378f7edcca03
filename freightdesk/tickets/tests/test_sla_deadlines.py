"""SPEC §10 table 2: owner, deadline (working or clock time) and standard solution come from the SLA table."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from freightdesk.tickets.followups import send_due_reminders
from freightdesk.tickets.models import SlaPolicy, TicketEvent

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def local(y, mo, d, h, mi):
    return datetime(y, mo, d, h, mi, tzinfo=SH)


@pytest.mark.parametrize(
    ("category", "sub", "opened", "due", "owner"),
    [
        # working time: 10 minutes on Monday before 17:30, 20 more from Tuesday's 8:30
        ("complaint", "transit_time", local(2026, 11, 23, 17, 20), local(2026, 11, 24, 8, 50), "agent"),
        # working time across a weekend: Friday 16:00 + 8 working hours = Monday 15:00
        ("complaint", "fees", local(2026, 11, 27, 16, 0), local(2026, 11, 30, 15, 0), "supervisor"),
        # clock time, at night and at the weekend too
        ("inquiry", "logistics_query", local(2026, 11, 28, 22, 0), local(2026, 11, 28, 22, 3), "agent"),
        ("complaint", "attitude", local(2026, 11, 23, 15, 0), local(2026, 11, 24, 3, 0), "supervisor"),
        ("complaint", "product_quality", local(2026, 11, 23, 15, 0), local(2026, 11, 24, 15, 0), "after_sales"),
        ("emergency", "account_security", local(2026, 11, 23, 2, 0), local(2026, 11, 23, 2, 10), "supervisor"),
        ("emergency", "system_failure", local(2026, 11, 23, 9, 0), local(2026, 11, 23, 9, 5), "technical"),
    ],
)
def test_deadline_and_owner_follow_the_sla_table(new_ticket, user_for, category, sub, opened, due, owner):
    by = user_for("supervisor") if category == "emergency" else user_for("agent")
    ticket = new_ticket(category=category, subcategory=sub, now=opened, by=by)
    assert (ticket.due_at, ticket.owner_group) == (due, owner)
    assert ticket.standard_solution == SlaPolicy.objects.get(category=category, subcategory=sub).standard_solution


def test_an_admin_edited_policy_governs_new_tickets(new_ticket, django_capture_on_commit_callbacks):
    deadline = SlaPolicy.objects.get(category="complaint", subcategory="attitude").deadline
    deadline.minutes = 60
    with django_capture_on_commit_callbacks(execute=True):  # as the admin saves it: the calendar reloads on commit
        deadline.save()
    ticket = new_ticket(now=local(2026, 11, 23, 10, 0))
    assert ticket.due_at == local(2026, 11, 23, 11, 0)


def test_unknown_subcategory_is_refused_with_a_message(new_ticket):
    from freightdesk.tickets.steps import TicketInputError

    with pytest.raises(TicketInputError) as err:
        new_ticket(subcategory="weather")
    assert err.value.field == "subcategory"


def test_owner_is_reminded_before_the_deadline_and_the_breach_is_escalated(new_ticket):
    ticket = new_ticket(subcategory="transit_time", now=local(2026, 11, 23, 10, 0))
    assert ticket.remind_at == local(2026, 11, 23, 10, 20)
    assert send_due_reminders(now=local(2026, 11, 23, 10, 19)) == {"reminded": 0, "breached": 0, "callbacks": 0}
    assert send_due_reminders(now=local(2026, 11, 23, 10, 21))["reminded"] == 1
    assert send_due_reminders(now=local(2026, 11, 23, 10, 31))["breached"] == 1
    assert send_due_reminders(now=local(2026, 11, 23, 10, 40))["breached"] == 0  # idempotent
    ticket.refresh_from_db()
    assert ticket.breached_at == local(2026, 11, 23, 10, 31)
    assert ticket.messages.filter(kind="breach", to="+8613700008001").count() == 1
    assert TicketEvent.objects.filter(ticket=ticket, kind="breached").count() == 1


def test_a_resolved_ticket_is_not_breached(new_ticket, agent):
    from freightdesk.tickets.services import transition_ticket

    ticket = new_ticket(category="inquiry", subcategory="logistics_query", now=local(2026, 11, 23, 10, 0))
    transition_ticket(
        ticket=ticket, by=agent, to="resolved", data={"reply": "货物已在运输途中"}, now=local(2026, 11, 23, 10, 2)
    )
    assert send_due_reminders(now=local(2026, 11, 23, 11, 0))["breached"] == 0


def test_a_promised_callback_is_reminded_and_shown_on_the_due_now_board(new_ticket, agent):
    from freightdesk.tickets.followups import complete_callback, promise_callback
    from freightdesk.tickets.selectors import due_now

    ticket = new_ticket(category="inquiry", subcategory="other", now=local(2026, 11, 23, 9, 0))
    callback = promise_callback(
        ticket=ticket, by=agent, due_at=local(2026, 11, 23, 11, 0), note="2小时内回复", now=local(2026, 11, 23, 9, 0)
    )
    assert due_now(local(2026, 11, 23, 10, 0))["callbacks"] == []
    assert due_now(local(2026, 11, 23, 10, 55))["callbacks"] == [callback]
    assert send_due_reminders(now=local(2026, 11, 23, 10, 55))["callbacks"] == 1
    complete_callback(callback=callback, by=agent, now=local(2026, 11, 23, 10, 58))
    assert due_now(local(2026, 11, 23, 11, 5))["callbacks"] == []


def test_a_callback_in_the_past_is_refused(new_ticket, agent):
    from freightdesk.tickets.followups import promise_callback
    from freightdesk.tickets.steps import TicketInputError

    ticket = new_ticket(now=local(2026, 11, 23, 9, 0))
    with pytest.raises(TicketInputError):
        promise_callback(ticket=ticket, by=agent, due_at=local(2026, 11, 23, 8, 0), now=local(2026, 11, 23, 9, 0))
