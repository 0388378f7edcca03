"""Admin pages for the working calendar: the warning about a year without a holiday schedule."""

from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from freightdesk.core import worktime
from freightdesk.core.models import DeadlinePolicy, WorkingDayOverride

pytestmark = pytest.mark.django_db

WARNING = "The official holiday schedule for 2027 is not loaded"


@pytest.fixture(autouse=True)
def fresh_calendar():
    worktime.invalidate(broadcast=False)
    yield
    worktime.invalidate(broadcast=False)


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("calendar-admin", "a@example.com", "pw-calendar-admin")
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
@pytest.mark.parametrize(
    "url", ["admin:index", "admin:core_workingdayoverride_changelist", "admin:core_deadlinepolicy_changelist"]
)
def test_admin_pages_warn_about_next_year_without_a_schedule(admin_client, url):
    response = admin_client.get(reverse(url))
    assert response.status_code == 200
    assert WARNING in response.content.decode()


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_warning_disappears_once_the_official_schedule_is_entered(admin_client):
    response = admin_client.post(
        reverse("admin:core_workingdayoverride_add"),
        {
            "date": "2027-02-11",
            "is_working": "",
            "opens_at": "",
            "closes_at": "",
            "official_schedule": "on",
            "note": "Spring Festival",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert WorkingDayOverride.objects.filter(date=date(2027, 2, 11), official_schedule=True).exists()
    assert WARNING not in admin_client.get(reverse("admin:index")).content.decode()
    assert not worktime.is_working_time(datetime(2027, 2, 11, 10, tzinfo=worktime.TZ))  # a Thursday, now closed


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_no_warning_while_the_library_covers_the_year(admin_client):
    assert "No statutory holiday schedule" not in admin_client.get(reverse("admin:index")).content.decode()


def test_mark_official_action_sets_the_flag(admin_client, django_capture_on_commit_callbacks):
    row = WorkingDayOverride.objects.create(date=date(2027, 10, 1), is_working=False, note="National Day")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:core_workingdayoverride_changelist"),
            {"action": "mark_official", "_selected_action": [row.pk]},
        )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.official_schedule
    assert worktime.uncovered_years([2027]) == []


def test_policy_code_cannot_be_renamed_in_admin(admin_client):
    policy = DeadlinePolicy.objects.get(code="review")
    response = admin_client.post(
        reverse("admin:core_deadlinepolicy_change", args=[policy.pk]),
        {
            "code": "renamed",
            "name": policy.name,
            "minutes": "40",
            "basis": "working",
            "due_at_opening_when_closed": "on",
        },
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.code, policy.minutes) == ("review", 40)
