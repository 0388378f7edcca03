"""API.md: events may arrive twice or out of order; the call record converges to the same result."""

import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freightdesk.core import worktime
from freightdesk.followups.models import FollowUp
from freightdesk.telephony import callbacks
from freightdesk.telephony.ingest import ingest_event
from freightdesk.telephony.models import Call, CallEvent

from .factories import T0, ev, inbound, missed

NOW = T0 + timedelta(minutes=30)
FIELDS = [
    "state",
    "direction",
    "from_number",
    "customer_number",
    "agent_code",
    "agent_id",
    "ringing_at",
    "answered_at",
    "ended_at",
    "cause",
    "ring_seconds",
    "talk_seconds",
    "transfers",
    "recording_url",
]


def record(call_id):
    call = Call.objects.get(call_id=call_id)
    return {f: getattr(call, f) for f in FIELDS} | {"callback_due_at": callbacks.due_at(call)}


def play(events):
    for payload in events:
        ingest_event(payload=payload, now=NOW)


@pytest.mark.django_db
def test_normal_inbound_call_has_durations_agent_and_recording(demo, agent):
    play(inbound())
    call = Call.objects.get(call_id="a1b2")
    assert (call.state, call.cause, call.agent, call.agent_code) == ("ended", "normal", agent, "8011")
    assert (call.ring_seconds, call.talk_seconds) == (8, 120)
    assert call.customer_number == "+8613800138000"
    assert call.recording_url.endswith("a1b2.mp3")
    assert callbacks.due_at(call) is None


@pytest.mark.django_db
def test_every_arrival_order_of_a_call_converges_to_the_same_record(demo):
    events = inbound()
    play(events)
    expected = record("a1b2")
    for i, order in enumerate(itertools.permutations(events)):
        call_id = f"p{i}"
        play([{**e, "call_id": call_id} for e in order])
        assert record(call_id) == expected, order


@pytest.mark.django_db
def test_duplicated_events_are_stored_once_and_change_nothing(demo):
    play(inbound())
    before = record("a1b2")
    results = [ingest_event(payload=e, now=NOW) for e in inbound()]
    assert all(r.duplicate for r in results)
    assert CallEvent.objects.filter(call__call_id="a1b2").count() == 4
    assert record("a1b2") == before


@pytest.mark.django_db
def test_missed_inbound_call_becomes_a_callback_with_the_policy_deadline(demo):
    play(missed())
    call = Call.objects.get(call_id="m1")
    assert call.answered_at is None and call.state == "ended"
    assert call.ring_seconds == 25 and call.talk_seconds is None
    assert callbacks.due_at(call) == worktime.deadline_for("callback", call.ended_at)


@pytest.mark.django_db
def test_answered_event_arriving_after_hangup_cancels_the_callback(demo):
    play(missed("late")[:1] + [ev("hangup", "late", 60, cause="normal")])
    assert callbacks.due_at(Call.objects.get(call_id="late")) is not None
    play([ev("answered", "late", 5, agent="8011")])
    call = Call.objects.get(call_id="late")
    assert callbacks.due_at(call) is None and call.talk_seconds == 55


@pytest.mark.django_db
def test_transferred_call_belongs_to_the_agent_who_answered_last(demo, user_for):
    events = [
        ev("ringing", "t1", 0, direction="in", agent="8011", **{"from": "13800138000"}),
        ev("answered", "t1", 4, agent="8011"),
        ev("ringing", "t1", 60, agent="8012"),
        ev("answered", "t1", 66, agent="8012"),
        ev("hangup", "t1", 200, cause="normal"),
    ]
    play(list(reversed(events)))
    call = Call.objects.get(call_id="t1")
    assert call.agent_code == "8012" and call.agent.username == "8012"
    assert call.transfers == 1
    assert (call.ring_seconds, call.talk_seconds) == (4, 196)


@pytest.mark.django_db
def test_outbound_call_that_reaches_the_missed_caller_closes_his_callback(demo):
    play(missed("m2"))
    play(
        [
            ev("ringing", "o1", 600, direction="out", **{"from": "8011", "to": "013800138000"}, agent="8011"),
            ev("answered", "o1", 610, agent="8011"),
            ev("hangup", "o1", 700, cause="normal"),
        ]
    )
    missed_call = Call.objects.get(call_id="m2")
    [promise] = FollowUp.objects.filter(kind="missed_call", subject_id=missed_call.pk)
    assert (promise.state, promise.outcome, promise.note) == ("done", "called_back", "call o1")
    assert callbacks.due_at(Call.objects.get(call_id="o1")) is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(4)), dupes=st.lists(st.integers(0, 3), max_size=4))
@pytest.mark.django_db
def test_any_order_with_any_duplicates_converges(demo, order, dupes):
    Call.objects.all().delete()
    events = inbound("h1")
    play([events[i] for i in [*order, *dupes]])
    call = Call.objects.get(call_id="h1")
    assert (call.state, call.ring_seconds, call.talk_seconds, call.agent_code) == ("ended", 8, 120, "8011")
    assert call.events.count() == 4
