"""Issue 8 part 6: an Asterisk PBX connects through the AMI bridge. A recorded AMI stream (an answered
call, a missed call, a blind transfer and the outbound callback — fixtures/ami_stream.txt) is replayed
through panoramisk's own protocol parser with ``panoramisk.testing.Manager``, as panoramisk's tests do."""

import asyncio
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from panoramisk import testing, utils

from freightdesk.core import worktime
from freightdesk.followups.models import FollowUp
from freightdesk.telephony import callbacks
from freightdesk.telephony.ami import AmiBridge, AmiTranslator, ApiSink
from freightdesk.telephony.ingest import ingest_events
from freightdesk.telephony.models import Call

from .factories import T0

STREAM = Path(__file__).parent / "fixtures" / "ami_stream.txt"
RECORDINGS = "https://pbx.example.com/monitor"


def returned_by(missed_call) -> str:
    """The note of the missed call's closed callback: which call returned it."""
    [promise] = FollowUp.objects.filter(kind="missed_call", subject_id=missed_call.pk, outcome="called_back")
    return promise.note


class ListSink:
    def __init__(self):
        self.events = []

    def put(self, events):
        self.events.extend(events)


def replay(sink, stream: bytes | None = None, chunk: int = 700):
    """Log in as panoramisk.testing does (the stream's login answer), then feed the whole recorded stream to
    the protocol in TCP-sized pieces; the Manager parses and dispatches every event to the bridge."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # testing.Manager makes its futures on the current loop
    eol, utils.EOL = utils.EOL, "\n"  # the recording's line ends; testing.Manager sets it only after logging in
    try:
        manager = testing.Manager(loop=loop, username="freightdesk", secret="x", stream=str(STREAM))
        assert manager.authenticated_future.result().success
        AmiBridge(manager, AmiTranslator(recording_url=RECORDINGS), sink)
        data = STREAM.read_bytes() if stream is None else stream
        for i in range(0, len(data), chunk):
            manager.protocol.data_received(data[i : i + chunk])
        loop.run_until_complete(asyncio.sleep(0))  # what the events scheduled on the loop (FullyBooted) runs
        manager.close()
    finally:
        utils.EOL = eol
        asyncio.set_event_loop(None)
        loop.close()
    return sink


def at(seconds: float) -> str:
    return (T0 + timedelta(seconds=seconds)).isoformat()


def test_recorded_stream_becomes_the_cti_events_of_each_call():
    events = replay(ListSink()).events
    a, b, c, d = "1795396502.101", "1795396710.201", "1795397105.301", "1795397400.401"
    assert events == [
        # answered: 王先生 rings 8011 through the "orders" queue, answered, recorded, normal hangup
        {
            "event": "ringing",
            "call_id": a,
            "at": at(0.3),
            "direction": "in",
            "from": "13800138000",
            "to": "4008001234",
            "agent": "8011",
            "queue": "orders",
        },
        {"event": "answered", "call_id": a, "at": at(8.16), "agent": "8011"},
        {
            "event": "recording",
            "call_id": a,
            "at": at(8.2),
            "url": f"{RECORDINGS}/q-orders-13800138000-20261123-091502-{a}.wav",
        },
        {"event": "hangup", "call_id": a, "at": at(128.45), "cause": "normal"},
        # missed: the landline rings 8012 for 25 s, the caller gives up (DialStatus CANCEL)
        {
            "event": "ringing",
            "call_id": b,
            "at": at(208.5),
            "direction": "in",
            "from": "02188887777",
            "to": "4008001234",
            "agent": "8012",
            "queue": "orders",
        },
        {"event": "hangup", "call_id": b, "at": at(233.7), "cause": "cancelled"},
        # transferred: 8011 answers, blind-transfers to 8012 who answers; 8011's hangup does not end the call
        {
            "event": "ringing",
            "call_id": c,
            "at": at(603.5),
            "direction": "in",
            "from": "13900139000",
            "to": "4008001234",
            "agent": "8011",
        },
        {"event": "answered", "call_id": c, "at": at(607.03), "agent": "8011"},
        {
            "event": "ringing",
            "call_id": c,
            "at": at(667.5),
            "direction": "in",
            "from": "13900139000",
            "to": "4008001234",
            "agent": "8012",
        },
        {"event": "answered", "call_id": c, "at": at(673.02), "agent": "8012"},
        {"event": "hangup", "call_id": c, "at": at(793.1), "cause": "normal"},
        # outbound: 8011 calls the missed landline back; the far end rings and answers
        {
            "event": "ringing",
            "call_id": d,
            "at": at(899.0),
            "direction": "out",
            "from": "8011",
            "to": "02188887777",
            "agent": "8011",
        },
        {"event": "answered", "call_id": d, "at": at(910.03), "agent": "8011"},
        {"event": "hangup", "call_id": d, "at": at(970.01), "cause": "normal"},
    ]


def test_any_split_of_the_tcp_stream_gives_the_same_events():
    whole = replay(ListSink(), chunk=10**7).events
    for chunk in (1, 37, 512):
        assert replay(ListSink(), chunk=chunk).events == whole


@pytest.mark.django_db
def test_replayed_calls_converge_to_the_right_records_and_the_callback_is_closed(demo):
    with time_machine.travel(T0 + timedelta(minutes=20), tick=False):
        results = ingest_events(replay(ListSink()).events)
    assert not [r for r in results if not hasattr(r, "call")]
    answered = Call.objects.get(call_id="1795396502.101")
    assert (answered.state, answered.agent.username, answered.queue, answered.cause) == (
        "ended",
        "8011",
        "orders",
        "normal",
    )
    assert (answered.ring_seconds, answered.talk_seconds) == (7, 120)
    assert answered.recording_url.endswith("1795396502.101.wav")
    missed = Call.objects.get(call_id="1795396710.201")
    assert missed.customer.name == "华东汽配公司" and missed.answered_at is None and missed.cause == "cancelled"
    [promise] = FollowUp.objects.filter(kind="missed_call", subject_id=missed.pk)  # kept by the outbound call below
    assert promise.deadline == worktime.deadline_for("callback", missed.ended_at)
    transferred = Call.objects.get(call_id="1795397105.301")
    assert (transferred.agent_code, transferred.transfers, transferred.talk_seconds) == ("8012", 1, 186)
    outbound = Call.objects.get(call_id="1795397400.401")
    assert (outbound.direction, outbound.customer_number, callbacks.due_at(outbound)) == ("out", "+862188887777", None)
    assert callbacks.pending(missed) is None and returned_by(missed) == f"call {outbound.call_id}"


def test_events_of_a_call_that_began_before_the_bridge_started_are_skipped():
    text = STREAM.read_text()
    first_call_started = text.index("Event: Newchannel")
    # drop the first call's Newchannel: the bridge joined mid-call and cannot tell who is calling
    without = text[:first_call_started] + text[text.index("\n\n", first_call_started) + 2 :]
    events = replay(ListSink(), without.encode()).events
    assert "1795396502.101" not in {e["call_id"] for e in events}
    assert len(events) == 10


def test_hangup_cause_when_nobody_answered():
    from freightdesk.telephony.ami import _Call

    assert AmiTranslator.cause(_Call("x", dial_status="BUSY"), "17") == "busy"
    assert AmiTranslator.cause(_Call("x", dial_status="NOANSWER"), "16") == "no_answer"
    assert AmiTranslator.cause(_Call("x"), "19") == "no_answer"
    assert AmiTranslator.cause(_Call("x"), "16") == "cancelled"
    assert AmiTranslator.cause(_Call("x"), "34") == "failed"
    assert AmiTranslator.cause(_Call("x", answered=True, dial_status="CANCEL"), "34") == "normal"


# --- through the API, as ``manage.py ami_bridge`` posts ------------------------------------------------
def shifted(now) -> bytes:
    """The recorded stream moved to ``now`` (the API refuses events hours old)."""
    offset = now.timestamp() - T0.timestamp() - 1000
    return re.sub(
        rb"Timestamp: ([0-9.]+)", lambda m: b"Timestamp: %.6f" % (float(m.group(1)) + offset), STREAM.read_bytes()
    )


def post_all(sink):
    import aiohttp

    async def go():
        async with aiohttp.ClientSession() as session:
            return await sink.send_once(session)

    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(go())
    finally:
        loop.close()


@pytest.mark.django_db(transaction=True)
def test_bridge_posts_the_stream_to_the_api_and_keeps_events_while_freightdesk_is_away(live_server, token_for, caplog):
    from django.utils import timezone

    sink = ApiSink("http://127.0.0.1:9/api/v1", token_for("pbx", "integration")["Authorization"].split()[1], timeout=2)
    replay(sink, shifted(timezone.now()))
    assert len(sink.queue) == 14
    assert post_all(sink) is False and len(sink.queue) == 14  # nothing listens on port 9: nothing is lost
    sink.url = f"{live_server.url}/api/v1/cti/events/batch"
    assert post_all(sink) is True
    assert (len(sink.queue), sink.sent, sink.refused) == (0, 14, 0)
    assert Call.objects.count() == 4
    assert Call.objects.get(call_id="1795397105.301").transfers == 1


@pytest.mark.django_db(transaction=True)
def test_bridge_with_a_bad_token_logs_an_error_and_keeps_the_events(live_server, demo, caplog):
    from django.utils import timezone

    sink = ApiSink(f"{live_server.url}/api/v1", "not-a-token")
    replay(sink, shifted(timezone.now()))
    assert post_all(sink) is False
    assert len(sink.queue) == 14 and not Call.objects.exists()
    assert "refused the bridge's token (HTTP 401)" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_bridge_over_a_real_ami_connection_posts_every_call(live_server, token_for):
    """The whole way as in production: a TCP server speaking AMI (banner, login, the recorded events with
    CRLF line ends) -> panoramisk's Manager -> translator -> ApiSink -> the live server's API."""
    import aiohttp
    from django.utils import timezone
    from panoramisk import Manager

    from freightdesk.telephony.ami import serve

    blocks = shifted(timezone.now()).split(b"\n\n")
    events = b"\r\n\r\n".join(block.replace(b"\n", b"\r\n") for block in blocks[2:])
    token = token_for("pbx", "integration")["Authorization"][7:]

    async def asterisk(reader, writer):
        writer.write(b"Asterisk Call Manager/7.0.3\r\n")
        login = await reader.readuntil(b"\r\n\r\n")
        action_id = re.search(rb"ActionID: (.+?)\r\n", login).group(1)
        assert b"Username: freightdesk" in login and b"Secret: s3cret" in login
        writer.write(b"Response: Success\r\nActionID: " + action_id + b"\r\nMessage: Authentication accepted\r\n\r\n")
        writer.write(events)
        await writer.drain()
        await reader.read()  # stay connected until the bridge leaves

    async def scenario():
        server = await asyncio.start_server(asterisk, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        manager = Manager(
            loop=asyncio.get_running_loop(),
            host="127.0.0.1",
            port=port,
            username="freightdesk",
            secret="s3cret",
            ping_delay=60,
        )
        sink = ApiSink(f"{live_server.url}/api/v1", token, linger=0.01)
        AmiBridge(manager, AmiTranslator(recording_url=RECORDINGS), sink)
        async with aiohttp.ClientSession() as session:
            task = asyncio.create_task(serve(manager, sink, session))
            for _ in range(200):
                if sink.sent >= 14:
                    break
                await asyncio.sleep(0.05)
            task.cancel()
        server.close()
        return sink

    assert utils.EOL == "\r\n"
    sink = asyncio.run(scenario())
    assert (sink.sent, sink.refused, len(sink.queue)) == (14, 0, 0)
    answered = Call.objects.get(call_id="1795396502.101")
    assert (answered.agent_code, answered.state, answered.cause) == ("8011", "ended", "normal")
    assert answered.recording_url == f"{RECORDINGS}/q-orders-13800138000-20261123-091502-1795396502.101.wav"
    assert returned_by(Call.objects.get(call_id="1795396710.201")) == "call 1795397400.401"


@pytest.mark.django_db(transaction=True)
def test_bridge_splits_a_batch_freightdesk_fails_on_and_never_resends_an_event_refused_as_bad(
    live_server, token_for, monkeypatch
):
    """One event FreightDesk fails on (a 500) no longer holds up the others: the batch goes in halves, that
    event is parked for a later try; an event refused as bad input (422 in its item) is posted once."""
    from django.utils import timezone

    from freightdesk.telephony import api as cti_module

    take = cti_module.ingest_events

    def fails_on_poison(events, **kwargs):
        if any(isinstance(e, dict) and e.get("call_id") == "poison" for e in events):
            raise RuntimeError("a bug FreightDesk has on this one event")
        return take(events, **kwargs)

    monkeypatch.setattr(cti_module, "ingest_events", fails_on_poison)
    sink = ApiSink(f"{live_server.url}/api/v1", token_for("pbx", "integration")["Authorization"][7:], timeout=5)
    replay(sink, shifted(timezone.now()))
    now = timezone.now().isoformat()
    sink.queue.insert(5, {"event": "ringing", "call_id": "poison", "at": now})
    sink.queue.insert(9, {"event": "dialing", "call_id": "bad", "at": now})
    posted = []
    post = sink._post

    async def recording(session, batch):
        posted.append([event["call_id"] for event in batch])
        return await post(session, batch)

    sink._post = recording
    assert post_all(sink) is False  # the poisoned event is parked; the events before it went
    assert [e["call_id"] for e in sink.queue][0] != "poison" and len(sink.parked) == 1
    assert post_all(sink) is True
    assert (len(sink.queue), sink.refused, sink.given_up) == (0, 1, 0)
    assert Call.objects.count() == 4 and not Call.objects.filter(call_id__in=["poison", "bad"]).exists()
    # once in the whole batch FreightDesk failed on, then once more, answered "refused": never again
    assert len(posted[0]) == 16 and [batch for batch in posted[1:] if "bad" in batch] == [posted[-1]]
    assert max(len(batch) for batch in posted) == 16 and min(len(batch) for batch in posted) == 1


def test_ami_bridge_command_needs_the_secret_and_the_token(monkeypatch):
    from django.core.management import CommandError, call_command

    monkeypatch.delenv("FREIGHTDESK_CTI_TOKEN", raising=False)
    monkeypatch.delenv("FREIGHTDESK_AMI_SECRET", raising=False)
    with pytest.raises(CommandError, match="--secret"):
        call_command("ami_bridge", "--host", "127.0.0.1")
