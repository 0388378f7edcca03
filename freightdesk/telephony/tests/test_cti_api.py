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
@pytest.mark.parametrize(("payload", "field"), [
    (ev("dialing"), "event"),
    ({"event": "ringing", "from": "13800138000"}, "call_id"),
    (ev("ringing", **{"from": "drop table calls"}), "from"),
    (ev("ringing", to="4008001234;1=1"), "to"),
    (ev("hangup"), "cause"),
    (ev("hangup", cause="exploded"), "cause"),
    (ev("answered"), "agent"),
    (ev("recording", url="javascript:alert(1)"), "url"),
    ({**ev("ringing"), "at": "yesterday"}, "at"),
    ({**ev("ringing"), "at": "2026-11-23T09:15:02"}, "at"),
    (ev("ringing", offset=-4 * 3600), "at"),
    (ev("ringing", offset=3600), "at"),
])
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
    codes = [cti_api.post("/cti/events", json=ev("ringing", "fl", i, agent=str(1000 + i)), headers=pbx).status_code
             for i in range(45)]
    assert codes.count(200) == 40 and codes[-1] == 429
    assert CallEvent.objects.filter(call__call_id="fl").count() == 40
