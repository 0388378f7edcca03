"""Deadlines in a year chinese_calendar does not know yet: the statutory holidays the holidays package
computes, plus the admin's adjusted days (SPEC §2, §5)."""

from datetime import date, datetime

import pytest
import time_machine

from freightdesk.core import worktime
from freightdesk.core.models import WorkingDayOverride

from .conftest import example_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    worktime.invalidate(broadcast=False)
    yield
    worktime.invalidate(broadcast=False)


def review_due(api) -> datetime:
    with time_machine.travel("2027-09-30 20:00 +0800", tick=False):
        response = api.post("/orders", example_order(channel="web"))
    assert response.status_code == 201, response.content
    return datetime.fromisoformat(response.json()["review_due_at"])


def test_a_web_order_on_the_eve_of_national_day_2027_is_due_when_work_resumes(api):
    assert review_due(api) == datetime(2027, 10, 6, 8, 30, tzinfo=worktime.TZ)


def test_the_admins_extra_days_off_move_it_further(api):
    for day in (6, 7):
        WorkingDayOverride.objects.create(date=date(2027, 10, day), is_working=False, note="National Day")
    assert review_due(api) == datetime(2027, 10, 8, 8, 30, tzinfo=worktime.TZ)
