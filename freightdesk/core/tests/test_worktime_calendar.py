"""Working-time calendar and deadlines, by example (SPEC §2, §5, §6): no database."""

from datetime import UTC, date, datetime, time

import pytest

from freightdesk.core.worktime import DEFAULT_POLICIES, TZ, DayRule, PolicyRule, WorkingCalendar

REVIEW = DEFAULT_POLICIES["review"]
DISPATCH = DEFAULT_POLICIES["dispatch"]
PICKUP = DEFAULT_POLICIES["pickup"]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def cal():
    return WorkingCalendar()


def test_friday_evening_web_order_is_due_for_review_at_monday_opening(cal):
    assert cal.deadline(REVIEW, at("2026-11-20 20:00")) == at("2026-11-23 08:30")


def test_daytime_web_order_is_due_for_review_in_thirty_working_minutes(cal):
    assert cal.deadline(REVIEW, at("2026-11-23 10:05")) == at("2026-11-23 10:35")


def test_order_at_1720_with_thirty_minutes_is_due_at_0850_next_working_day(cal):
    assert cal.add_working_minutes(at("2026-11-19 17:20"), 30) == at("2026-11-20 08:50")
    assert cal.deadline(REVIEW, at("2026-11-19 17:20")) == at("2026-11-20 08:50")


def test_friday_1720_with_thirty_minutes_is_due_monday_0850(cal):
    assert cal.add_working_minutes(at("2026-11-20 17:20"), 30) == at("2026-11-23 08:50")


def test_deadline_ending_exactly_at_closing_is_due_at_closing_the_same_day(cal):
    assert cal.add_working_minutes(at("2026-11-23 17:00"), 30) == at("2026-11-23 17:30")
    assert cal.is_closing_instant(at("2026-11-23 17:30"))
    assert not cal.is_working_time(at("2026-11-23 17:30"))


def test_working_time_is_half_open_from_opening_to_closing(cal):
    assert not cal.is_working_time(at("2026-11-23 08:29:59"))
    assert cal.is_working_time(at("2026-11-23 08:30"))
    assert cal.is_working_time(at("2026-11-23 17:29:59"))
    assert not cal.is_working_time(at("2026-11-23 17:30"))


def test_night_before_national_day_is_due_at_first_working_day_after_the_holiday(cal):
    # 2026-10-01..07 are statutory holidays (chinese_calendar); 10-08 (Thursday) is the first working day.
    assert cal.deadline(REVIEW, at("2026-09-30 19:00")) == at("2026-10-08 08:30")
    assert cal.add_working_minutes(at("2026-09-30 17:20"), 30) == at("2026-10-08 08:50")
    assert not cal.is_working_time(at("2026-10-05 10:00"))  # a Monday inside the holiday


def test_adjusted_sunday_working_day_counts_as_working(cal):
    # 2026-01-04 is a Sunday worked in lieu of the New Year holiday (调休).
    assert date(2026, 1, 4).weekday() == 6
    assert cal.is_working_time(at("2026-01-04 10:00"))
    assert cal.deadline(REVIEW, at("2026-01-03 20:00")) == at("2026-01-04 08:30")


def test_adjusted_saturday_working_day_counts_as_working(cal):
    assert cal.deadline(REVIEW, at("2026-10-09 18:00")) == at("2026-10-10 08:30")  # Saturday 10-10 is worked


def test_year_the_library_does_not_know_falls_back_to_weekdays(cal):
    # chinese_calendar 1.11 raises NotImplementedError for 2027; the calendar must not.
    assert cal.is_working_time(at("2027-01-01 10:00"))  # a Friday: working until an admin says otherwise
    assert not cal.is_working_time(at("2027-01-02 10:00"))  # Saturday
    assert cal.deadline(REVIEW, at("2027-01-08 20:00")) == at("2027-01-11 08:30")
    assert cal.add_working_minutes(at("2026-12-31 17:20"), 30) == at("2027-01-01 08:50")
    assert cal.uncovered_years([2026, 2027]) == [2027]


def test_admin_entered_schedule_covers_a_year_the_library_does_not_know():
    cal = WorkingCalendar({date(2027, 1, 1): DayRule(False)}, scheduled_years=[2027])
    assert not cal.is_working_time(at("2027-01-01 10:00"))
    assert cal.deadline(REVIEW, at("2026-12-31 20:00")) == at("2027-01-04 08:30")
    assert cal.uncovered_years([2026, 2027]) == []


def test_extra_shift_on_a_saturday_is_honoured():
    cal = WorkingCalendar({date(2026, 11, 21): DayRule(True, time(9, 0), time(12, 0))})
    assert cal.deadline(REVIEW, at("2026-11-20 20:00")) == at("2026-11-21 09:00")
    assert cal.add_working_minutes(at("2026-11-21 11:50"), 30) == at("2026-11-23 08:50")
    assert not cal.is_working_time(at("2026-11-21 12:00"))


def test_override_closes_a_day_the_library_calls_working():
    cal = WorkingCalendar({date(2026, 11, 23): DayRule(False)})
    assert cal.deadline(REVIEW, at("2026-11-20 20:00")) == at("2026-11-24 08:30")


def test_override_with_only_an_opening_time_keeps_the_usual_closing():
    cal = WorkingCalendar({date(2026, 11, 23): DayRule(True, time(10, 0), None)})
    assert cal.next_opening(at("2026-11-23 08:00")) == at("2026-11-23 10:00")
    assert cal.add_working_minutes(at("2026-11-23 17:00"), 30) == at("2026-11-23 17:30")


def test_dispatch_deadline_counts_clock_minutes_even_at_night(cal):
    assert cal.deadline(DISPATCH, at("2026-11-21 23:59")) == at("2026-11-22 00:02")


def test_pickup_ordered_at_night_counts_thirty_minutes_from_the_opening(cal):
    assert cal.deadline(PICKUP, at("2026-11-20 20:00")) == at("2026-11-23 09:00")


def test_working_minutes_between_skip_nights_and_weekends(cal):
    assert cal.working_minutes_between(at("2026-11-20 17:00"), at("2026-11-23 09:00")) == 60
    assert cal.working_minutes_between(at("2026-11-23 09:00"), at("2026-11-20 17:00")) == -60
    assert cal.working_minutes_between(at("2026-11-21 10:00"), at("2026-11-22 10:00")) == 0


def test_next_opening_is_the_instant_itself_in_working_time(cal):
    assert cal.next_opening(at("2026-11-23 10:00")) == at("2026-11-23 10:00")
    assert cal.next_opening(at("2026-11-23 17:30")) == at("2026-11-24 08:30")


def test_configured_hours_are_used():
    cal = WorkingCalendar(opens=time(9, 0), closes=time(18, 0))
    assert cal.add_working_minutes(at("2026-11-23 17:50"), 30) == at("2026-11-24 09:20")


def test_utc_input_is_computed_in_shanghai_time(cal):
    start = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # 20:00 in Shanghai, a Friday
    due = cal.deadline(REVIEW, start)
    assert due == at("2026-11-23 08:30")
    assert due.utcoffset().total_seconds() == 8 * 3600


def test_negative_minutes_are_refused(cal):
    with pytest.raises(ValueError):
        cal.add_working_minutes(at("2026-11-23 10:00"), -1)


def test_a_calendar_with_no_working_day_falls_back_to_clock_time_instead_of_looping():
    closed = {date(2026, 11, 23) + (date(2026, 1, 2) - date(2026, 1, 1)) * i: DayRule(False) for i in range(500)}
    cal = WorkingCalendar(closed)
    start = at("2026-11-23 10:00")
    assert cal.add_working_minutes(start, 30) > start
    assert cal.deadline(PolicyRule(30, "working", True), start) >= start
