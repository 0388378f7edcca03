"""Event helpers: a call's events as the platform sends them."""

from datetime import datetime, timedelta

from freightdesk.core.worktime import TZ

T0 = datetime(2026, 11, 23, 9, 15, 2, tzinfo=TZ)  # a Monday morning, working time


def ev(event, call_id="a1b2", offset=0, **extra):
    payload = {"event": event, "call_id": call_id, "at": (T0 + timedelta(seconds=offset)).isoformat()}
    payload.update(extra)
    return payload


def inbound(call_id="a1b2", caller="13800138000", agent="8011"):
    """ringing, answered after 8 s, normal hangup after a 2-minute conversation, recording."""
    return [
        ev("ringing", call_id, 0, direction="in", **{"from": caller, "to": "4008001234"}, agent=agent, queue="orders"),
        ev("answered", call_id, 8, agent=agent),
        ev("hangup", call_id, 128, cause="normal"),
        ev("recording", call_id, 130, url="https://pbx.example.com/rec/a1b2.mp3"),
    ]


def missed(call_id="m1", caller="13800138000", cause="cancelled"):
    return [
        ev("ringing", call_id, 0, direction="in", **{"from": caller, "to": "4008001234"}, agent="8011"),
        ev("hangup", call_id, 25, cause=cause),
    ]
