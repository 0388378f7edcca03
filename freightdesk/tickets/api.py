"""Tickets over JSON (API.md "Tickets"): parse, call tickets.services, serialise. The integrator mounts it:
`api.add_router("", tickets_router)` in freightdesk/api/router.py."""

from datetime import date, datetime, time, timedelta
from typing import Literal

from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Field, Header, Query, Router, Schema, Status

from freightdesk.accounts.bearer import BearerAuth, customer_account_of
from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.accounts.identity import agent_id_of, agent_label
from freightdesk.core.api.errors import DetailOut, ErrorsOut
from freightdesk.core.api.idempotency import previous_outcome, request_hash, run_once
from freightdesk.core.cleaning import CleanSchema
from freightdesk.orders.selectors import access_order_for

from . import penalties, selectors, services, targets
from .models import Category, Department, ResolutionKind, ResponsibleKind, SlaPolicy, TargetKind, TicketChannel
from .models import Status as TicketStatus
from .steps import TEXT_LIMITS
from .workflow import allowed_for

router = Router(tags=["tickets"])
PAGE_SIZE = 100
ERRORS = {401: DetailOut, 403: DetailOut, 404: DetailOut, 409: DetailOut, 422: ErrorsOut}


def _choice(choices):
    """A closed list as an inline enum (ticket statuses must not take the name of the order's Status)."""
    return Literal[tuple(choices.values)]


def _subcategories(schema: dict) -> None:
    """The active sub-categories of the SLA table (admin-editable), read when the document is served."""
    try:
        codes = sorted(set(SlaPolicy.objects.filter(active=True).values_list("subcategory", flat=True)))
    except (DatabaseError, RuntimeError):  # no database (the document built before one exists): a free code
        return
    if codes:
        schema["enum"] = codes


class CallerIn(CleanSchema):
    name: str = Field("", max_length=40)
    phone: str = Field("", max_length=30, description="Mainland mobile or landline with area code; digits only.")


class TargetIn(CleanSchema):
    """Whom a complaint is about (投诉对象). Omitted: from the order (a transit-time complaint: the driver who picks
    it up; any other complaint: the company)."""

    kind: _choice(TargetKind) | None = None
    driver: str | None = Field(None, max_length=20, description="the driver's code (kind driver)")
    agent: str | None = Field(None, max_length=4, description="the agent id, 工号 (kind agent)")


class TargetOut(Schema):
    kind: str
    driver: str | None = Field(description="the driver's code")
    agent: str | None = Field(description="the agent id (工号)")


class TicketIn(CleanSchema):
    category: _choice(Category)
    subcategory: str = Field(
        ...,
        min_length=1,
        max_length=30,
        description="A sub-category of the category in the SLA table, e.g. complaint: transit_time, fees, "
        "attitude, product_quality, other (another category's code is refused, 422).",
        json_schema_extra=_subcategories,
    )
    channel: _choice(TicketChannel) = TicketChannel.PHONE.value
    order: str | None = Field(None, max_length=16, description="order serial")
    customer: CallerIn | None = None
    description: str = Field(..., min_length=1, max_length=2000)
    demand: str = Field("", max_length=500)
    target: TargetIn | None = Field(None, description="complaints only: whom the complaint is about")


YUAN = {"pattern": r"^\d{1,8}(\.\d{1,2})?$"}


class TransitionIn(CleanSchema):
    to: _choice(TicketStatus) = Field(..., description="target status")
    note: str | None = Field(None, max_length=TEXT_LIMITS["note"])
    reply: str | None = Field(None, max_length=TEXT_LIMITS["reply"])
    department: _choice(Department) | None = None
    cause: str | None = Field(None, max_length=TEXT_LIMITS["cause"])
    responsible_kind: _choice(ResponsibleKind) | None = None
    responsible_driver: int | None = Field(None, ge=1, le=2**31 - 1)
    responsible_user: int | None = Field(None, ge=1, le=2**31 - 1)
    resolution_kind: _choice(ResolutionKind) | None = None
    resolution_amount: str | None = Field(
        None,
        description='decimal yuan, e.g. "100.00" (the step checks it: 422 with the reason)',
        json_schema_extra=YUAN,
    )
    resolution_note: str | None = Field(None, max_length=TEXT_LIMITS["resolution_note"])
    customer_notified_via: Literal["sms", "call"] | None = None
    department_responsible: bool | None = Field(None, description="step investigated: the department is at fault")
    loss_amount: str | None = Field(None, description="step proposed: the loss, decimal yuan", json_schema_extra=YUAN)
    penalty_percent: int | None = Field(None, ge=0, le=100)
    head_penalty_percent: int | None = Field(None, ge=0, le=100, description="default: the loss band's proposal")
    delay_penalty_percent: int | None = Field(None, ge=0, le=100, description="default: the delay band's proposal")
    penalty_note: str | None = Field(None, max_length=TEXT_LIMITS["penalty_note"])
    feedback: str | None = Field(None, max_length=TEXT_LIMITS["feedback"])
    root_cause: str | None = Field(None, max_length=TEXT_LIMITS["root_cause"])
    preventive_action: str | None = Field(None, max_length=TEXT_LIMITS["preventive_action"])


class ReplyOut(Schema):
    at: datetime
    text: str


class PenaltyOut(Schema):
    kind: str = Field(description="responsible | department_head | handling_delay")
    person: str
    percent: int = Field(description="share of performance pay charged (proposed_percent: what the step proposed)")
    proposed_percent: int | None


class OutcomeOut(Schema):
    """What a complaint came to (SPEC §9 steps 3–8): cause, who was responsible, the resolution and its approver,
    the penalty, the customer's feedback, the root cause and the prevention. Empty text: not reached yet."""

    department: str | None
    cause: str
    responsible_kind: str | None
    responsible: str | None = Field(description="The driver's name or the staff member's agent id.")
    resolution: str | None = Field(description="return | exchange | repair | discount | compensation | …")
    amount: str | None = Field(description="Decimal yuan, for a discount or a compensation.")
    resolution_note: str
    approved_by: str | None
    approved_at: datetime | None
    customer_notified_via: str | None
    penalty_percent: int | None
    penalty_note: str
    loss_amount: str | None = Field(description="Decimal yuan: the loss the penalties are scaled to.")
    penalties: list[PenaltyOut] = Field(description="Who was charged what share of performance pay.")
    feedback: str
    root_cause: str
    preventive_action: str


class TicketOut(Schema):
    number: str
    category: str
    subcategory: str
    channel: str
    status: str
    severity: str
    owner: str
    handler: str | None
    due_at: datetime | None
    created_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    order: str | None
    customer: CallerIn
    description: str
    demand: str
    standard_solution: str
    target: TargetOut | None = Field(description="whom a complaint is about; null for other tickets")
    allowed_transitions: list[str]
    replies: list[ReplyOut]
    outcome: OutcomeOut | None = Field(description="A complaint's outcome; null for other categories.")


class CustomerTicketOut(Schema):
    """What a customer account reads of its ticket: status, deadline and what the desk told it; no internal notes."""

    number: str
    category: str
    subcategory: str
    channel: str
    status: str
    due_at: datetime | None
    created_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    order: str | None
    description: str
    demand: str
    replies: list[ReplyOut]


class TicketPage(Schema):
    items: list[TicketOut | CustomerTicketOut]


def _local(value):
    return timezone.localtime(value).replace(microsecond=0) if value else None


def _replies(ticket) -> list[dict]:
    return [{"at": _local(r["at"]), "text": r["text"]} for r in selectors.replies(ticket)]


def customer_ticket_body(ticket) -> dict:
    return CustomerTicketOut.model_validate(
        {
            "number": ticket.number,
            "category": ticket.category,
            "subcategory": ticket.subcategory,
            "channel": ticket.channel,
            "status": ticket.status,
            "due_at": _local(ticket.due_at),
            "created_at": _local(ticket.created_at),
            "resolved_at": _local(ticket.resolved_at),
            "closed_at": _local(ticket.closed_at),
            "order": ticket.order.serial if ticket.order_id else None,
            "description": ticket.description,
            "demand": ticket.demand,
            "replies": _replies(ticket),
        }
    ).model_dump(mode="json")


def body_for(ticket, user) -> dict:
    if has_capability(user, Capability.VIEW_TICKETS):
        return ticket_body(ticket, user)
    return customer_ticket_body(ticket)


def outcome_body(ticket) -> dict | None:
    if ticket.category != Category.COMPLAINT:
        return None
    responsible = ticket.responsible_driver.name if ticket.responsible_driver_id else None
    if ticket.responsible_user_id:
        responsible = agent_label(ticket.responsible_user)
    return {
        "department": ticket.department or None,
        "cause": ticket.cause,
        "responsible_kind": ticket.responsible_kind or None,
        "responsible": responsible,
        "resolution": ticket.resolution_kind or None,
        "amount": f"{ticket.resolution_amount:.2f}" if ticket.resolution_amount is not None else None,
        "resolution_note": ticket.resolution_note,
        "approved_by": agent_label(ticket.approved_by) if ticket.approved_by_id else None,
        "approved_at": _local(ticket.approved_at),
        "customer_notified_via": ticket.customer_notified_via or None,
        "penalty_percent": ticket.penalty_percent,
        "penalty_note": ticket.penalty_note,
        "loss_amount": f"{ticket.loss_amount:.2f}" if ticket.loss_amount is not None else None,
        "penalties": penalties.charged(ticket),
        "feedback": ticket.feedback,
        "root_cause": ticket.root_cause,
        "preventive_action": ticket.preventive_action,
    }


def ticket_body(ticket, user) -> dict:
    local = _local
    return TicketOut.model_validate(
        {
            "number": ticket.number,
            "category": ticket.category,
            "subcategory": ticket.subcategory,
            "channel": ticket.channel,
            "status": ticket.status,
            "severity": ticket.severity,
            "owner": ticket.owner_group,
            "handler": agent_label(ticket.handler) if ticket.handler else None,
            "due_at": local(ticket.due_at),
            "created_at": local(ticket.created_at),
            "resolved_at": local(ticket.resolved_at),
            "closed_at": local(ticket.closed_at),
            "order": ticket.order.serial if ticket.order_id else None,
            "customer": {"name": ticket.customer_name, "phone": ticket.customer_phone},
            "description": ticket.description,
            "demand": ticket.demand,
            "standard_solution": ticket.standard_solution,
            "target": target_body(ticket),
            "allowed_transitions": [t.target for t in allowed_for(user, ticket)],
            "replies": _replies(ticket),
            "outcome": outcome_body(ticket),
        }
    ).model_dump(mode="json")


def target_body(ticket) -> dict | None:
    if not ticket.target_kind:
        return None
    about_driver, about_agent = ticket.target_kind == TargetKind.DRIVER, ticket.target_kind == TargetKind.AGENT
    return {
        "kind": ticket.target_kind,
        "driver": ticket.driver.code if about_driver and ticket.driver_id else None,
        "agent": (agent_id_of(ticket.agent) or None) if about_agent and ticket.agent_id else None,
    }


@router.post(
    "/tickets",
    auth=BearerAuth(Capability.FILE_TICKET),
    response={201: TicketOut | CustomerTicketOut, **ERRORS},
    summary="Record a ticket (query, complaint, suggestion, emergency); a customer account files its own",
)
def create_ticket(
    request: HttpRequest,
    payload: TicketIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", min_length=1, max_length=255),
):
    digest = request_hash(method="POST", path="tickets", body=payload.model_dump(mode="json"))
    if idempotency_key and (outcome := previous_outcome(user=request.user, key=idempotency_key, digest=digest)):
        return _replay(outcome)
    order = access_order_for(request.user, payload.order) if payload.order else None
    caller = payload.customer or CallerIn()
    account = customer_account_of(request.user)

    def create() -> tuple[int, dict]:
        ticket = services.open_ticket(
            by=request.user,
            category=payload.category,
            subcategory=payload.subcategory,
            channel="web_message" if account is not None else payload.channel,
            description=payload.description,
            demand=payload.demand,
            order=order,
            customer_name=caller.name or (account.customer.name if account else ""),
            customer_phone=caller.phone,
            customer=account.customer if account else None,
            target=targets.TargetIn(**{k: v or "" for k, v in payload.target.model_dump().items()})
            if payload.target
            else None,
        )
        return 201, body_for(ticket, request.user)

    if not idempotency_key:
        return Status(*create())
    outcome = run_once(user=request.user, key=idempotency_key, digest=digest, create=create)
    return _replay(outcome) if outcome.replayed else Status(outcome.status, outcome.body)


def _replay(outcome) -> JsonResponse:
    response = JsonResponse(outcome.body, status=outcome.status, safe=False)
    response["Idempotent-Replayed"] = "true"
    return response


@router.get(
    "/tickets/{number}",
    auth=BearerAuth(Capability.READ_TICKETS),
    response={200: TicketOut | CustomerTicketOut, **ERRORS},
    summary="A ticket (a customer account: its own, with the replies, never internal notes)",
)
def get_ticket(request: HttpRequest, number: str):
    return body_for(selectors.access_ticket_for(request.user, number), request.user)


@router.get(
    "/tickets",
    auth=BearerAuth(Capability.READ_TICKETS),
    response={200: TicketPage, **ERRORS},
    summary="A page of the tickets the token may see, newest first",
)
def list_tickets(
    request: HttpRequest,
    status: str = "",
    start: date | None = Query(None, alias="from"),
    end: date | None = Query(None, alias="to"),
):
    rows = selectors.visible_tickets(request.user).select_related(
        "order",
        "handler__profile",
        "approved_by__profile",
        "responsible_driver",
        "responsible_user__profile",
        "driver",
        "agent__profile",
    )
    if status:
        rows = rows.filter(status=status)
    if start:
        rows = rows.filter(created_at__gte=_day(start))
    if end:
        rows = rows.filter(created_at__lt=_day(end) + timedelta(days=1))
    return {"items": [body_for(t, request.user) for t in rows.order_by("-created_at", "-id")[:PAGE_SIZE]]}


def _day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())


@router.post(
    "/tickets/{number}/transition",
    auth=BearerAuth(Capability.WORK_TICKETS),
    response={200: TicketOut, **ERRORS},
    summary="Take one step of the ticket's workflow (409 not from this status, 403 not for this role)",
)
def transition(request: HttpRequest, number: str, payload: TransitionIn):
    ticket = selectors.access_ticket_for(request.user, number)
    data = {k: v for k, v in payload.model_dump().items() if k != "to" and v is not None}
    ticket = services.transition_ticket(ticket=ticket, by=request.user, to=payload.to, data=data)
    return ticket_body(ticket, request.user)
