"""The ticket state machines as data (SPEC §9 complaint process, 001 第一篇; SPEC §8, §10).

Each row: category, from, to, who may, the button label, the fields the step must fill.
`transition_ticket` in services.py is the only code that reads it to change a status.
A crisis ticket is locked to management: only managers may move it (SPEC §9 severity).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from freightdesk.accounts.capabilities import ROLES_FOR, Capability
from freightdesk.accounts.roles import roles_of

from .models import Category, Severity, Status

# The roles of each step come from the capability table: the desk's steps, the supervisor's, a crisis's.
DESK = ROLES_FOR[Capability.RECORD_TICKET]
SUPERVISION = ROLES_FOR[Capability.SUPERVISE_TICKETS]
CRISIS_ROLES = ROLES_FOR[Capability.WORK_CRISIS]


@dataclass(frozen=True)
class Transition:
    category: str
    source: str
    target: str
    roles: frozenset
    label: object
    fields: tuple = ()  # required
    optional: tuple = ()
    reopens: bool = False


C, Q, G, E = Category.COMPLAINT, Category.INQUIRY, Category.SUGGESTION, Category.EMERGENCY
TRANSITIONS: tuple[Transition, ...] = (
    # Complaint (SPEC §9 steps 1–8)
    Transition(C, Status.RECORDED, Status.VALIDATED, DESK, _("Valid: investigate"), optional=("note",)),
    Transition(C, Status.RECORDED, Status.DISMISSED, DESK, _("Not valid: reply and close"), fields=("reply",)),
    Transition(
        C, Status.VALIDATED, Status.ASSIGNED, DESK, _("Assign department"), fields=("department",), optional=("note",)
    ),
    Transition(
        C,
        Status.ASSIGNED,
        Status.INVESTIGATED,
        DESK,
        _("Cause found"),
        fields=("cause", "responsible_kind"),
        optional=("responsible_driver", "responsible_user", "department_responsible"),
    ),
    Transition(
        C,
        Status.INVESTIGATED,
        Status.PROPOSED,
        DESK,
        _("Propose resolution"),
        fields=("resolution_kind", "resolution_note"),
        optional=("resolution_amount", "loss_amount"),
    ),
    Transition(C, Status.PROPOSED, Status.APPROVED, SUPERVISION, _("Approve resolution"), optional=("note",)),
    Transition(C, Status.PROPOSED, Status.INVESTIGATED, SUPERVISION, _("Send back"), fields=("note",)),
    Transition(
        C,
        Status.APPROVED,
        Status.RESOLVED,
        DESK,
        _("Carried out"),
        fields=("customer_notified_via", "feedback"),
        optional=("penalty_percent", "head_penalty_percent", "delay_penalty_percent", "penalty_note"),
    ),
    Transition(
        C, Status.RESOLVED, Status.CLOSED, DESK, _("Summarise and close"), fields=("root_cause", "preventive_action")
    ),
    Transition(C, Status.RESOLVED, Status.ASSIGNED, DESK, _("Reopen"), fields=("note",), reopens=True),
    Transition(C, Status.CLOSED, Status.ASSIGNED, SUPERVISION, _("Reopen"), fields=("note",), reopens=True),
    # Inquiry (Q = query; SPEC §8): answer on the spot, or check and call back.
    Transition(Q, Status.RECORDED, Status.RESOLVED, DESK, _("Answered"), fields=("reply",)),
    Transition(Q, Status.RECORDED, Status.IN_PROGRESS, DESK, _("Check and call back"), optional=("note",)),
    Transition(Q, Status.IN_PROGRESS, Status.RESOLVED, DESK, _("Answered"), fields=("reply",)),
    Transition(Q, Status.RESOLVED, Status.CLOSED, DESK, _("Close")),
    Transition(Q, Status.RESOLVED, Status.IN_PROGRESS, DESK, _("Reopen"), fields=("note",), reopens=True),
    # Suggestion (SPEC §9): recorded, acknowledged, routed to the department.
    Transition(G, Status.RECORDED, Status.ASSIGNED, DESK, _("Route to department"), fields=("department",)),
    Transition(G, Status.ASSIGNED, Status.CLOSED, DESK, _("Department answered: close"), fields=("reply",)),
    # Emergency (SPEC §10): the supervisor handles it.
    Transition(E, Status.RECORDED, Status.IN_PROGRESS, SUPERVISION, _("Take over"), optional=("note",)),
    Transition(E, Status.IN_PROGRESS, Status.RESOLVED, SUPERVISION, _("Resolved"), fields=("reply",)),
    Transition(E, Status.RESOLVED, Status.CLOSED, SUPERVISION, _("Close")),
)

_BY_KEY = {(t.category, t.source, t.target): t for t in TRANSITIONS}
STATUSES_BY_CATEGORY = {
    cat: frozenset({Status.RECORDED} | {t.target for t in TRANSITIONS if t.category == cat}) for cat in Category
}


def find_transition(category: str, source: str, target: str) -> Transition | None:
    return _BY_KEY.get((category, source, target))


def transitions_from(category: str, source: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.category == category and t.source == source]


def roles_for(transition: Transition, severity: str) -> frozenset:
    """Who may take this step on a ticket of this severity: a crisis belongs to management alone."""
    return CRISIS_ROLES if severity == Severity.CRISIS else transition.roles


def may(user, transition: Transition, severity: str) -> bool:
    return bool(roles_of(user) & roles_for(transition, severity))


def allowed_for(user, ticket) -> list[Transition]:
    """The steps `user` may take on `ticket` now: the detail page shows exactly these as buttons."""
    return [t for t in transitions_from(ticket.category, ticket.status) if may(user, t, ticket.severity)]
