"""Report parameters shared by the pages, the API and the exports: the period and the grouping
(core.periods), the region a user may read, and who sees whose figures (SPEC §1: managers and
supervisors read reports; agents see their own figures)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability, report_scope
from freightdesk.core.periods import ReportParamError, ReportParams
from freightdesk.core.periods import parse_params as parse_period_params
from freightdesk.network.models import Region
from freightdesk.network.selectors import unknown_region_error

__all__ = ["ReportParamError", "ReportParams", "can_read_reports", "parse_params", "scope_for", "visible_regions"]

scope_for = report_scope  # None: every figure; a user: his own


def can_read_reports(user) -> bool:
    return has_capability(user, Capability.VIEW_REPORTS)


def visible_regions(user):
    """The regions whose figures ``user`` may read: managers, supervisors and admins every region, retired
    ones too (their history stays readable); an agent the active regions, those the dashboard and
    ``GET /api/v1/regions`` offer."""
    regions = Region.objects.all()
    if user is not None and report_scope(user) is not None:
        regions = regions.filter(active=True)
    return regions


def parse_params(data, *, groups: tuple[str, ...], default_group: str | None = None, user=None) -> ReportParams:
    """The period, grouping and region (one ``user`` may see, when given), every problem at once (ReportParamError).
    Missing dates: the last 30 days up to today."""

    def region_error(code: str) -> str | None:
        if message := unknown_region_error(code):
            return message
        if user is not None and not visible_regions(user).filter(code=code).exists():
            return _("You may not see the figures of region “%(code)s”.") % {"code": code[:40]}
        return None

    return parse_period_params(data, groups=groups, default_group=default_group, region_error=region_error)
