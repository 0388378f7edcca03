"""``GET /api/v1/reports/penalties?month=YYYY-MM``: the monthly penalty report as JSON, the same figures as the page
and the XLSX. Supervisors' and managers' tokens only (403 for an agent's)."""

from datetime import date, timedelta

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from freightdesk.accounts.bearer import BearerAuth
from freightdesk.accounts.capabilities import Capability
from freightdesk.core.api.errors import ApiValidationError, DetailOut, ErrorsOut

from . import penalties

router = Router(tags=["reports"])
AUTH = BearerAuth(Capability.VIEW_PENALTY_REPORT)


class PenaltyRow(Schema):
    key: str = Field(description="the agent id (工号), a username, or the driver's code")
    label: str = Field(description="the person's name")
    kind: str = Field(description="staff | driver")
    penalties: int
    responsible_percent: int = Field(description="shares charged as the person responsible (by the loss)")
    head_percent: int = Field(description="shares charged as the head of a responsible department")
    delay_percent: int = Field(description="shares charged for handling past the deadline")
    total_percent: int = Field(description="the month's total, percent of performance pay")
    loss: str = Field(description='decimal yuan ("300.00"): the loss behind the shares as person responsible')
    tickets: int = Field(description="complaints charged")


class PenaltyTotals(Schema):
    penalties: int
    responsible_percent: int
    head_percent: int
    delay_percent: int
    total_percent: int
    loss: str = Field(description="decimal yuan")
    tickets: int = Field(description="complaints charged, each counted once")


class PenaltiesOut(Schema):
    month: str = Field(description="YYYY-MM")
    from_: date = Field(alias="from")
    to: date
    rows: list[PenaltyRow]
    totals: PenaltyTotals


class MonthQuery(Schema):
    month: str | None = Field(None, max_length=20, description="YYYY-MM (default: this month, Asia/Shanghai)")


@router.get(
    "/reports/penalties",
    auth=AUTH,
    response={200: PenaltiesOut, 401: DetailOut, 403: DetailOut, 422: ErrorsOut},
    by_alias=True,
    summary="Penalties by person for a month: shares of performance pay charged by complaints",
)
def penalties_report(request: HttpRequest, q: Query[MonthQuery]):
    try:
        month = penalties.parse_month(q.month)
    except penalties.MonthError as exc:
        raise ApiValidationError({"month": [str(exc)]}) from exc
    start, end = penalties.month_bounds(month)
    figures = penalties.penalty_rows(month)
    sums = penalties.totals(figures, month)
    rows = [{**row, "loss": f"{row['loss']:.2f}"} for row in figures]
    return {
        "month": f"{month:%Y-%m}",
        "from": start.date(),
        "to": end.date() - timedelta(days=1),
        "rows": rows,
        "totals": {**sums, "loss": f"{sums['loss']:.2f}"},
    }
