"""Deadline policies and working-day overrides from the database (SPEC §5–§7; admin-editable data)."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from freightdesk.core import worktime
from freightdesk.core.models import DeadlinePolicy, WorkingDayOverride
from freightdesk.core.worktime import TZ

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture(autouse=True)
def fresh_calendar():
    # The calendar is cached per process; rows of a rolled-back test must not leak into the next.
    worktime.invalidate(broadcast=False)
    yield
    worktime.invalidate(broadcast=False)


def test_seeded_policies_match_the_spec():
    rows = {p.code: (p.minutes, p.basis, p.due_at_opening_when_closed) for p in DeadlinePolicy.objects.all()}
    assert rows["review"] == (30, "working", True)
    assert rows["dispatch"] == (3, "clock", False)
    assert rows["pickup"] == (30, "working", False)
    assert rows["callback"] == (120, "working", False)


def test_web_order_on_friday_evening_is_due_for_review_monday_0830():
    assert worktime.deadline_for("review", at("2026-11-20 20:00")) == at("2026-11-23 08:30")


def test_web_order_at_1720_is_due_for_review_0850_next_working_day():
    assert worktime.deadline_for("review", at("2026-11-19 17:20")) == at("2026-11-20 08:50")


def test_dispatch_is_due_three_clock_minutes_after_confirmation():
    assert worktime.deadline_for("dispatch", at("2026-11-21 23:00")) == at("2026-11-21 23:03")


def test_callback_counts_two_working_hours():
    assert worktime.deadline_for("callback", at("2026-11-23 16:30")) == at("2026-11-24 09:30")


def test_edited_policy_is_used_after_commit(django_capture_on_commit_callbacks):
    assert worktime.deadline_for("review", at("2026-11-23 10:00")) == at("2026-11-23 10:30")
    with django_capture_on_commit_callbacks(execute=True):
        policy = DeadlinePolicy.objects.get(code="review")
        policy.minutes = 45
        policy.save()
    assert worktime.deadline_for("review", at("2026-11-23 10:00")) == at("2026-11-23 10:45")


def test_saturday_extra_shift_entered_in_admin_is_honoured(django_capture_on_commit_callbacks):
    assert worktime.deadline_for("review", at("2026-11-20 20:00")) == at("2026-11-23 08:30")  # cached, no shift
    with django_capture_on_commit_callbacks(execute=True):
        WorkingDayOverride.objects.create(
            date=date(2026, 11, 21), is_working=True, opens_at=time(9, 0), closes_at=time(12, 0), note="extra shift"
        )
    assert worktime.deadline_for("review", at("2026-11-20 20:00")) == at("2026-11-21 09:00")
    assert worktime.is_working_time(at("2026-11-21 11:00"))


def test_deleted_override_stops_applying(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = WorkingDayOverride.objects.create(date=date(2026, 11, 23), is_working=False, note="closed")
    assert worktime.deadline_for("review", at("2026-11-20 20:00")) == at("2026-11-24 08:30")
    with django_capture_on_commit_callbacks(execute=True):
        row.delete()
    assert worktime.deadline_for("review", at("2026-11-20 20:00")) == at("2026-11-23 08:30")


def test_date_in_2027_uses_the_computed_statutory_holidays_and_never_raises():
    assert worktime.deadline_for("review", at("2027-03-05 20:00")) == at("2027-03-08 08:30")  # Fri -> Mon
    assert worktime.add_working_minutes(at("2026-12-31 17:20"), 30) == at("2027-01-04 08:50")  # over New Year
    assert worktime.working_minutes_between(at("2027-01-01 08:30"), at("2027-01-01 17:30")) == 0  # New Year
    assert worktime.working_minutes_between(at("2027-01-04 08:30"), at("2027-01-04 17:30")) == 540
    assert worktime.next_opening(at("2027-01-02 12:00")) == at("2027-01-04 08:30")


def test_2027_is_uncovered_until_its_official_schedule_is_entered(django_capture_on_commit_callbacks):
    assert worktime.uncovered_years([2026, 2027]) == [2027]
    with django_capture_on_commit_callbacks(execute=True):
        WorkingDayOverride.objects.create(date=date(2027, 1, 1), is_working=True, note="ordinary Friday")
    assert worktime.uncovered_years([2027]) == [2027]  # an ordinary override is not the schedule
    with django_capture_on_commit_callbacks(execute=True):
        WorkingDayOverride.objects.create(
            date=date(2027, 2, 11), is_working=False, official_schedule=True, note="Spring Festival"
        )
    assert worktime.uncovered_years([2026, 2027]) == []
    assert not worktime.is_working_time(at("2027-02-11 10:00"))


def test_missing_policy_row_falls_back_to_the_built_in_default(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        DeadlinePolicy.objects.filter(code="review").delete()
    assert worktime.deadline_for("review", at("2026-11-20 20:00")) == at("2026-11-23 08:30")


def test_unknown_policy_code_is_a_programming_error():
    with pytest.raises(LookupError):
        worktime.deadline_for("no-such-policy", at("2026-11-23 10:00"))


def test_closed_day_with_opening_hours_is_refused():
    row = WorkingDayOverride(date=date(2026, 11, 21), is_working=False, opens_at=time(9, 0))
    with pytest.raises(ValidationError):
        row.full_clean()


def test_override_closing_before_opening_is_refused():
    row = WorkingDayOverride(date=date(2026, 11, 21), is_working=True, opens_at=time(12, 0), closes_at=time(9, 0))
    with pytest.raises(ValidationError) as exc:
        row.full_clean()
    assert "closes_at" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_working_hours_come_from_settings(settings):
    settings.WORKING_HOURS = ("09:00", "18:00")
    worktime.invalidate(broadcast=False)
    assert worktime.deadline_for("review", at("2026-11-20 20:00")) == at("2026-11-23 09:00")
    assert worktime.add_working_minutes(at("2026-11-23 17:50"), 30) == at("2026-11-24 09:20")
