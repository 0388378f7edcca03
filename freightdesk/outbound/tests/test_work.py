"""An agent works his outbound queue (SPEC §2 外呼; §10 回访): assignment, the outcomes and their follow-ups (at most
3 attempts, in working hours), the do-not-call list always honoured, one-click dialling, the 回访's satisfaction."""

from datetime import timedelta

import pytest
from django.core.cache import cache

from freightdesk.core.errors import BadInput, DomainError, NotAllowed
from freightdesk.followups import services as followup_services
from freightdesk.followups.models import FollowUp, FollowUpState
from freightdesk.outbound import selectors, services
from freightdesk.outbound.models import CallAttempt, CallItem, ItemState, Outcome, SkipReason
from freightdesk.telephony.dialing import BRIDGE_SEEN_KEY
from freightdesk.telephony.models import DialRequest
from freightdesk.tickets.models import Status, Ticket
from freightdesk.tickets.services import open_ticket, transition_ticket

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(now, demo, agent):
    built = services.import_list(upload=_file("13800138001\n"), filename="a.csv", by=None)
    services.assign_list(call_list=built.call_list, agents=[agent], by=None)
    return CallItem.objects.get()


def _file(text):
    import io

    return io.BytesIO(text.encode())


def open_followup(item):
    return FollowUp.objects.get(outbound_item=item, closed_at__isnull=True)


def test_a_list_is_shared_among_its_agents_in_turn(now, demo, agent, agent2):
    built = services.import_list(upload=_file("".join(f"1380013800{n}\n" for n in range(5))), filename="a.csv", by=None)
    assert services.assign_list(call_list=built.call_list, agents=[agent, agent2], by=None) == 5
    assert CallItem.objects.filter(agent=agent).count() == 3 and CallItem.objects.filter(agent=agent2).count() == 2
    assert len(selectors.agent_queue(agent, now)) == 3


def test_only_agents_who_call_out_get_a_list(now, demo, user_for):
    built = services.import_list(upload=_file("13800138001\n"), filename="a.csv", by=None)
    with pytest.raises(BadInput):
        services.assign_list(call_list=built.call_list, agents=[user_for("driver")], by=None)
    assert CallItem.objects.get().agent is None


def test_reached_with_an_order_closes_the_item_and_its_follow_up(item, agent, now):
    services.record_outcome(item=item, agent=agent, outcome=Outcome.ORDER_TAKEN, now=now)
    item.refresh_from_db()
    assert (item.state, item.outcome, item.attempts) == (ItemState.DONE, Outcome.ORDER_TAKEN, 1)
    assert FollowUp.objects.get(outbound_item=item).state == FollowUpState.DONE
    assert list(selectors.agent_queue(agent, now)) == []


def test_no_answer_is_tried_again_in_working_hours_and_given_up_after_three_attempts(item, agent, time_machine):
    at_1700 = at("2026-12-07 17:00")
    time_machine.move_to(at_1700, tick=False)
    services.record_outcome(item=item, agent=agent, outcome=Outcome.NO_ANSWER, now=at_1700)
    retry = open_followup(item)
    assert retry.due_at == at("2026-12-08 09:00")  # 60 working minutes from 17:00: 30 today, 30 tomorrow
    assert list(selectors.agent_queue(agent, at_1700)) == []
    assert list(selectors.agent_later(agent, at_1700)) == [item]
    followup_services.run(followup_id=retry.pk, now=retry.due_at)  # the scheduler's task: due, in the queue
    assert list(selectors.agent_queue(agent, retry.due_at)) == [item]
    item.refresh_from_db()
    services.record_outcome(
        item=item, agent=agent, outcome=Outcome.CALL_LATER, next_at=at("2026-12-08 20:00"), now=retry.due_at
    )
    assert open_followup(item).due_at == at("2026-12-09 08:30")  # never outside working hours
    item.refresh_from_db()
    services.record_outcome(item=item, agent=agent, outcome=Outcome.NO_ANSWER, now=at("2026-12-09 09:00"))
    item.refresh_from_db()
    assert (item.state, item.skip_reason, item.attempts) == (ItemState.SKIPPED, SkipReason.ATTEMPTS, 3)
    assert not FollowUp.objects.filter(outbound_item=item, closed_at__isnull=True).exists()
    assert CallAttempt.objects.filter(item=item).count() == 3


def test_call_later_needs_a_time_in_the_next_30_days_and_writes_nothing_without(item, agent, now):
    for bad in (None, now - timedelta(minutes=1), now + timedelta(days=31)):
        with pytest.raises(BadInput):
            services.record_outcome(item=item, agent=agent, outcome=Outcome.CALL_LATER, next_at=bad, now=now)
    assert not CallAttempt.objects.exists() and open_followup(item).state == FollowUpState.RAISED
    assert CallItem.objects.get().attempts == 0


def test_another_agents_item_is_refused_and_nothing_written(item, agent2, now):
    with pytest.raises(NotAllowed):
        services.record_outcome(item=item, agent=agent2, outcome=Outcome.REACHED, now=now)
    assert not CallAttempt.objects.exists()


def test_a_number_put_on_the_do_not_call_list_later_is_skipped_and_never_dialled(item, agent, now):
    services.add_do_not_call(number="138 0013 8001", reason="客户要求", by=None, now=now)
    item.refresh_from_db()
    assert (item.state, item.skip_reason) == (ItemState.SKIPPED, SkipReason.DO_NOT_CALL)
    assert not FollowUp.objects.filter(outbound_item=item, closed_at__isnull=True).exists()
    with pytest.raises(DomainError) as refused:
        services.dial(item=item, agent=agent, now=now)
    assert not DialRequest.objects.exists() and refused.value.code == "item_closed"


def test_the_do_not_call_list_is_checked_again_when_dialling(item, agent, now):
    from freightdesk.outbound.models import DoNotCall

    DoNotCall.objects.create(number=item.phone)  # written by hand, behind the service's back
    with pytest.raises(DomainError) as refused:
        services.dial(item=item, agent=agent, now=now)
    assert refused.value.code == "do_not_call"
    assert CallItem.objects.get().skip_reason == SkipReason.DO_NOT_CALL and not DialRequest.objects.exists()


def test_no_dialling_outside_working_hours(item, agent, time_machine):
    evening = at("2026-12-07 18:00")
    time_machine.move_to(evening, tick=False)
    with pytest.raises(DomainError) as refused:
        services.dial(item=item, agent=agent, now=evening)
    assert refused.value.code == "outside_working_hours" and "12-08 08:30" in refused.value.message
    assert not DialRequest.objects.exists()


def test_dialling_goes_through_the_pbx_when_its_bridge_is_connected_else_the_tel_link(item, agent, now):
    without = services.dial(item=item, agent=agent, now=now)
    assert (without.via, without.tel, without.request) == ("tel", "tel:+8613800138001", None)
    cache.set(BRIDGE_SEEN_KEY, (now - timedelta(seconds=5)).isoformat())
    with_pbx = services.dial(item=item, agent=agent, now=now)
    request = DialRequest.objects.get()
    assert with_pbx.via == "pbx" and (request.agent_code, request.number) == ("8011", "+8613800138001")
    assert request.reference == f"outbound:{item.pk}"


# --- 回访: a resolved ticket's customer is asked how satisfied he is ---------------------------------------
@pytest.fixture
def revisit(demo, agent, time_machine, now):
    def make(category="inquiry", subcategory="transit_time", path=("resolved",), data=None):
        time_machine.move_to(at("2026-12-06 15:00"), tick=False)
        ticket = open_ticket(
            by=agent,
            category=category,
            subcategory=subcategory,
            channel="phone",
            description="货到哪了",
            demand="",
            customer_phone="13800138001",
        )
        for step in path:
            ticket = transition_ticket(
                ticket=ticket, by=agent, to=step, data=(data or {}).get(step, {"reply": "已送达"})
            )
        time_machine.move_to(now, tick=False)
        built = services.build_rule_list(kind="revisit", by=None, now=now)
        services.assign_list(call_list=built.call_list, agents=[agent], by=None)
        return built.call_list.items.get(), ticket

    return make


def test_a_satisfied_customer_leaves_the_ticket_resolved(revisit, agent, now):
    item, ticket = revisit()
    services.record_outcome(item=item, agent=agent, outcome=Outcome.REACHED, satisfaction=4, now=now)
    assert Ticket.objects.get(pk=ticket.pk).status == Status.RESOLVED
    assert CallItem.objects.get().satisfaction == 4


def test_an_unsatisfied_customer_reopens_the_ticket_with_the_reason(revisit, agent, now):
    item, ticket = revisit()
    services.record_outcome(item=item, agent=agent, outcome=Outcome.REACHED, satisfaction=2, note="还没收到", now=now)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.status, ticket.reopen_count) == (Status.IN_PROGRESS, 1)
    assert "2/5" in ticket.events.latest("id").text
    assert not CallItem.objects.get().needs_supervisor


def test_the_satisfaction_of_a_revisit_is_required(revisit, agent, now):
    item, ticket = revisit()
    for bad in (None, 0, 6):
        with pytest.raises(BadInput):
            services.record_outcome(item=item, agent=agent, outcome=Outcome.REACHED, satisfaction=bad, now=now)
    assert not CallAttempt.objects.exists() and Ticket.objects.get(pk=ticket.pk).status == Status.RESOLVED


def test_a_ticket_the_desk_cannot_reopen_is_left_to_the_supervisor(revisit, agent, now):
    item, ticket = revisit(path=("resolved", "closed"), data={"resolved": {"reply": "已送达"}, "closed": {}})
    services.record_outcome(item=item, agent=agent, outcome=Outcome.REACHED, satisfaction=1, now=now)
    item.refresh_from_db()
    assert item.needs_supervisor and ticket.number in item.note and item.state == ItemState.DONE
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED
    assert list(selectors.needing_supervisor(item.call_list)) == [item]
