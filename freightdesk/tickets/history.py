"""How a ticket's history lines read on its page, in the reader's language (the rows keep the codes)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from .models import Status, Ticket, TicketEvent

KIND_LABELS = {
    "created": _("Opened"),
    "acknowledged": _("Acknowledged"),
    "paged": _("Supervisors paged"),
    "transition": _("Step"),
    "needs_manager": _("Needs a manager"),
    "escalated": _("Escalated"),
    "taken": _("Taken"),
    "urged": _("Urged"),
    "callback_promised": _("Callback promised"),
    "called_back": _("Called back"),
    "reminded": _("Reminded"),
    "callback_due": _("Callback due"),
    "breached": _("Deadline passed"),
    "survey_sent": _("Survey sent"),
    "low_satisfaction": _("Low satisfaction"),
    "severity_raised": _("Severity raised"),
    "asks_management": _("Customer asks for management"),
    "penalised": _("Penalties charged"),
    "transcript": _("Conversation transcript"),  # a chat or website message turned into this ticket
}


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    by: str
    kind: str
    before: str
    after: str
    text: str


def _status(code: str) -> str:
    try:
        return str(Status(code).label)
    except ValueError:
        return code


def history_lines(ticket: Ticket, events) -> list[HistoryLine]:
    lines = []
    for e in events:
        e: TicketEvent
        text = e.text
        if e.kind == "created" and ticket.sla_policy_id and text == f"{ticket.category}/{ticket.subcategory}":
            text = f"{ticket.get_category_display()} · {ticket.sla_policy.label}"  # not "complaint/transit_time"
        lines.append(
            HistoryLine(
                at=e.at,
                by=e.by_label or str(_("system")),
                kind=str(KIND_LABELS.get(e.kind, e.kind)),
                before=_status(e.from_status) if e.from_status else "",
                after=_status(e.to_status) if e.to_status else "",
                text=text,
            )
        )
    return lines
