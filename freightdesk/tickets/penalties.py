"""The penalty step of a complaint (SPEC §9 step 7; 001 第一篇: 依照投诉所造成的损失大小，扣罚责任人一定比例的绩效工资;
对直接责任者和部门主管作出处罚; 对不及时处理问题而造成延误的责任人也要追究).

It proposes a share of performance pay from the loss-band table for the person responsible and, when the department
is responsible, for its head, and from the delay-band table for the handler when the ticket is past its deadline;
the desk confirms or changes each share, and the decision becomes one penalty row per person (the monthly report)."""

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.identity import agent_label
from freightdesk.core import worktime
from freightdesk.core.models import DeadlineBasis

from .events import record_event
from .models import (
    DelayPenaltyBand,
    DepartmentHead,
    LossPenaltyBand,
    Penalty,
    PenaltyKind,
    ResponsibleKind,
    Status,
    Ticket,
)
from .workflow import Transition

PERSON_KINDS = frozenset({ResponsibleKind.DRIVER, ResponsibleKind.AGENT, ResponsibleKind.STAFF})
# The percent each kind of penalty is entered in, on the ticket.
PERCENT_FIELD = {
    PenaltyKind.RESPONSIBLE: "penalty_percent",
    PenaltyKind.DEPARTMENT_HEAD: "head_penalty_percent",
    PenaltyKind.HANDLING_DELAY: "delay_penalty_percent",
}

KIND_ZH = {
    "responsible": "直接责任人",
    "department_head": "部门主管",
    "handling_delay": "处理延误",
}  # the history's text


@dataclass(frozen=True)
class Proposal:
    """What the penalty step proposes for one person; ``percent`` None: no band applies (nothing proposed)."""

    kind: str
    user: object | None
    driver: object | None
    percent: int | None
    loss: Decimal
    minutes_late: int | None
    why: str

    @property
    def person(self) -> str:
        if self.driver is not None:
            return f"{self.driver.name} ({self.driver.code})" if self.driver.code else self.driver.name
        return agent_label(self.user)

    @property
    def field(self) -> str:
        return PERCENT_FIELD[self.kind]


def is_penalty_step(step: Transition) -> bool:
    return step.target == Status.RESOLVED and "penalty_percent" in step.fields + step.optional


def loss_of(ticket: Ticket) -> Decimal:
    """The loss the complaint caused: as estimated with the resolution, else its amount (discount, compensation)."""
    if ticket.loss_amount is not None:
        return ticket.loss_amount
    return ticket.resolution_amount or Decimal("0")


def minutes_late(ticket: Ticket, now: datetime) -> int:
    """How late the handling is past the ticket's deadline, counted as its deadline policy counts (working or clock
    minutes); 0 when on time."""
    if ticket.due_at is None or now <= ticket.due_at:
        return 0
    policy = ticket.sla_policy.deadline if ticket.sla_policy_id else None
    if policy is not None and policy.basis == DeadlineBasis.WORKING:
        late = worktime.working_minutes_between(ticket.due_at, now)
    else:
        late = (now - ticket.due_at).total_seconds() / 60
    return max(math.ceil(late), 0)


def propose(ticket: Ticket, now: datetime | None = None) -> list[Proposal]:
    """The penalties the step proposes for ``ticket`` now, one per person to charge."""
    now = now or timezone.now()
    loss = loss_of(ticket)
    band = LossPenaltyBand.objects.filter(loss_from__lte=loss).order_by("-loss_from").first()
    proposals = []
    if ticket.responsible_kind in PERSON_KINDS and (ticket.responsible_driver_id or ticket.responsible_user_id):
        why = _band_text(loss, band, band.share_percent if band else None)
        proposals.append(
            Proposal(
                PenaltyKind.RESPONSIBLE,
                ticket.responsible_user,
                ticket.responsible_driver,
                band.share_percent if band else None,
                loss,
                None,
                why,
            )
        )
    head = _head(ticket)
    if head is not None:
        percent = band.head_share_percent if band else None
        proposals.append(
            Proposal(PenaltyKind.DEPARTMENT_HEAD, head, None, percent, loss, None, _band_text(loss, band, percent))
        )
    proposals.extend(_delay(ticket, now))
    return proposals


def _head(ticket: Ticket):
    if not (ticket.department_responsible and ticket.department):
        return None
    row = DepartmentHead.objects.select_related("user").filter(department=ticket.department).first()
    return row.user if row is not None and row.user.is_active else None


def _delay(ticket: Ticket, now: datetime) -> list[Proposal]:
    late = minutes_late(ticket, now)
    if not late or ticket.handler_id is None:
        return []
    band = DelayPenaltyBand.objects.filter(minutes_late_from__lte=late).order_by("-minutes_late_from").first()
    percent = band.share_percent if band else None
    why = _("%(minutes)d minutes past the deadline: %(percent)s%% of performance pay.") % {
        "minutes": late,
        "percent": "–" if percent is None else percent,
    }
    return [Proposal(PenaltyKind.HANDLING_DELAY, ticket.handler, None, percent, Decimal("0"), late, why)]


def _band_text(loss: Decimal, band, percent) -> str:
    if band is None:
        return _("Loss %(loss)s yuan: no band applies.") % {"loss": loss}
    return _("Loss %(loss)s yuan (band from %(from)s yuan): %(percent)s%% of performance pay.") % {
        "loss": loss,
        "from": band.loss_from,
        "percent": percent,
    }


def fill_proposed(ticket: Ticket, values: dict, now: datetime) -> None:
    """Before the step writes: the department head's and the delay shares not entered take the proposal; a share
    with nobody to charge is dropped. (The share of the person responsible is entered: ``steps.py``.)"""
    proposed = {p.field: p for p in propose(ticket, now) if p.kind != PenaltyKind.RESPONSIBLE}
    for field in (PERCENT_FIELD[PenaltyKind.DEPARTMENT_HEAD], PERCENT_FIELD[PenaltyKind.HANDLING_DELAY]):
        if field not in proposed:
            values[field] = None
        elif values.get(field) is None:
            values[field] = proposed[field].percent


def charge(*, ticket: Ticket, by, now: datetime) -> list[Penalty]:
    """In the step's transaction, after it wrote the shares: the ticket's penalty rows become this decision (a ticket
    resolved again after a reopening replaces its earlier ones), and the history says who was charged how much."""
    Penalty.objects.filter(ticket=ticket).delete()
    rows = []
    for proposal in propose(ticket, now):
        percent = getattr(ticket, proposal.field)
        if not percent:
            continue
        rows.append(
            Penalty.objects.create(
                ticket=ticket,
                kind=proposal.kind,
                user=proposal.user if proposal.driver is None else None,
                driver=proposal.driver,
                person_label=proposal.person[:60],
                percent=percent,
                proposed_percent=proposal.percent,
                loss_amount=proposal.loss,
                minutes_late=proposal.minutes_late,
                charged_at=now,
                charged_by=by,
            )
        )
    if rows:
        text = "；".join(f"{KIND_ZH[r.kind]} {r.person_label} 绩效工资{r.percent}%" for r in rows)
        record_event(
            ticket=ticket,
            kind="penalised",
            by=by,
            at=now,
            text=text,
            changes={"penalties": [[r.kind, r.person_label, r.percent, r.proposed_percent] for r in rows]},
        )
    return rows


def charged(ticket: Ticket) -> list[dict]:
    """The ticket's penalties as the API shows them."""
    return [
        {"kind": p.kind, "person": p.person_label, "percent": p.percent, "proposed_percent": p.proposed_percent}
        for p in ticket.penalties.all()
    ]
