"""Properties of working-time arithmetic that must hold for every start and duration (hypothesis).

The calendar spans late 2025 to early 2027, so the examples cross statutory holidays, adjusted
working days, an admin extra shift and a short day, and the year the holiday library does not know.
"""

from datetime import date, datetime, time

from hypothesis import given, settings
from hypothesis import strategies as st

from freightdesk.core.worktime import DEFAULT_POLICIES, TZ, DayRule, PolicyRule, WorkingCalendar

CAL = WorkingCalendar(
    {
        date(2026, 11, 21): DayRule(True, time(9, 0), time(12, 0)),  # Saturday extra shift
        date(2026, 12, 24): DayRule(True, time(8, 30), time(12, 0)),  # short day
        date(2027, 1, 1): DayRule(False),  # entered by hand: the library has no 2027
    }
)

# hypothesis takes naive bounds and attaches the zone itself.
starts = st.datetimes(
    min_value=datetime(2025, 12, 1),  # noqa: DTZ001
    max_value=datetime(2027, 2, 28),  # noqa: DTZ001
    timezones=st.just(TZ),
)
minutes = st.integers(min_value=0, max_value=3 * 540)
positive_minutes = st.integers(min_value=1, max_value=3 * 540)
working_rules = st.builds(
    PolicyRule, minutes=st.integers(0, 2000), basis=st.just("working"), due_at_opening_when_closed=st.booleans()
)


def in_working_time_or_at_closing(dt: datetime) -> bool:
    return CAL.is_working_time(dt) or CAL.is_closing_instant(dt)


@given(start=starts, rule=working_rules)
def test_working_deadline_never_lands_outside_working_time(start, rule):
    due = CAL.deadline(rule, start)
    if rule.minutes == 0 and not rule.due_at_opening_when_closed:
        assert due == start  # zero minutes: nothing to wait for
    else:
        assert in_working_time_or_at_closing(due)
    assert due >= start


@given(start=starts)
def test_review_deadline_is_in_working_time(start):
    due = CAL.deadline(DEFAULT_POLICIES["review"], start)
    assert in_working_time_or_at_closing(due)
    if not CAL.is_working_time(start):
        assert CAL.is_working_time(due) and due == CAL.next_opening(start)


@given(start=starts, m=positive_minutes)
def test_adding_working_minutes_lands_in_working_time_or_at_closing(start, m):
    assert in_working_time_or_at_closing(CAL.add_working_minutes(start, m))


@given(a=starts, b=starts, m=minutes)
def test_adding_minutes_is_monotonic_in_the_start(a, b, m):
    early, late = sorted([a, b])
    assert CAL.add_working_minutes(early, m) <= CAL.add_working_minutes(late, m)


@given(start=starts, m1=minutes, m2=minutes)
def test_adding_minutes_is_monotonic_in_the_minutes(start, m1, m2):
    small, big = sorted([m1, m2])
    assert CAL.add_working_minutes(start, small) <= CAL.add_working_minutes(start, big)


@given(start=starts, a=minutes, b=minutes)
def test_splitting_an_addition_in_two_gives_the_same_result(start, a, b):
    assert CAL.add_working_minutes(CAL.add_working_minutes(start, a), b) == CAL.add_working_minutes(start, a + b)


@given(start=starts, m=minutes)
def test_working_minutes_between_undoes_adding(start, m):
    assert CAL.working_minutes_between(start, CAL.add_working_minutes(start, m)) == m


@given(start=starts)
def test_next_opening_is_working_time_and_not_before_the_start(start):
    opening = CAL.next_opening(start)
    assert opening >= start and CAL.is_working_time(opening)
    assert CAL.working_minutes_between(start, opening) == 0


@settings(max_examples=50)
@given(start=starts)
def test_clock_deadline_ignores_the_calendar(start):
    due = CAL.deadline(DEFAULT_POLICIES["dispatch"], start)
    assert (due - start).total_seconds() == 180
