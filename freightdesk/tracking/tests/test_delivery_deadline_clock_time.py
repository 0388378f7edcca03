"""QA sweep question, answered: an expected delivery at 22:17 the next day is right. SPEC §7 makes the delivery
deadline the customer's requirement, else the route's standard transit time (§8: the company's transit-time
table) — road time, which runs round the clock (24 h = the next day at the same time, not three working days).
Working time rules the desk's own deadlines (review, pickup arrangement, callbacks: core.worktime policies), and
the desk's follow-up of a late delivery keeps to it: it is checked at the first check time of a working day
after the deadline."""

import pytest
import time_machine

from freightdesk.followups.models import FollowUp
from freightdesk.tracking import status
from freightdesk.tracking.models import Shipment, Source

from .conftest import at

pytestmark = pytest.mark.django_db


def test_an_evening_pickup_is_due_the_next_evening_and_checked_on_the_next_working_day(dispatched, agent):
    with time_machine.travel(at(27, 16, 0), tick=False):  # Friday afternoon
        order = dispatched(at(27, 16, 0))
    with time_machine.travel(at(27, 22, 17), tick=False):  # the driver reports the pickup at 22:17
        status.report_event(order=order, type="picked_up", at=at(27, 22, 17), source=Source.DRIVER_LINK)
    assert Shipment.objects.get(order=order).delivery_due_at == at(28, 22, 17)  # + 24 h of road, Saturday 22:17
    check = FollowUp.objects.get(order=order, kind="delivery_check")
    assert check.deadline == at(28, 22, 17) and check.due_at == at(30, 10, 0)  # the desk checks Monday 10:00
