"""SLA deadlines (SPEC §10 table 2): a policy row + a start time -> due and reminder instants.

Each SLA row's deadline is a row of the one deadline-policy table (``core.DeadlinePolicy``), computed by the one
deadline engine (``core.worktime``): working-time policies through the calendar, clock-time policies (the 3- and
5-minute answers, emergencies) in wall-clock minutes.
"""

from dataclasses import replace
from datetime import datetime

from freightdesk.core import worktime

from .models import SlaPolicy


def due_at(policy: SlaPolicy, start: datetime) -> datetime:
    return worktime.deadline_for(policy.deadline.code, start)


def remind_at(policy: SlaPolicy, start: datetime) -> datetime | None:
    """The instant to remind the owner: `remind_before_minutes` before the deadline, never before the start."""
    if not policy.remind_before_minutes:
        return None
    rule = worktime.policy_rule(policy.deadline.code)
    lead = replace(rule, minutes=max(rule.minutes - policy.remind_before_minutes, 0))
    return worktime.get_calendar().deadline(lead, start)


def policy_for(category: str, subcategory: str) -> SlaPolicy | None:
    return (
        SlaPolicy.objects.select_related("deadline")
        .filter(category=category, subcategory=subcategory, active=True)
        .first()
    )
