"""A report's parameters from a request, shared by the report pages, the API and the call statistics:
the period (``from``/``to``, inclusive local dates, at most 3 years, the last 30 days when missing), the
grouping and the region code. Every problem is reported at once, each under its field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .cleaning import EARLIEST, LATEST
from .worktime import TZ

MAX_YEARS = 3  # "beyond 3 years": from 2022-10-02 at most to 2025-10-01 (three calendar years)
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Period:
    """``start`` inclusive, ``end`` exclusive, aware datetimes in Asia/Shanghai."""

    start: datetime
    end: datetime


class ReportParamError(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class ReportParams:
    first_day: date
    last_day: date
    group_by: str
    region: str | None

    @property
    def period(self) -> Period:
        start = datetime.combine(self.first_day, time(0), TZ)
        return Period(start=start, end=datetime.combine(self.last_day + timedelta(days=1), time(0), TZ))


def years_later(day: date, years: int) -> date:
    """The same date ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def _parse_day(raw, field: str, errors: dict) -> date | None:
    if raw is None:
        return None
    text = str(raw).strip()
    if not text:
        errors.setdefault(field, []).append(_("Enter a date, e.g. 2026-11-01."))
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        errors.setdefault(field, []).append(_("“%(value)s” is not a date; use YYYY-MM-DD.") % {"value": text[:40]})
        return None
    if not EARLIEST.year <= day.year < LATEST.year:  # year 9999 would overflow the period's end
        errors.setdefault(field, []).append(
            _("Enter a time between %(first)s and %(last)s.") % {"first": EARLIEST.year, "last": LATEST.year - 1}
        )
        return None
    return day


def _period_days(data, errors: dict) -> tuple[date | None, date | None]:
    today = timezone.localdate()
    first = _parse_day(data.get("from"), "from", errors)
    last = _parse_day(data.get("to"), "to", errors)
    if "to" not in data:
        last = today
    if "from" not in data:
        first = (last or today) - timedelta(days=DEFAULT_DAYS - 1)
    if first and last:
        if last < first:
            errors.setdefault("to", []).append(_("The end date is before the start date."))
        elif last >= years_later(first, MAX_YEARS):
            errors.setdefault("to", []).append(_("A report covers at most 3 years; shorten the period."))
    return first, last


def parse_params(
    data,
    *,
    groups: tuple[str, ...],
    default_group: str | None = None,
    region_error: Callable[[str], str | None] | None = None,
) -> ReportParams:
    """Validate ``from``, ``to``, ``group_by`` and ``region`` (``region_error(code)`` says what is wrong with a
    region code, or None; the caller knows the regions); raise ReportParamError with every problem at once."""
    errors: dict[str, list[str]] = {}
    first, last = _period_days(data, errors)
    group_by = (data.get("group_by") or default_group or groups[0]).strip()
    if group_by not in groups:
        errors.setdefault("group_by", []).append(_("Group by one of: %(choices)s.") % {"choices": ", ".join(groups)})
    region = (data.get("region") or "").strip() or None
    if region and region_error is not None and (message := region_error(region)):
        errors.setdefault("region", []).append(message)
    if errors:
        raise ReportParamError(errors)
    return ReportParams(first_day=first, last_day=last, group_by=group_by, region=region)
