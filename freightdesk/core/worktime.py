"""Deadlines (placeholder until the deadline engine of issue 3 lands): clock minutes only."""

from datetime import datetime, timedelta

POLICY_MINUTES = {"review": 30, "dispatch": 3}


def deadline_for(code: str, start: datetime) -> datetime:
    return start + timedelta(minutes=POLICY_MINUTES[code])
