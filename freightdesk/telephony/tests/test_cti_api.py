"""API.md "Telephony (CTI) events": integration token only; bad input is a clear 4xx and nothing is written."""

from datetime import timedelta

import pytest
import time_machine

from freightdesk.telephony.models import Call, CallEvent

from .factories import T0, ev, inbound


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        yield


@pytest.mark.django_db
def test_integration_token_posts_events_and_gets_the_call_back(cti_api, pbx):
    for payload in inbound():
        r = cti_api.post("/cti/events", json=payload, headers=pbx)
        assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["state"], body["talk_seconds"], body["agent"], body["duplicate"]) == ("ended", 120, "8011", False)
    r = cti_api.post("/cti/events", json=inbound()[0], headers=pbx)
    assert r.status_code == 200 and r.json()["duplicate"] is True


@pytest.mark.django_db
def test_bad_or_missing_token_is_401_and_a_staff_token_is_403(cti_api, token_for):
    assert cti_api.post("/cti/events", json=inbound()[0]).status_code == 401
    assert cti_api.post("/cti/events", json=inbound()[0], headers={"Authorization": "Bearer nope"}).status_code == 401
    assert cti_api.post("/cti/events", json=inbound()[0], headers=token_for("8011")).status_code == 403
    assert not Call.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (ev("dialing"), "event"),
        ({"event": "ringing", "from": "13800138000"}, "call_id"),
        (ev("ringing", **{"from": "drop table calls"}), "from"),
        (ev("ringing", to="4008001234;1=1"), "to"),
        (ev("hangup"), "cause"),
        (ev("hangup", cause="exploded"), "cause"),
        (ev("answered"), "agent"),
        (ev("recording", url="javascript:alert(1)"), "url"),
        ({**ev("ringing"), "at": "yesterday"}, "at"),
        ({**ev("ringing"), "at": "2026-11-23"}, "at"),
        ({**ev("ringing"), "at": "9999-11-23T09:15:02+08:00"}, "at"),
        (ev("ringing", offset=-4 * 3600), "at"),
        (ev("ringing", offset=3600), "at"),
    ],
)
def test_bad_event_is_422_naming_the_field_and_writes_nothing(cti_api, pbx, payload, field):
    r = cti_api.post("/cti/events", json=payload, headers={**pbx, "Accept-Language": "en"})
    assert r.status_code == 422, r.json()
    assert field in r.json()["errors"]
    assert not Call.objects.exists() and not CallEvent.objects.exists()


@pytest.mark.django_db
def test_event_for_a_call_that_ended_hours_ago_is_409(cti_api, pbx):
    for payload in inbound()[:3]:
        cti_api.post("/cti/events", json=payload, headers=pbx)
    with time_machine.travel(T0 + timedelta(hours=5), tick=False):
        r = cti_api.post("/cti/events", json=inbound()[3], headers=pbx)
    assert r.status_code == 409 and r.json()["code"] == "call_closed"
    assert Call.objects.get(call_id="a1b2").recording_url == ""


@pytest.mark.django_db
def test_a_flood_of_events_for_one_call_is_refused(cti_api, pbx):
    codes = [
        cti_api.post("/cti/events", json=ev("ringing", "fl", i, agent=str(1000 + i)), headers=pbx).status_code
        for i in range(45)
    ]
    assert codes.count(200) == 40 and codes[-1] == 429
    assert CallEvent.objects.filter(call__call_id="fl").count() == 40


# --- POST /cti/events/batch: each event taken or refused on its own, as the single endpoint would ------------
def post_batch(cti_api, headers, events):
    return cti_api.post("/cti/events/batch", json={"events": events}, headers=headers)


@pytest.mark.django_db
def test_batch_takes_the_good_events_and_refuses_the_bad_ones_one_by_one(cti_api, pbx):
    ring, answered = inbound()[0], inbound()[1]
    r = post_batch(cti_api, pbx, [ring, ev("dialing"), ev("hangup"), answered, ring, 42])
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["taken"], body["duplicates"], body["refused"]) == (2, 1, 3)
    results = body["results"]
    assert [item["status"] for item in results] == [200, 422, 422, 200, 200, 422]
    assert list(results[1]["errors"]) == ["event"] and list(results[2]["errors"]) == ["cause"]
    assert results[5]["errors"] == {"__all__": ["请输入 JSON 对象。"]}  # zh-hans unless Accept-Language says otherwise
    assert results[4]["duplicate"] is True and results[3]["state"] == "answered"
    assert CallEvent.objects.filter(call__call_id="a1b2").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("events", [[], [ev("ringing", f"c{i}") for i in range(501)]])
def test_an_empty_or_oversized_batch_is_422_and_writes_nothing(cti_api, pbx, events):
    r = post_batch(cti_api, pbx, events)
    assert r.status_code == 422 and list(r.json()["errors"]) == ["events"]
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_a_batch_that_is_not_a_list_of_events_is_422(cti_api, pbx):
    r = cti_api.post("/cti/events/batch", json={"events": "ringing"}, headers=pbx)
    assert r.status_code == 422
    assert cti_api.post("/cti/events/batch", json=[ev("ringing")], headers=pbx).status_code == 422
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_batch_with_a_bad_token_is_401_and_with_a_staff_token_403(cti_api, token_for):
    assert post_batch(cti_api, {"Authorization": "Bearer nope"}, inbound()).status_code == 401
    assert post_batch(cti_api, {}, inbound()).status_code == 401
    assert post_batch(cti_api, token_for("8011"), inbound()).status_code == 403
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_a_flood_of_one_repeated_event_is_stored_once(cti_api, pbx):
    body = post_batch(cti_api, pbx, [inbound()[0]] * 500).json()
    assert (body["taken"], body["duplicates"], body["refused"]) == (1, 499, 0)
    assert CallEvent.objects.count() == 1


@pytest.mark.django_db
def test_a_flood_for_one_call_in_one_batch_stops_at_the_limit(cti_api, pbx):
    body = post_batch(cti_api, pbx, [ev("ringing", "fl", i, agent=str(1000 + i)) for i in range(45)]).json()
    assert [item["status"] for item in body["results"]].count(429) == 5
    assert body["results"][-1]["code"] == "too_many_events"
    assert CallEvent.objects.filter(call__call_id="fl").count() == 40


@pytest.mark.django_db
def test_refused_events_leave_the_call_as_it_was(cti_api, pbx):
    for payload in inbound()[:3]:
        cti_api.post("/cti/events", json=payload, headers=pbx)
    before = Call.objects.values().get(call_id="a1b2")
    bad = [
        ev("hangup", cause="exploded"),
        ev("answered", agent="80a1"),
        {**ev("ringing"), "from": "不是号码"},
        {**ev("recording", url="ftp://x"), "call_id": "a1b2"},
        ev("ringing", "x" * 65),
    ]
    body = post_batch(cti_api, pbx, bad).json()
    assert body["refused"] == 5
    assert Call.objects.values().get(call_id="a1b2") == before
    assert CallEvent.objects.count() == 3 and Call.objects.count() == 1


@pytest.mark.django_db
def test_every_refusal_is_logged_with_its_reason(cti_api, pbx, caplog):
    for payload in inbound()[:3]:
        cti_api.post("/cti/events", json=payload, headers=pbx)
    with caplog.at_level("WARNING", logger="freightdesk.telephony.ingest"):
        cti_api.post("/cti/events", json=ev("dialing", "z9"), headers=pbx)
        with time_machine.travel(T0 + timedelta(hours=5), tick=False):
            cti_api.post("/cti/events", json=inbound()[3], headers=pbx)
    refusals = [r.getMessage() for r in caplog.records if "CTI event refused" in r.getMessage()]
    assert len(refusals) == 2
    assert "(invalid)" in refusals[0] and "'dialing'" in refusals[0]
    assert "(call_closed)" in refusals[1]


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_the_same_events_store_each_once(demo):
    """Two connections (the PBX retrying while its first request is still running) deliver overlapping events
    for the same calls at the same time: every event is stored once and every call converges."""
    import threading

    from django.db import connection

    from freightdesk.telephony.ingest import ingest_events

    events = [e for i in range(20) for e in inbound(f"cc{i}")]
    barrier = threading.Barrier(3)
    errors = []

    def deliver(payloads):
        try:
            barrier.wait()
            for i in range(0, len(payloads), 10):
                ingest_events(payloads[i : i + 10], now=T0 + timedelta(minutes=10))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=deliver, args=(events,)),
        threading.Thread(target=deliver, args=(list(reversed(events)),)),
        threading.Thread(target=deliver, args=(events[::2] + events[1::2],)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert CallEvent.objects.count() == 80 and Call.objects.count() == 20
    assert set(Call.objects.values_list("state", "talk_seconds", "ring_seconds")) == {("ended", 120, 8)}


# --- what a device sends: cleaned, never a 500 ------------------------------------------------------------------
@pytest.mark.django_db
def test_a_time_without_offset_is_read_in_shanghai(cti_api, pbx):
    naive = (T0.replace(tzinfo=None)).isoformat()
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        r = cti_api.post("/cti/events", json={**ev("ringing"), "at": naive}, headers=pbx)
    assert r.status_code == 200, r.json()
    assert Call.objects.get(call_id="a1b2").ringing_at == T0


@pytest.mark.django_db
def test_control_characters_from_the_pbx_are_removed_and_the_event_kept(cti_api, pbx):
    ring = {**inbound()[0], "queue": "or\x00ders\x1b", "to": "4008001234\x00"}
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        r = cti_api.post("/cti/events", json=ring, headers=pbx)
    assert r.status_code == 200, r.json()
    call = Call.objects.get(call_id="a1b2")
    assert (call.queue, call.to_number) == ("orders", "4008001234")


@pytest.mark.django_db
def test_one_poisoned_event_in_a_batch_is_refused_in_its_item_and_the_rest_stored(cti_api, pbx):
    poisoned = {**ev("hangup", "b2"), "cause": "\ud800", "queue": "\x00"}
    naive_bad = {**ev("ringing", "b3"), "at": "2026-11-23"}
    events = [inbound("b1")[0], poisoned, naive_bad, inbound("b1")[1]]
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        r = post_batch(cti_api, pbx, events)
    assert r.status_code == 200, r.content
    results = r.json()["results"]
    assert [item["status"] for item in results] == [200, 422, 422, 200]
    assert list(results[1]["errors"]) == ["cause"] and list(results[2]["errors"]) == ["at"]
    assert CallEvent.objects.filter(call__call_id="b1").count() == 2
    assert not Call.objects.filter(call_id__in=["b2", "b3"]).exists()


@pytest.mark.django_db
def test_an_extension_no_agent_has_is_kept_on_the_call_but_not_in_the_agent_report(cti_api, pbx):
    from freightdesk.telephony.selectors import call_stats

    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        for payload in inbound("k1", agent="8011") + inbound("k2", agent="9999"):
            assert cti_api.post("/cti/events", json=payload, headers=pbx).status_code == 200
    assert Call.objects.get(call_id="k2").agent_code == "9999"
    rows = call_stats(T0 - timedelta(hours=1), T0 + timedelta(hours=1), "agent")
    assert [row["key"] for row in rows] == ["8011"]
