"""The board knows what matters: emergencies and crises first, then by how overdue relative to the allowed time;
counts per kind, filters per kind and per agent (an agent sees his rows and nobody's, a supervisor everyone's); and
its rows are done from the board itself — urge, escalate, called back, dismiss with a reason (a missed call too),
a refused action writing nothing."""

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.urls import reverse

from freightdesk.accounts.models import StaffProfile
from freightdesk.desk.board import due_now
from freightdesk.desk.models import Dismissal
from freightdesk.followups import services as scheduler
from freightdesk.followups.models import FollowUp, FollowUpState
from freightdesk.orders.models import Order, OrderEvent
from freightdesk.telephony.ingest import ingest_event
from freightdesk.telephony.models import Call
from freightdesk.telephony.tests.factories import T0, missed
from freightdesk.tickets.services import open_ticket
from freightdesk.tracking import queries

from .conftest import at

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def other_agent(demo):
    user = User.objects.create_user("8012x", password="x-unused")
    user.groups.add(Group.objects.get(name="agent"))
    StaffProfile.objects.create(user=user, agent_id="8019", display_name="小李")
    return user


def test_an_emergency_outranks_stale_rows_and_lateness_is_relative_to_the_allowed_time(take, dispatched, agent):
    with time_machine.travel(at(24, 9, 0), tick=False):
        stale = take(at(24, 9, 0))  # dispatch allowed 3 minutes, due 9:03
        Order.objects.filter(pk=stale.pk).update(dispatch_due_at=at(24, 9, 3))
        web = take(at(24, 9, 0))  # review allowed 30 working minutes, due 8:00: 2 h late, 4 times its time
        Order.objects.filter(pk=web.pk).update(status="submitted", review_due_at=at(24, 8, 0))
    with time_machine.travel(at(24, 9, 50), tick=False):
        emergency = open_ticket(
            by=agent, category="emergency", subcategory=_emergency(), channel="phone", description="司机受伤"
        )
        items, counts = due_now(at(24, 10, 0))
    kinds = [i.kind for i in items]
    assert kinds[0] == "emergency" and items[0].serial == emergency.number  # not due yet, on top all the same
    # 57 minutes late on 3 minutes (19 times) outranks 2 hours late on 30 minutes (4 times).
    assert kinds.index("dispatch") < kinds.index("review")
    assert counts["emergencies"] == 1


def test_filters_per_kind_and_per_agent_and_the_supervisor_sees_everyones(client, take, agent, other_agent, user_for):
    with time_machine.travel(at(24, 9, 0), tick=False):
        mine = take(at(24, 9, 0))
        theirs = take(at(24, 9, 0))
        web = take(at(24, 9, 0))
    Order.objects.filter(pk__in=[mine.pk, theirs.pk]).update(dispatch_due_at=at(24, 9, 3))
    Order.objects.filter(pk=theirs.pk).update(agent_id="8019")
    Order.objects.filter(pk=web.pk).update(status="submitted", review_due_at=at(24, 9, 30), agent_id="")
    with time_machine.travel(at(24, 10, 0), tick=False):
        client.force_login(agent)
        page = client.get(reverse("desk:board")).content.decode()
        assert mine.serial in page and web.serial in page and theirs.serial not in page
        assert "<strong>1</strong>" in count_of("dispatches", page)  # his count, not the desk's
        only_reviews = client.get(reverse("desk:board"), {"kind": "reviews"}).content.decode()
        assert web.serial in only_reviews and mine.serial not in only_reviews
        client.force_login(user_for("supervisor"))
        everyone = client.get(reverse("desk:board")).content.decode()
        assert all(o.serial in everyone for o in (mine, theirs, web))
        assert "<strong>2</strong>" in count_of("dispatches", everyone)
        one_agent = client.get(reverse("desk:board"), {"agent": "8019"}).content.decode()
        assert theirs.serial in one_agent and mine.serial not in one_agent and web.serial not in one_agent
        assert 'data-count="dispatches" href="?kind=dispatches&amp;agent=8019">' in one_agent


def count_of(key: str, page: str) -> str:
    return page.split(f'data-count="{key}"')[1].split("</a>")[0]


def late_pickup(dispatched):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0))
    with time_machine.travel(at(24, 9, 31), tick=False):
        scheduler.sweep()
    return order, FollowUp.objects.get(order=order, kind="pickup_check")


def test_urge_from_the_row_sends_the_urge_sms_and_clears_the_row(agent_client, dispatched):
    order, check = late_pickup(dispatched)
    with time_machine.travel(at(24, 9, 32), tick=False):
        answer = agent_client.post(
            reverse("desk:board_act"), {"kind": "pickup_check", "ref": check.pk, "action": "urge"}, **HTMX
        )
        assert answer.status_code == 200 and 'class="due-item done"' in answer.content.decode()
        assert order.serial not in [i.serial for i in due_now(at(24, 9, 32))[0] if i.kind == "pickup_check"]
    assert order.messages.filter(kind="urge").count() == 1
    assert FollowUp.objects.get(pk=check.pk).state == FollowUpState.DONE
    again = agent_client.post(
        reverse("desk:board_act"), {"kind": "pickup_check", "ref": check.pk, "action": "urge"}, **HTMX
    )
    assert 'class="due-item refused"' in again.content.decode()
    assert order.messages.filter(kind="urge").count() == 1  # nothing more written


def test_dismiss_needs_a_reason_and_keeps_it(agent_client, dispatched):
    order, check = late_pickup(dispatched)
    events = OrderEvent.objects.filter(order=order).count()
    refused = agent_client.post(
        reverse("desk:board_act"), {"kind": "pickup_check", "ref": check.pk, "action": "dismiss"}, **HTMX
    )
    assert 'class="due-item refused"' in refused.content.decode()
    assert FollowUp.objects.get(pk=check.pk).state != FollowUpState.DONE
    assert OrderEvent.objects.filter(order=order).count() == events and not Dismissal.objects.exists()
    done = agent_client.post(
        reverse("desk:board_act"),
        {"kind": "pickup_check", "ref": check.pk, "action": "dismiss", "note": "司机电话说已提货"},
        **HTMX,
    )
    assert 'class="due-item done"' in done.content.decode()
    assert FollowUp.objects.get(pk=check.pk).outcome == "dismissed"
    assert Dismissal.objects.get().reason == "司机电话说已提货"
    assert OrderEvent.objects.filter(order=order, kind="board_dismissed", text__contains="司机电话说已提货").exists()


def test_a_missed_call_is_called_back_or_dismissed_from_the_board(agent_client, agent):
    with time_machine.travel(T0, tick=False):
        for name in ("m-1", "m-2"):
            for payload in missed(name, caller="13800138000"):
                ingest_event(payload=payload, now=T0)
    first, second = Call.objects.order_by("id")
    answer = agent_client.post(
        reverse("desk:board_act"), {"kind": "missed_call", "ref": first.pk, "action": "called_back"}, **HTMX
    )
    assert 'class="due-item done"' in answer.content.decode()
    agent_client.post(
        reverse("desk:board_act"),
        {"kind": "missed_call", "ref": second.pk, "action": "dismiss", "note": "客户已再次来电"},
        **HTMX,
    )
    assert not FollowUp.objects.filter(kind="missed_call", closed_at__isnull=True).exists()
    assert Dismissal.objects.get(kind="missed_call").ref == second.pk


def test_a_promised_callback_is_called_back_from_the_row_with_what_was_said(agent_client, dispatched, agent):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0))
        queries.record_query(
            order=order, agent=agent, type="arrival_time", channel="phone", question="几点到", callback_at=at(24, 11, 0)
        )
    callback = FollowUp.objects.get(order=order, kind="callback")
    post = {"kind": "callback", "ref": callback.pk, "action": "called_back"}
    refused = agent_client.post(reverse("desk:board_act"), post, **HTMX)  # what the customer was told is needed
    assert 'class="due-item refused"' in refused.content.decode()
    assert FollowUp.objects.get(pk=callback.pk).closed_at is None
    agent_client.post(reverse("desk:board_act"), {**post, "note": "预计14点到"}, **HTMX)
    assert FollowUp.objects.get(pk=callback.pk).state == FollowUpState.DONE


def test_escalate_is_only_for_a_late_delivery(agent_client, dispatched):
    order, check = late_pickup(dispatched)
    answer = agent_client.post(
        reverse("desk:board_act"), {"kind": "pickup_check", "ref": check.pk, "action": "escalate"}, **HTMX
    )
    assert 'class="due-item refused"' in answer.content.decode()
    assert FollowUp.objects.get(pk=check.pk).closed_at is None and not order.messages.filter(kind="escalation")


def _emergency() -> str:
    from freightdesk.tickets.models import SlaPolicy

    return SlaPolicy.objects.filter(category="emergency").values_list("subcategory", flat=True).first()


def test_the_board_stays_fast_every_source_one_query(agent_client, dispatched, django_assert_max_num_queries):
    late_pickup(dispatched)
    # A fixed number of queries, whatever the rows: none per row.
    with time_machine.travel(at(24, 10, 0), tick=False), django_assert_max_num_queries(30):
        page = agent_client.get(reverse("desk:board"))
    assert 'data-kind="pickup_check"' in page.content.decode()


def test_hostile_row_actions_are_refused_in_the_row_and_write_nothing(agent_client, dispatched):
    order, check = late_pickup(dispatched)
    for post in (
        {"kind": "pickup_check", "ref": "9" * 40, "action": "urge"},
        {"kind": "pickup_check", "ref": "１２", "action": "urge"},
        {"kind": "nonsense", "ref": check.pk, "action": "urge"},
        {"kind": "pickup_check", "ref": check.pk, "action": "dismiss", "note": "原因\x00"},
        {"kind": "pickup_check", "ref": check.pk, "action": "dismiss", "note": "长" * 201},
    ):
        answer = agent_client.post(reverse("desk:board_act"), post, **HTMX)
        assert answer.status_code == 200 and 'class="due-item refused"' in answer.content.decode(), post
    assert FollowUp.objects.get(pk=check.pk).closed_at is None and not Dismissal.objects.exists()
    assert not order.messages.filter(kind="urge").exists()
