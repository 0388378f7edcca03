"""Click-to-call through Asterisk (SPEC §2 外呼): FreightDesk queues the agent's click; the AMI bridge claims it over
the API, sends an asynchronous ``Originate`` (replayed through ``panoramisk.testing`` from a recorded answer, as the
bridge's other tests do) and reports Asterisk's answer back."""

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from panoramisk import testing, utils

from freightdesk.telephony.ami_dial import DialPoller
from freightdesk.telephony.dialing import BRIDGE_SEEN_KEY, claim_dials, dial, pbx_connected
from freightdesk.telephony.models import DialRequest

FIXTURES = Path(__file__).parent / "fixtures"


def poll(live_server, token, stream: str):
    """One poll of the bridge against the live server, with panoramisk's test Manager answering from ``stream``."""
    import aiohttp

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    eol = utils.EOL
    try:
        manager = testing.Manager(loop=loop, stream=str(FIXTURES / stream))
        poller = DialPoller(manager, f"{live_server.url}/api/v1", token, channel="PJSIP/{agent}")

        async def go():
            async with aiohttp.ClientSession() as session:
                return await poller.poll_once(session)

        claimed = loop.run_until_complete(go())
        sent = b"".join(call.args[0] for call in manager.protocol.transport.write.call_args_list).decode()
        manager.close()
        return claimed, sent, poller
    finally:
        utils.EOL = eol
        asyncio.set_event_loop(None)
        loop.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "stream,result,detail",
    [("ami_originate_answered.txt", "ok", ""), ("ami_originate_busy.txt", "failed", "busy")],
)
def test_a_click_is_originated_by_the_bridge_and_its_answer_recorded(
    live_server, token_for, agent, stream, result, detail
):
    token = token_for("pbx", "integration")["Authorization"][7:]
    cache.set(BRIDGE_SEEN_KEY, timezone.now().isoformat())
    request = dial(agent=agent, number="+8613800138001", reference="outbound:1").request
    claimed, sent, poller = poll(live_server, token, stream)
    assert claimed == 1
    assert "Action: Originate" in sent and "Channel: PJSIP/8011" in sent and "Exten: 13800138001" in sent
    assert "Async: true" in sent and f"Variable: FREIGHTDESK_DIAL={request.pk}" in sent
    request.refresh_from_db()
    assert (request.result, request.detail) == (result, detail) and request.claimed_at and request.finished_at
    assert claim_dials() == []  # handed out once


@pytest.mark.django_db
def test_without_a_bridge_asking_there_is_no_pbx_and_the_agent_gets_the_tel_link(agent):
    now = timezone.now()
    assert not pbx_connected(now)
    assert dial(agent=agent, number="+8613800138001", now=now).tel == "tel:+8613800138001"
    claim_dials(now=now)
    assert pbx_connected(now + timedelta(seconds=29)) and not pbx_connected(now + timedelta(seconds=31))
    assert not DialRequest.objects.exists()


@pytest.mark.django_db
def test_a_click_older_than_a_minute_never_rings(agent):
    now = timezone.now()
    claim_dials(now=now)
    stale = dial(agent=agent, number="+8613800138001", now=now).request
    assert claim_dials(now=now + timedelta(seconds=61)) == []
    stale.refresh_from_db()
    assert stale.result == "expired"


@pytest.mark.django_db
def test_the_bridge_needs_an_integration_token_to_claim(client, token_for):
    headers = {"HTTP_AUTHORIZATION": token_for("8011")["Authorization"]}
    assert client.post("/api/v1/cti/dials/claim", "{}", content_type="application/json", **headers).status_code == 403
    integration = {"HTTP_AUTHORIZATION": token_for("pbx", "integration")["Authorization"]}
    response = client.post("/api/v1/cti/dials/999/result", {"ok": True}, content_type="application/json", **integration)
    assert response.status_code == 409
