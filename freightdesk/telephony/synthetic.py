"""A day of synthetic calls, as a phone platform would report them (demos, load and browser tests).

``synthetic_day`` plans N calls over the working day (8:30–17:30, busiest mid-morning and mid-afternoon)
— answered, missed (caller gave up, no answer, busy), transferred, outbound callbacks to the missed
callers, the odd withheld number — and returns each CTI event with its offset in seconds from the start
of the day. ``manage.py play_calls`` sends them to a running server, the clock sped up ``speed`` times.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

DAY_SECONDS = 9 * 3600  # 8:30–17:30
# Relative call volume per half hour from 8:30 (a freight desk: orders in the morning, queries after lunch).
HALF_HOURS = [3, 6, 8, 9, 9, 8, 7, 5, 3, 3, 5, 7, 8, 8, 7, 6, 4, 2]
SERVICE_NUMBER = "4008001234"


@dataclass(frozen=True, slots=True)
class Planned:
    offset: float  # seconds from the start of the day
    event: dict  # the CTI event without "at" (stamped when sent)


def _start(rng: random.Random) -> float:
    slot = rng.choices(range(len(HALF_HOURS)), weights=HALF_HOURS)[0]
    return slot * 1800 + rng.uniform(0, 1800)


def synthetic_day(
    calls: int, numbers: list[str], agents: list[str], *, seed: int | None = None, prefix: str = "demo"
) -> list[Planned]:
    """``numbers``: callers to draw from (the demo customers' numbers, so pops show real orders); one call in
    ten comes from an unknown mobile, one in fifty withheld. ``agents``: agent ids (工号) who take calls."""
    rng = random.Random(seed)
    plan: list[Planned] = []
    missed: list[tuple[float, str]] = []
    for i in range(calls):
        cid, t = f"{prefix}-{i:05d}", _start(rng)
        kind = rng.choices(["answered", "missed", "transferred", "callback"], weights=[70, 15, 5, 10])[0]
        if kind == "callback" and missed:
            when, number = missed.pop(0)
            plan += _outbound(cid, max(t, when + 60), number, rng.choice(agents), rng)
            continue
        caller = _caller(rng, numbers)
        agent = rng.choice(agents)
        ring = {
            "event": "ringing",
            "call_id": cid,
            "direction": "in",
            "from": caller,
            "to": SERVICE_NUMBER,
            "agent": agent,
            "queue": rng.choice(["orders", "orders", "service"]),
        }
        plan.append(Planned(t, ring))
        if kind == "missed":
            waited = rng.uniform(8, 40)
            cause = rng.choices(["cancelled", "no_answer", "busy"], weights=[7, 2, 1])[0]
            plan.append(Planned(t + waited, {"event": "hangup", "call_id": cid, "cause": cause}))
            if caller != "anonymous":
                missed.append((t + waited, caller))
            continue
        plan += _answered(cid, t, ring, agents, transferred=kind == "transferred", rng=rng)
    return sorted(plan, key=lambda p: p.offset)


def _caller(rng: random.Random, numbers: list[str]) -> str:
    """A demo customer's number, one call in ten from an unknown mobile, one in fifty withheld."""
    roll = rng.random()
    if roll < 0.02:
        return "anonymous"
    if roll < 0.12:
        return f"139{rng.randint(10**7, 10**8 - 1)}"
    return rng.choice(numbers)


def _answered(
    cid: str, t: float, ring: dict, agents: list[str], *, transferred: bool, rng: random.Random
) -> list[Planned]:
    """An answered call: talk, perhaps a transfer to another agent, hang-up and the recording."""
    agent = ring["agent"]
    answered = t + rng.uniform(2, 20)
    talk = rng.uniform(40, 420)
    plan = [Planned(answered, {"event": "answered", "call_id": cid, "agent": agent})]
    if transferred and len(agents) > 1:
        other = rng.choice([a for a in agents if a != agent])
        moved = answered + rng.uniform(20, 90)
        plan.append(Planned(moved, {**ring, "agent": other}))
        plan.append(Planned(moved + rng.uniform(3, 12), {"event": "answered", "call_id": cid, "agent": other}))
    plan.append(Planned(answered + talk, {"event": "hangup", "call_id": cid, "cause": "normal"}))
    recording = {"event": "recording", "call_id": cid, "url": f"https://pbx.example.com/monitor/{cid}.wav"}
    plan.append(Planned(answered + talk + 2, recording))
    return plan


def _outbound(cid: str, t: float, number: str, agent: str, rng: random.Random) -> list[Planned]:
    ring = {"event": "ringing", "call_id": cid, "direction": "out", "from": agent, "to": number, "agent": agent}
    if rng.random() < 0.2:  # nobody picks up
        return [Planned(t, ring), Planned(t + 30, {"event": "hangup", "call_id": cid, "cause": "no_answer"})]
    answered = t + rng.uniform(4, 15)
    return [
        Planned(t, ring),
        Planned(answered, {"event": "answered", "call_id": cid, "agent": agent}),
        Planned(answered + rng.uniform(30, 180), {"event": "hangup", "call_id": cid, "cause": "normal"}),
    ]
