"""Click-to-call through Asterisk (telephony/dialing.py is FreightDesk's side): the bridge claims the agents'
dial requests and sends each to the PBX as an AMI ``Originate``, then reports the PBX's answer."""

from __future__ import annotations

import asyncio
import logging

logger = logging.getLogger(__name__)

# Asterisk's OriginateResponse "Reason" (the far end's state when the originate ended).
ORIGINATE_REASONS = {"0": "no such extension", "1": "no answer", "3": "no answer", "5": "busy", "8": "congestion"}


class DialPoller:
    """Asks FreightDesk for click-to-call requests every ``interval`` seconds (``POST {api_url}/cti/dials/claim``;
    asking is also how FreightDesk knows a PBX is connected), sends each to Asterisk as an asynchronous
    ``Originate`` — the agent's extension (``channel``, e.g. ``PJSIP/{agent}``) rings first, and when he picks up
    Asterisk dials the number in ``context`` — and reports the PBX's answer (``POST …/cti/dials/{id}/result``).
    Each Originate runs on its own, so a phone ringing for 30 seconds holds up no other agent's click."""

    def __init__(
        self,
        manager,
        api_url: str,
        token: str,
        *,
        channel: str = "PJSIP/{agent}",
        context: str = "from-internal",
        ring_seconds: int = 30,
        interval: float = 1.0,
        timeout: float = 10.0,
    ):
        self.manager = manager
        self.api_url = api_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}"}
        self.channel, self.context, self.ring_seconds = channel, context, ring_seconds
        self.interval, self.timeout = interval, timeout
        self.dialled = self.failed = 0

    def action(self, request: dict) -> dict:
        """The AMI action for one request; the agent's phone shows the number it is about to call."""
        return {
            "Action": "Originate",
            "Channel": self.channel.format(agent=request["agent"]),
            "Context": self.context,
            "Exten": request["dial"],
            "Priority": "1",
            "CallerID": f'"{request["dial"]}" <{request["agent"]}>',
            "Timeout": str(self.ring_seconds * 1000),
            "Async": "true",
            "Variable": f"FREIGHTDESK_DIAL={request['id']}",
        }

    async def originate(self, request: dict) -> tuple[bool, str]:
        """Send the Originate and wait for Asterisk's answer: with Async the "queued" response, then the
        OriginateResponse event once the agent's phone was answered (Success) or not (Failure and its Reason)."""
        try:
            answer = await self.manager.send_action(self.action(request))
        except Exception as exc:  # the PBX went away mid-action: the agent is told, the poller goes on
            return False, f"{type(exc).__name__}: {exc}"[:200]
        last = answer[-1] if isinstance(answer, list) else answer
        if last.get("Response") == "Success":
            return True, ""
        reason = last.get("Reason", "")
        return False, (ORIGINATE_REASONS.get(reason) or last.get("Message") or f"reason {reason}")[:200]

    async def _post(self, session, path: str, body: dict | None = None):
        import aiohttp

        try:
            async with session.post(
                self.api_url + path, json=body or {}, headers=self.headers, timeout=aiohttp.ClientTimeout(self.timeout)
            ) as response:
                return response.status, await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            logger.warning("FreightDesk unreachable at %s (%s)", self.api_url + path, exc)
            return None, None

    async def dial(self, session, request: dict) -> None:
        ok, detail = await self.originate(request)
        if ok:
            self.dialled += 1
        else:
            self.failed += 1
            logger.warning("Originate %s -> %s refused: %s", request["agent"], request["dial"], detail)
        await self._post(session, f"/cti/dials/{request['id']}/result", {"ok": ok, "detail": detail})

    async def poll_once(self, session, *, wait: bool = True) -> int:
        """Claim the waiting requests and originate each; with ``wait`` until every one has its answer."""
        status, body = await self._post(session, "/cti/dials/claim")
        if status != 200:
            if status is not None:
                logger.error("FreightDesk refused the dial-request poll (HTTP %s)", status)
            return 0
        tasks = [asyncio.ensure_future(self.dial(session, request)) for request in body["dials"]]
        if wait and tasks:
            await asyncio.gather(*tasks)
        return len(tasks)

    async def run(self, session) -> None:
        while True:
            await self.poll_once(session, wait=False)
            await asyncio.sleep(self.interval)
