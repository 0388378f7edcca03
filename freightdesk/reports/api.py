"""Report endpoints of API.md ("Reports"): the same numbers as the dashboard, as JSON.

Mount in freightdesk/api/router.py with ``api.add_router("", reports_router)`` (paths start with
``/reports/``). Managers, supervisors and admins see every figure; an agent sees only their own
(``"scope": "own"``); anyone else gets 403.
"""

from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from freightdesk.accounts.bearer import BearerAuth
from freightdesk.accounts.capabilities import Capability
from freightdesk.core.api.errors import ApiValidationError, DetailOut, ErrorsOut

from . import queries
from .catalog import REPORTS
from .params import ReportParamError, parse_params, scope_for

router = Router(tags=["reports"])
AUTH = BearerAuth(Capability.VIEW_REPORTS)
ERRORS = {401: DetailOut, 403: DetailOut, 422: ErrorsOut}


class PickupRow(Schema):
    key: str | None = Field(description="driver code, region code or ISO date; null for no driver")
    label: str | None
    orders: int
    on_time: int
    late: int
    pending: int = Field(description="not picked up, deadline still ahead (not counted)")
    unknown: int = Field(description="past pickup but no pickup time recorded (not counted)")
    rate: float | None = Field(description="on_time / (on_time + late)")


class ComplaintRow(Schema):
    key: str | None = Field(
        description="driver code (complaints about that driver; null: tickets not about a driver), agent id (工号; "
        "null: not about an agent), sub-category code or month start (ISO date)"
    )
    label: str | None = Field(
        description="driver or agent name, category/sub-category codes (complaint/transit_time) or YYYY-MM"
    )
    complaints: int = Field(description="valid + dismissed + pending")
    valid: int = Field(description="judged valid (有效投诉): past the validity step, not dismissed")
    dismissed: int = Field(description="judged not valid (无效投诉)")
    pending: int = Field(description="recorded, validity not judged yet (待判定)")
    about_driver: int = Field(description="valid complaints whose target (投诉对象) is a driver")
    about_agent: int = Field(description="valid complaints whose target is an agent")
    about_company: int = Field(description="valid complaints about the company, other, or no target stated")
    suggestions: int
    penalties: int = Field(
        description="complaints whose penalty step charged a penalty above 0 (grouped by driver or agent: to him)"
    )
    penalty_percent: int = Field(description="sum of those penalties, % of the performance pay")


class OriginRow(Schema):
    key: str | None = Field(description="region code (null: not resolved), or ISO date of the day/month")
    label: str | None
    enquiries: int
    shipped: int
    refused: int
    voided: int
    quote_only: int
    shipped_share: float | None


class ReportMeta(Schema):
    from_: date = Field(alias="from")
    to: date
    group_by: str
    region: str | None
    scope: str = Field(description="all, or own (an agent's own figures)")


class PickupOut(ReportMeta):
    rows: list[PickupRow]
    totals: dict


class ComplaintsOut(ReportMeta):
    rows: list[ComplaintRow]
    totals: dict


class OriginsOut(ReportMeta):
    rows: list[OriginRow]
    totals: dict


def _answer(request: HttpRequest, slug: str, groups: tuple[str, ...]):
    try:
        params = parse_params(request.GET, groups=groups, user=request.user)
    except ReportParamError as exc:
        raise ApiValidationError(exc.errors) from exc
    report = REPORTS[slug]
    scope = scope_for(request.user)
    rows = report.rows(params, scope=scope)
    for row in rows:
        row["key"] = (
            None
            if row.get("key") is None
            else (row["key"].isoformat() if hasattr(row["key"], "isoformat") else str(row["key"]))
        )
        row["label"] = None if row.get("label") is None else str(row["label"])
    totals = {k: v for k, v in report.totals(rows).items() if k not in ("label", "key")}
    return {
        "from": params.first_day,
        "to": params.last_day,
        "group_by": params.group_by,
        "region": params.region,
        "scope": "all" if scope is None else "own",
        "rows": rows,
        "totals": totals,
    }


class PeriodQuery(Schema):
    from_: str | None = Field(None, alias="from", description="first day, YYYY-MM-DD (default: 30 days ago)")
    to: str | None = Field(None, description="last day, inclusive (default: today); at most 3 years")
    region: str | None = Field(None, description="pickup region code")


class PickupQuery(PeriodQuery):
    group_by: str | None = Field(None, description="driver | region | day")


class ComplaintsQuery(PeriodQuery):
    group_by: str | None = Field(None, description="driver | agent | type | month")


class OriginsQuery(PeriodQuery):
    group_by: str | None = Field(None, description="region | day | month")


@router.get(
    "/reports/pickup-on-time",
    auth=AUTH,
    response={200: PickupOut, **ERRORS},
    by_alias=True,
    summary="On-time pickup rate (by the pickup deadline set when the order was confirmed)",
)
def pickup_on_time(request: HttpRequest, q: Query[PickupQuery]):
    return _answer(request, "pickup-on-time", queries.PICKUP_GROUPS)


@router.get(
    "/reports/complaints",
    auth=AUTH,
    response={200: ComplaintsOut, **ERRORS},
    by_alias=True,
    summary="Complaints and suggestions per driver, agent, type or month, with whom they are about and penalties",
)
def complaints(request: HttpRequest, q: Query[ComplaintsQuery]):
    return _answer(request, "complaints", queries.COMPLAINT_GROUPS)


@router.get(
    "/reports/origins",
    auth=AUTH,
    response={200: OriginsOut, **ERRORS},
    by_alias=True,
    summary="Shipping-origin analysis: enquiries by region and outcome, or over time",
)
def origins(request: HttpRequest, q: Query[OriginsQuery]):
    return _answer(request, "origins", queries.ORIGIN_GROUPS)
