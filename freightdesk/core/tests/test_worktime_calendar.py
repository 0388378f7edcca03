"""Working-time calendar and deadlines, by example (SPEC §2, §5, §6): no database."""

from datetime import UTC, date, datetime, time, timedelta

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


def test_year_the_library_does_not_know_takes_the_statutory_holidays_from_the_holidays_package(cal):
    # chinese_calendar 1.11 raises NotImplementedError for 2027; the holidays package computes the year.
    assert not cal.is_working_time(at("2027-01-01 10:00"))  # New Year's Day, a Friday
    assert not cal.is_working_time(at("2027-01-02 10:00"))  # Saturday
    assert cal.add_working_minutes(at("2026-12-31 17:20"), 30) == at("2027-01-04 08:50")
    assert cal.deadline(REVIEW, at("2027-01-08 20:00")) == at("2027-01-11 08:30")  # an ordinary weekend
    assert cal.uncovered_years([2026, 2027]) == [2027]  # still no official schedule: the warning stays


@pytest.mark.parametrize(
    ("holiday", "first_day_off", "back_at_work"),
    [
        ("Spring Festival", "2027-02-05", "2027-02-11"),  # eve, three days, two in lieu of the weekend
        ("Qingming", "2027-04-05", "2027-04-06"),
        ("Labour Day", "2027-05-03", "2027-05-05"),  # 1-2 May on the weekend, 3-4 in lieu
        ("Dragon Boat", "2027-06-09", "2027-06-10"),
        ("Mid-Autumn", "2027-09-15", "2027-09-16"),
        ("National Day", "2027-10-01", "2027-10-06"),  # 1-3 October, 4-5 in lieu of the weekend
    ],
)
def test_a_web_order_the_evening_before_a_2027_holiday_is_due_when_work_resumes(
    cal, holiday, first_day_off, back_at_work
):
    eve = date.fromisoformat(first_day_off) - timedelta(days=1)
    assert cal.deadline(REVIEW, at(f"{eve} 20:00")) == at(f"{back_at_work} 08:30"), holiday


def test_a_web_order_on_2027_09_30_at_night_is_due_after_national_day():
    # The holidays package closes 1-5 October; the State Council's week-long break and its adjusted
    # working Sunday come from the admin's overrides.
    assert WorkingCalendar().deadline(REVIEW, at("2027-09-30 20:00")) == at("2027-10-06 08:30")
    cal = WorkingCalendar(
        {
            date(2027, 10, 6): DayRule(False),
            date(2027, 10, 7): DayRule(False),
            date(2027, 9, 26): DayRule(True),  # a Sunday worked in lieu (调休)
        }
    )
    assert cal.deadline(REVIEW, at("2027-09-30 20:00")) == at("2027-10-08 08:30")
    assert cal.deadline(REVIEW, at("2027-09-25 20:00")) == at("2027-09-26 08:30")


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
