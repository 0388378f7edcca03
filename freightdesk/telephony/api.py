"""CTI events and call statistics as JSON (API.md "Telephony (CTI) events", "Reports").

Mounted in freightdesk/api/router.py. Paths: ``POST /cti/events`` (a token of a user in the "integration" group), ``POST /cti/events/batch``
(the same, up to 500 events per request: an addition to API.md's contract, for PBX adapters that
report more than a few hundred events a second — bench/bench_cti.py) and
``GET /reports/calls?from=&to=&group_by=agent|hour`` (managers, supervisors, admins see all calls;
an agent sees his own, like the other reports).
"""

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Path as PathParam
from pydantic import WithJsonSchema

from freightdesk.accounts.bearer import BearerAuth
from freightdesk.accounts.capabilities import Capability, report_scope
from freightdesk.core.api.errors import ApiValidationError, DetailOut, ErrorsOut
from freightdesk.core.cleaning import OFFSET_NOTE, device_text
from freightdesk.core.errors import DomainError, validation_errors
from freightdesk.core.periods import ReportParamError, parse_params
from freightdesk.network.selectors import unknown_region_error

from . import callbacks
from .dialing import claim_dials, finish_dial
from .ingest import Refused, ingest_event, ingest_events
from .models import Cause, Direction, EventName
from .selectors import answer_within_seconds, call_stats

router = Router(tags=["telephony"])


def _doc(**schema) -> dict:
    """Document a constraint the service checks (ingest_event: its messages, and every refusal logged)."""
    return {"json_schema_extra": schema}


class CallEventIn(Schema):
    """One call event. The phone platform is a device: control characters and lone surrogates in its texts are
    removed (not refused), so the rest of the event is kept. Every constraint below is checked by the server
    (422 naming the field, and the refusal logged)."""

    event: str = Field(
        description="answered needs agent, hangup needs cause, recording needs url",
        **_doc(enum=list(EventName.values)),
    )
    call_id: str = Field(
        description="the platform's id of the call (letters, digits . _ : - @; at most 64)",
        **_doc(minLength=1, maxLength=64, pattern=r"^[A-Za-z0-9._:@-]+$"),
    )
    direction: str | None = Field(
        None, description="first event of a call; default in", **_doc(enum=list(Direction.values))
    )
    from_: str | None = Field(
        None, alias="from", description="caller number; empty or 'anonymous' if withheld", **_doc(maxLength=32)
    )
    to: str | None = Field(None, description="called number", **_doc(maxLength=32))
    agent: str | None = Field(
        None,
        description="agent id (工号), required with answered; an id no agent has is kept on the call but "
        "left out of the per-agent call report",
        **_doc(maxLength=8, pattern=r"^[0-9]*$"),
    )
    queue: str | None = Field(None, **_doc(maxLength=40))
    cause: str | None = Field(None, description="with hangup", **_doc(enum=list(Cause.values)))
    url: str | None = Field(
        None, description="with recording: the recording's http(s) address", **_doc(maxLength=500, format="uri")
    )
    at: str | None = Field(
        None,
        description="ISO 8601 (default: when received). " + OFFSET_NOTE + " At most 5 minutes ahead of the "
        "server's clock, and not hours after the call ended (422).",
        **_doc(maxLength=40, format="date-time"),
    )


class CallOut(Schema):
    call_id: str
    duplicate: bool = Field(description="true when this event had been received before (nothing changed)")
    state: str
    direction: str
    agent: str
    customer_number: str
    customers_matched: int
    customer_id: int | None
    ring_seconds: int | None
    talk_seconds: int | None
    cause: str
    recording_url: str
    callback_due_at: datetime | None


@router.post(
    "/cti/events",
    auth=BearerAuth(Capability.INGEST_CTI),
    response={200: CallOut, 401: DetailOut, 403: DetailOut, 409: DetailOut, 422: ErrorsOut, 429: DetailOut},
    summary="Report one call event; idempotent per (call_id, event), tolerant of out-of-order arrival",
)
def post_event(request: HttpRequest, body: CallEventIn):
    payload = {k: v for k, v in body.model_dump(by_alias=True).items() if v is not None}
    try:
        result = ingest_event(payload=payload)
    except ValidationError as exc:
        raise ApiValidationError(validation_errors(exc)) from exc
    call = result.call
    return {
        "call_id": call.call_id,
        "duplicate": result.duplicate,
        "state": call.state,
        "direction": call.direction,
        "agent": call.agent_code,
        "customer_number": call.customer_number,
        "customers_matched": call.match_count,
        "customer_id": call.customer_id,
        "ring_seconds": call.ring_seconds,
        "talk_seconds": call.talk_seconds,
        "cause": call.cause,
        "recording_url": call.recording_url,
        "callback_due_at": callbacks.due_at(call),
    }


MAX_BATCH = 500


# Each event is checked on its own by the service (a bad one is refused in its item), so the body takes any
# list; the document shows what each item must be.
EventList = Annotated[
    list[Any],
    WithJsonSchema(
        {"type": "array", "items": CallEventIn.model_json_schema(by_alias=True), "minItems": 1, "maxItems": MAX_BATCH}
    ),
]


class CallEventBatchIn(Schema):
    events: EventList = Field(
        description=f"1 to {MAX_BATCH} events, each exactly as the body of POST /cti/events; "
        "taken in this order, each on its own: a refused one is answered in its item (status, errors) and "
        "does not stop the others"
    )


class BatchItemOut(Schema):
    status: int = Field(
        description="200 taken (or a duplicate), 409 call ended hours ago, 422 bad fields, "
        "429 too many events for the call — as POST /cti/events would answer"
    )
    call_id: str | None = None
    duplicate: bool | None = None
    state: str | None = None
    errors: dict[str, list[str]] | None = None
    code: str | None = None
    detail: str | None = None


class CallEventBatchOut(Schema):
    taken: int = Field(description="events stored now")
    duplicates: int = Field(description="events received before (nothing changed)")
    refused: int
    results: list[BatchItemOut] = Field(description="one per event, in the order sent")


def _batch_item(result) -> dict:
    if not isinstance(result, Refused):
        return {
            "status": 200,
            "call_id": result.call.call_id,
            "duplicate": result.duplicate,
            "state": result.call.state,
        }
    error = result.error
    if isinstance(error, DomainError):
        return {"status": error.http_status, "code": error.code, "detail": error.message}
    return {"status": 422, "errors": validation_errors(error)}


@router.post(
    "/cti/events/batch",
    auth=BearerAuth(Capability.INGEST_CTI),
    response={200: CallEventBatchOut, 401: DetailOut, 403: DetailOut, 422: ErrorsOut},
    summary="Report up to 500 call events at once; each is taken or refused as POST /cti/events would",
)
def post_events(request: HttpRequest, body: CallEventBatchIn):
    if not body.events:
        raise ApiValidationError({"events": [_("Send at least one event.")]})
    if len(body.events) > MAX_BATCH:
        raise ApiValidationError({"events": [_("At most %(limit)d events per request.") % {"limit": MAX_BATCH}]})
    items = [_batch_item(result) for result in ingest_events(body.events)]
    refused = sum(item["status"] != 200 for item in items)
    duplicates = sum(bool(item.get("duplicate")) for item in items)
    return {"taken": len(items) - refused - duplicates, "duplicates": duplicates, "refused": refused, "results": items}


class CallStatsRow(Schema):
    key: str = Field(description="agent id, or hour of day 0–23 (Asia/Shanghai)")
    calls: int
    answered: int
    answered_within_share: float | None = Field(description="inbound calls answered within answer_within_seconds")
    abandoned_rate: float | None = Field(description="inbound calls that ended unanswered / inbound calls")
    average_handling_seconds: float | None


class CallStatsOut(Schema):
    from_: str = Field(alias="from")
    to: str
    group_by: str
    scope: str = Field(description="all, or own (an agent's own calls)")
    answer_within_seconds: int
    rows: list[CallStatsRow]


class CallStatsQuery(Schema):
    from_: str | None = Field(None, alias="from", description="first day, YYYY-MM-DD (default: 30 days ago)")
    to: str | None = Field(None, description="last day, inclusive (default: today)")
    group_by: str | None = Field(None, description="agent | hour")


@router.get(
    "/reports/calls",
    auth=BearerAuth(Capability.VIEW_CALL_STATS),
    by_alias=True,
    response={200: CallStatsOut, 401: DetailOut, 403: DetailOut, 422: ErrorsOut},
    summary="Calls per agent or per hour: volume, share answered in time, abandoned rate, handling time",
)
def calls_report(request: HttpRequest, query: Query[CallStatsQuery]):
    try:
        params = parse_params(request.GET, groups=("agent", "hour"), region_error=unknown_region_error)
    except ReportParamError as exc:
        raise ApiValidationError(exc.errors) from exc
    scope = report_scope(request.user)
    period = params.period
    rows = call_stats(period.start, period.end, params.group_by, agent=scope)
    for row in rows:
        row["key"] = str(row["key"])
    return {
        "from": params.first_day.isoformat(),
        "to": params.last_day.isoformat(),
        "group_by": params.group_by,
        "scope": "all" if scope is None else "own",
        "answer_within_seconds": answer_within_seconds(),
        "rows": rows,
    }


# --- click-to-call: the AMI bridge's side (telephony/dialing.py) ---------------------------------------------
class DialOut(Schema):
    id: int
    agent: str = Field(description="the agent id (工号) whose extension rings first")
    number: str = Field(description="E.164")
    dial: str = Field(description="the digits to dial, national form (13800138000, 02188887777)")
    reference: str


class DialsOut(Schema):
    dials: list[DialOut] = Field(description="fresh requests, each handed out once; empty when none")


class DialResultIn(Schema):
    ok: bool = Field(description="the PBX accepted the Originate and the agent's phone answered")
    detail: str | None = Field(None, description="the PBX's reason when not", **_doc(maxLength=200))


class DialResultOut(Schema):
    id: int
    result: str = Field(description="ok, failed or expired")


@router.post(
    "/cti/dials/claim",
    auth=BearerAuth(Capability.INGEST_CTI),
    response={200: DialsOut, 401: DetailOut, 403: DetailOut},
    summary="The AMI bridge asks for click-to-call requests (every second; asking also says the PBX is connected)",
)
def claim_dial_requests(request: HttpRequest):
    return {"dials": claim_dials()}


@router.post(
    "/cti/dials/{pk}/result",
    auth=BearerAuth(Capability.INGEST_CTI),
    response={200: DialResultOut, 401: DetailOut, 403: DetailOut, 409: DetailOut, 413: DetailOut, 422: ErrorsOut},
    summary="The PBX's answer to a click-to-call request's Originate",
)
def dial_result(request: HttpRequest, pk: Annotated[int, PathParam(ge=1, le=2_147_483_647)], body: DialResultIn):
    detail = device_text(body.detail or "")
    if len(detail) > 200:
        raise ApiValidationError({"detail": [_("At most 200 characters.")]})
    done = finish_dial(pk=pk, ok=body.ok, detail=detail)  # unknown: a DomainError, 409 with its code
    return {"id": done.pk, "result": done.result}
