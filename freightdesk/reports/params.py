"""Report parameters shared by the pages, the API and the exports: the period, the grouping, the
region, and who sees whose figures (SPEC §1: managers and supervisors read reports; agents see
their own figures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core.worktime import TZ
from freightdesk.network.models import Region

from .queries import Period

MAX_YEARS = 3  # "beyond 3 years": from 2022-10-02 at most to 2025-10-01 (three calendar years)
DEFAULT_DAYS = 30


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


def can_read_reports(user) -> bool:
    return has_capability(user, Capability.VIEW_REPORTS)


def scope_for(user):
    """None (all figures) for managers, supervisors and admins; the user for an agent (own figures)."""
    return None if has_capability(user, Capability.VIEW_TEAM_REPORTS) else user


def years_later(day: date, years: int) -> date:
    """The same date ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def visible_regions(user):
    """The regions whose figures ``user`` may read: managers, supervisors and admins every region, retired
    ones too (their history stays readable); an agent the active regions, those the dashboard and
    ``GET /api/v1/regions`` offer."""
    regions = Region.objects.all()
    if user is not None and scope_for(user) is not None:
        regions = regions.filter(active=True)
    return regions


def _parse_day(raw, field: str, errors: dict) -> date | None:
    if raw is None:
        return None
    text = str(raw).strip()
    if not text:
        errors.setdefault(field, []).append(_("Enter a date, e.g. 2026-11-01."))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.setdefault(field, []).append(_("“%(value)s” is not a date; use YYYY-MM-DD.") % {"value": text[:40]})
        return None


def parse_params(data, *, groups: tuple[str, ...], default_group: str | None = None, user=None) -> ReportParams:
    """Validate ``from``, ``to`` (inclusive dates), ``group_by`` and ``region`` (one ``user`` may see, when
    given); raise ReportParamError with every problem at once, each under its field. Missing dates: the
    last 30 days up to today."""
    errors: dict[str, list[str]] = {}
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
    group_by = (data.get("group_by") or default_group or groups[0]).strip()
    if group_by not in groups:
        errors.setdefault("group_by", []).append(_("Group by one of: %(choices)s.") % {"choices": ", ".join(groups)})
    region = (data.get("region") or "").strip() or None
    if region and not Region.objects.filter(code=region).exists():
        errors.setdefault("region", []).append(_("There is no region “%(code)s”.") % {"code": region[:40]})
    elif region and user is not None and not visible_regions(user).filter(code=region).exists():
        errors.setdefault("region", []).append(
            _("You may not see the figures of region “%(code)s”.") % {"code": region[:40]}
        )
    if errors:
        raise ReportParamError(errors)
    return ReportParams(first_day=first, last_day=last, group_by=group_by, region=region)
