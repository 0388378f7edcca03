"""Quiet hours for the customer's SMS (SPEC §5 customer notices): none between 21:00 and 8:00 Asia/Shanghai.
A message the customer did not just ask for waits until 8:00: it is queued with its first attempt at 8:00, and
the outbox sends it then. What he asked for a moment ago (a tracking link he requested, the confirmation of the
order he is placing on the phone, the answer in a chat he is in) goes at once."""

from datetime import datetime, time, timedelta

from freightdesk.core.worktime import TZ

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)


def in_quiet_hours(now: datetime) -> bool:
    local = now.astimezone(TZ).time()
    return not (QUIET_UNTIL <= local < QUIET_FROM)


def customer_send_at(now: datetime, *, requested: bool = False) -> datetime:
    """When a customer SMS queued at ``now`` may go: now, or the next 8:00 (Asia/Shanghai) in quiet hours."""
    if requested or not in_quiet_hours(now):
        return now
    local = now.astimezone(TZ)
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=TZ)
