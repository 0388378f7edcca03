"""Working time and deadlines (工作时间与时效): the one place every deadline is computed.

SPEC §2 (working hours 8:30–17:30), §5 (review: 30 minutes in the daytime, the next working
day's opening at night), §6 (dispatch within 3 minutes), §7 (pickup within 30 minutes).

The calendar, in ``Asia/Shanghai`` (no daylight saving since 1991, so local wall-clock
arithmetic is exact):

* a day's hours come from, in order: an admin ``WorkingDayOverride`` for that date; the
  ``chinese_calendar`` library (statutory holidays, 法定节假日, and adjusted working days,
  调休); for a year that library does not know yet (the State Council publishes each year's
  schedule late in the year before), the statutory holidays the ``holidays`` package computes
  for China (New Year, Spring Festival, Qingming, Labour Day, Dragon Boat, Mid-Autumn, National
  Day, with its days in lieu of weekends), every other Monday–Friday working. The adjusted
  working weekends of such a year are the admin's overrides. Nothing here raises for an
  unknown year: a missing schedule must never fail an order.
* working time is the half-open interval ``[opens, closes)`` of each working day:
  8:30 is working time, 17:30 is not.
* ``add_working_minutes(t, m)`` is the *earliest* instant by which ``m`` working minutes have
  elapsed since ``t``. For ``m > 0`` it therefore lies inside working time or exactly on a
  closing instant (16:30 + 60 working minutes -> 17:30 the same day, not 8:30 the next
  morning); ``m == 0`` returns ``t`` unchanged. This definition makes the arithmetic additive:
  ``add(add(t, a), b) == add(t, a + b)`` for all ``a, b >= 0``.

Pure functions live on ``WorkingCalendar`` (no database); the module-level functions use the
calendar loaded from the database, cached per process and invalidated when an override or a
policy is saved (see ``invalidate``).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import holidays
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext

from .models import DeadlinePolicy, WorkingDayOverride
from .process_cache import ProcessCache

logger = logging.getLogger(__name__)

TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_OPENS = time(8, 30)
DEFAULT_CLOSES = time(17, 30)
# A run of closed days longer than this means the calendar was misconfigured (e.g. a year of
# "closed" overrides): deadlines then fall back to clock time rather than loop or fail.
MAX_CLOSED_DAYS = 400
ONE_DAY = timedelta(days=1)
ZERO = timedelta(0)

WORKING = "working"
CLOCK = "clock"


@dataclass(frozen=True, slots=True)
class PolicyRule:
    """How a deadline is computed; the database rows (``core.DeadlinePolicy``) carry the same fields."""

    minutes: int
    basis: str = WORKING
    due_at_opening_when_closed: bool = False


# Used when a policy row is missing (deleted by mistake, or before the data migration ran):
# a deadline must still be computed.
DEFAULT_POLICIES: dict[str, PolicyRule] = {
    "review": PolicyRule(30, WORKING, due_at_opening_when_closed=True),
    "dispatch": PolicyRule(3, CLOCK),
    "pickup": PolicyRule(30, WORKING),
    "callback": PolicyRule(120, WORKING),
    "web_message": PolicyRule(60, WORKING),
}


@dataclass(frozen=True, slots=True)
class DayRule:
    """An admin override for one date: open or closed, optionally with its own hours."""

    is_working: bool
    opens_at: time | None = None
    closes_at: time | None = None


def _library_is_workday(day: date) -> bool | None:
    """The holiday library's answer, or None when it has no data for that year."""
    try:
        return chinese_calendar.is_workday(day)
    except (NotImplementedError, ValueError):
        return None


def library_covers(year: int) -> bool:
    return _library_is_workday(date(year, 6, 1)) is not None


@functools.cache
def statutory_holidays(year: int) -> frozenset[date]:
    """China's public holidays of ``year`` as the ``holidays`` package computes them (days off in
    lieu of a holiday on a weekend included); used for the years chinese_calendar does not know."""
    return frozenset(holidays.China(years=year, categories=(holidays.PUBLIC,)))


def _computed_is_workday(day: date) -> bool:
    return day.weekday() < 5 and day not in statutory_holidays(day.year)


def _local(dt: datetime) -> datetime:
    """``dt`` as an aware Asia/Shanghai datetime; a naive input is taken as local time already.

    Everything below stays in this one zone object, so comparing and adding are plain
    wall-clock arithmetic (exact: Shanghai has had no daylight saving since 1991) and cheap.
    """
    tz = dt.tzinfo
    if tz is TZ:
        return dt
    if tz is None:
        return dt.replace(tzinfo=TZ)
    return dt.astimezone(TZ)


class WorkingCalendar:
    """Working hours per day and the arithmetic over them. Pure: built from plain values."""

    def __init__(
        self,
        overrides: Mapping[date, DayRule] | None = None,
        *,
        opens: time = DEFAULT_OPENS,
        closes: time = DEFAULT_CLOSES,
        scheduled_years: Iterable[int] = (),
    ):
        if opens >= closes:
            raise ValueError("working hours must open before they close")
        self.overrides = dict(overrides or {})
        self.opens = opens
        self.closes = closes
        # Years whose official schedule an admin has entered by hand (override rows flagged so).
        self.scheduled_years = frozenset(scheduled_years)
        self._days: dict[date, tuple[datetime, datetime] | None] = {}

    # --- the calendar -----------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        return self.hours(day) is not None

    def hours(self, day: date) -> tuple[datetime, datetime] | None:
        """(opening, closing) of ``day`` as Asia/Shanghai datetimes, or None when closed."""
        try:
            return self._days[day]
        except KeyError:
            pass
        rule = self.overrides.get(day)
        if rule is not None:
            working = rule.is_working
            opens, closes = rule.opens_at or self.opens, rule.closes_at or self.closes
            if opens >= closes:  # a bad row must not break deadlines: use the default hours
                opens, closes = self.opens, self.closes
        else:
            working = _library_is_workday(day)
            if working is None:
                working = _computed_is_workday(day)
            opens, closes = self.opens, self.closes
        value = (datetime.combine(day, opens, TZ), datetime.combine(day, closes, TZ)) if working else None
        self._days[day] = value
        return value

    def uncovered_years(self, years: Iterable[int]) -> list[int]:
        """Years neither the holiday library nor an admin-entered official schedule covers."""
        return sorted(y for y in set(years) if y not in self.scheduled_years and not library_covers(y))

    # --- the arithmetic -----------------------------------------------------------------
    def is_working_time(self, dt: datetime) -> bool:
        local = _local(dt)
        hours = self.hours(local.date())
        return hours is not None and hours[0] <= local < hours[1]

    def is_closing_instant(self, dt: datetime) -> bool:
        local = _local(dt)
        hours = self.hours(local.date())
        return hours is not None and local == hours[1]

    def next_opening(self, dt: datetime) -> datetime:
        """The earliest working instant at or after ``dt`` (``dt`` itself in working time)."""
        local = _local(dt)
        day = local.date()
        for _ in range(MAX_CLOSED_DAYS):
            hours = self.hours(day)
            if hours is not None and local < hours[1]:
                return local if local > hours[0] else hours[0]
            day += ONE_DAY
        logger.error("no working day within %s days after %s; using the instant itself", MAX_CLOSED_DAYS, dt)
        return local

    def add_working_minutes(self, dt: datetime, minutes: float) -> datetime:
        """The earliest instant by which ``minutes`` working minutes have elapsed since ``dt``."""
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        return self._add(_local(dt), timedelta(minutes=minutes))

    def _add(self, local: datetime, remaining: timedelta) -> datetime:
        if not remaining:
            return local
        day = local.date()
        for _ in range(MAX_CLOSED_DAYS):
            hours = self.hours(day)
            if hours is not None and local < hours[1]:
                start = local if local > hours[0] else hours[0]
                available = hours[1] - start
                if remaining <= available:
                    return start + remaining
                remaining -= available
            day += ONE_DAY
            local = datetime.combine(day, time.min, TZ)
        logger.error("no working day within %s days; counting clock time", MAX_CLOSED_DAYS)
        return local + remaining

    def working_minutes_between(self, a: datetime, b: datetime) -> float:
        """Working minutes in ``[a, b)``; negative when ``b`` is before ``a``."""
        start, end = _local(a), _local(b)
        if end < start:
            return -self.working_minutes_between(b, a)
        total = ZERO
        day = start.date()
        while day <= end.date():
            hours = self.hours(day)
            if hours is not None:
                lo, hi = max(start, hours[0]), min(end, hours[1])
                if hi > lo:
                    total += hi - lo
            day += ONE_DAY
        return total / timedelta(minutes=1)

    def deadline(self, rule: PolicyRule, start: datetime) -> datetime:
        """A policy's deadline for something that started at ``start``."""
        local = _local(start)
        if rule.basis == CLOCK:
            return local + timedelta(minutes=rule.minutes)
        if rule.due_at_opening_when_closed:
            hours = self.hours(local.date())
            if hours is None or not hours[0] <= local < hours[1]:
                return self.next_opening(local)
        return self._add(local, timedelta(minutes=rule.minutes))


# --- the calendar from the database, cached per process ----------------------------------
# Cross-process invalidation: saving an override or a policy bumps a version in the cache all
# processes share (settings.CACHES); a process checks it at most every CHECK_SECONDS, and reloads
# anyway after MAX_AGE (a change that bypassed ``invalidate``).
CHECK_SECONDS = 5.0
MAX_AGE_SECONDS = 300.0
VERSION_KEY = "freightdesk:worktime:version"


def _configured_hours() -> tuple[time, time]:
    """``settings.WORKING_HOURS`` as ("08:30", "17:30"); empty means SPEC §2's hours."""
    value = settings.WORKING_HOURS
    if not value:
        return DEFAULT_OPENS, DEFAULT_CLOSES
    opens, closes = (v if isinstance(v, time) else time.fromisoformat(v) for v in value)
    return opens, closes


def load_calendar() -> tuple[WorkingCalendar, dict[str, PolicyRule]]:
    """Read overrides and policies from the database (two queries)."""
    overrides, scheduled = {}, set()
    for row in WorkingDayOverride.objects.all():
        overrides[row.date] = DayRule(row.is_working, row.opens_at, row.closes_at)
        if row.official_schedule:
            scheduled.add(row.date.year)
    opens, closes = _configured_hours()
    calendar = WorkingCalendar(overrides, opens=opens, closes=closes, scheduled_years=scheduled)
    policies = {
        p.code: PolicyRule(p.minutes, p.basis, p.due_at_opening_when_closed) for p in DeadlinePolicy.objects.all()
    }
    return calendar, policies


@dataclass(frozen=True)
class _Loaded:
    calendar: WorkingCalendar
    policies: dict[str, PolicyRule]


def _load() -> _Loaded:
    return _Loaded(*load_calendar())


_calendar = ProcessCache(
    version_key=VERSION_KEY, build=_load, check_seconds=CHECK_SECONDS, max_age_seconds=MAX_AGE_SECONDS
)


def _current() -> _Loaded:
    return _calendar.get()


def invalidate(*, broadcast: bool = True) -> None:
    """Forget the cached calendar; with ``broadcast``, tell other processes too."""
    _calendar.invalidate(broadcast=broadcast)


def _calendar_changed(sender, **kwargs):
    # After commit only: a reload inside the transaction would keep a change that is then
    # rolled back. Other processes notice the new version within CHECK_SECONDS.
    transaction.on_commit(invalidate)


def connect() -> None:
    """Reload the calendar when an override or a deadline policy is saved or deleted (CoreConfig.ready)."""
    for model in (DeadlinePolicy, WorkingDayOverride):
        post_save.connect(_calendar_changed, sender=model, dispatch_uid=f"worktime-{model.__name__}")
        post_delete.connect(_calendar_changed, sender=model, dispatch_uid=f"worktime-{model.__name__}-d")


def get_calendar() -> WorkingCalendar:
    return _current().calendar


def policy_rule(code: str) -> PolicyRule:
    rule = _current().policies.get(code)
    if rule is None:
        if code not in DEFAULT_POLICIES:
            raise LookupError(f"unknown deadline policy {code!r}")
        logger.warning("deadline policy %r missing from the database; using the built-in default", code)
        rule = DEFAULT_POLICIES[code]
    return rule


def deadline_for(code: str, start: datetime) -> datetime:
    """The deadline of policy ``code`` (review, dispatch, pickup, callback…) for ``start``."""
    state = _current()
    rule = state.policies.get(code) or policy_rule(code)
    return state.calendar.deadline(rule, start)


def is_working_time(dt: datetime) -> bool:
    return get_calendar().is_working_time(dt)


def next_opening(dt: datetime) -> datetime:
    return get_calendar().next_opening(dt)


def add_working_minutes(dt: datetime, minutes: float) -> datetime:
    return get_calendar().add_working_minutes(dt, minutes)


def working_minutes_between(a: datetime, b: datetime) -> float:
    return get_calendar().working_minutes_between(a, b)


def uncovered_years(years: Iterable[int]) -> list[int]:
    """Years among ``years`` with no holiday schedule: neither the library nor an admin has it."""
    return get_calendar().uncovered_years(years)


def calendar_warning(today: date) -> str:
    """The warning for supervisors and admins (home page, admin) while this year, or from 1 November next
    year, has no official holiday schedule (neither chinese_calendar nor the admin's), or ""."""
    years = uncovered_years(years_to_check(today))
    if not years:
        return ""
    return gettext(
        "The official holiday schedule for %(years)s is not loaded: deadlines in that year use the statutory "
        "holidays as the holidays package computes them and count every other Monday to Friday as a working "
        "day, with no adjusted working weekends. Enter the State Council's schedule under “Working day "
        "overrides” (tick “part of the official holiday schedule”), or update the chinese_calendar library."
    ) % {"years": ", ".join(str(y) for y in years)}


def years_to_check(today: date) -> list[int]:
    """This year, and from 1 November on next year too (the State Council publishes it late in the year)."""
    return [today.year, today.year + 1] if today.month >= 11 else [today.year]
