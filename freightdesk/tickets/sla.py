"""SLA deadlines (SPEC §10 table 2): a policy row + a start time -> due and reminder instants.

Working-time policies go through the one deadline engine (core.worktime); clock-time
policies (the 3- and 5-minute answers, emergencies) count wall-clock minutes.
"""

from datetime import datetime, timedelta

from freightdesk.core import worktime

from .models import SlaPolicy, TimeBasis


def add_minutes(basis: str, start: datetime, minutes: int) -> datetime:
    if basis == TimeBasis.WORKING:
        return worktime.add_working_minutes(start, minutes)
    return start + timedelta(minutes=minutes)


def due_at(policy: SlaPolicy, start: datetime) -> datetime:
    return add_minutes(policy.time_basis, start, policy.deadline_minutes)


def remind_at(policy: SlaPolicy, start: datetime) -> datetime | None:
    """The instant to remind the owner: `remind_before_minutes` before the deadline, never before the start."""
    if not policy.remind_before_minutes:
        return None
    lead = max(policy.deadline_minutes - policy.remind_before_minutes, 0)
    return add_minutes(policy.time_basis, start, lead)


def policy_for(category: str, subcategory: str) -> SlaPolicy | None:
    return SlaPolicy.objects.filter(category=category, subcategory=subcategory, active=True).first()
