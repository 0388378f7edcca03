"""Supervisors and admins keep the working calendar: while a year has no official holiday schedule (this
year, or next year from 1 November on) the home page warns them, not only the admin pages."""

from datetime import date

import pytest
import time_machine

from freightdesk.core import worktime
from freightdesk.core.models import WorkingDayOverride

pytestmark = pytest.mark.django_db

WARNING = "The official holiday schedule for 2027 is not loaded"


@pytest.fixture(autouse=True)
def fresh_calendar():
    worktime.invalidate(broadcast=False)
    yield
    worktime.invalidate(broadcast=False)


def home_page_text(client, user) -> str:
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client.get("/", follow=True).content.decode()


@time_machine.travel("2026-11-01 09:00 +0800", tick=False)
@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisors_and_admins_are_warned_on_the_home_page_from_november(client, user_for, role):
    assert WARNING in home_page_text(client, user_for(role))


@time_machine.travel("2026-10-31 18:00 +0800", tick=False)
def test_no_warning_before_november(client, user_for):
    assert WARNING not in home_page_text(client, user_for("supervisor"))


@time_machine.travel("2026-11-23 09:00 +0800", tick=False)
@pytest.mark.parametrize("role", ["agent", "manager"])
def test_others_are_not_warned(client, user_for, role):
    assert WARNING not in home_page_text(client, user_for(role))


@time_machine.travel("2026-11-23 09:00 +0800", tick=False)
def test_no_warning_once_the_official_schedule_is_entered(client, user_for):
    WorkingDayOverride.objects.create(date=date(2027, 2, 11), is_working=False, official_schedule=True)
    assert WARNING not in home_page_text(client, user_for("supervisor"))
