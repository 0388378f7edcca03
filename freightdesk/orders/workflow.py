"""The order's state machine as data (SPEC §4–§7; voiding and correcting: API.md additions).

Each row: the step, the statuses it may leave, the status it sets (``None``: the status stays), who may take
it (a capability of `accounts/capabilities.py` held by the user who takes it; ``by_link``: the driver's link too,
whose token vouches for him),
the order fields the step must fill and the details its timeline row must hold. `transition_order`
(`transitions.py`) is the only code that reads it to change an order's status.
"""

from dataclasses import dataclass
from enum import StrEnum

from freightdesk.accounts.capabilities import Capability, has_capability

from .models import AWAITING_REVIEW, Status

NEW = "new"  # before the order exists: intake's steps start here


class Step(StrEnum):
    RECEIVE = "receive"  # a web or chat order arrives and waits for review (SPEC §5)
    TAKE = "take"  # 接单: an agent takes a phone order, confirmed at once (SPEC §4)
    CONFIRM = "confirm"  # review outcomes (核单, SPEC §5)
    PROBLEM = "problem"  # 问题单: waiting on the customer
    VOID = "void"  # 作废: in review, or a confirmed or dispatched order before pickup
    CORRECT = "correct"  # 改单: a confirmed or dispatched order before pickup; the status stays
    DISPATCH = "dispatch"  # 派单 (SPEC §6)
    PICK_UP = "pick_up"  # the driver's reports (SPEC §7)
    IN_TRANSIT = "in_transit"
    DELIVER = "deliver"
    EXCEPTION = "exception"  # 异常: recorded with a reason, the status stays (the order goes on the board)


@dataclass(frozen=True)
class Transition:
    step: str
    sources: frozenset
    target: str | None  # None: the step leaves the status as it is
    capability: Capability | None  # None: anyone, the public web page included
    fields: tuple = ()  # order fields the step must set
    details: tuple = ()  # what its timeline row must say (a note, a reason)
    by_link: bool = False  # the driver's link may take it too


AFTER_REVIEW = frozenset({Status.CONFIRMED, Status.DISPATCHED})  # before pickup
ON_THE_ROAD = frozenset({Status.DISPATCHED, Status.PICKED_UP, Status.IN_TRANSIT})
T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    # Intake (SPEC §3–§5)
    T(Step.RECEIVE, frozenset({NEW}), Status.SUBMITTED, None, ("review_due_at",)),
    T(
        Step.TAKE,
        frozenset({NEW}),
        Status.CONFIRMED,
        Capability.TAKE_ORDER,
        ("taken_by", "confirmed_at", "dispatch_due_at", "pickup_due_at"),
    ),
    # Review (SPEC §5)
    T(
        Step.CONFIRM,
        AWAITING_REVIEW,
        Status.CONFIRMED,
        Capability.REVIEW_ORDER,
        ("confirmed_at", "dispatch_due_at", "pickup_due_at"),
    ),
    T(
        Step.PROBLEM,
        AWAITING_REVIEW,
        Status.PROBLEM,
        Capability.REVIEW_ORDER,
        ("problem_callback_at", "review_due_at"),
        ("note",),
    ),
    T(Step.VOID, AWAITING_REVIEW, Status.VOID, Capability.REVIEW_ORDER, details=("void_reason",)),
    # After review, before pickup (API.md: voiding and correcting an order)
    T(Step.VOID, AFTER_REVIEW, Status.VOID, Capability.VOID_ORDER, details=("void_reason",)),
    T(Step.CORRECT, AFTER_REVIEW, None, Capability.CORRECT_ORDER, details=("before", "after")),
    # Dispatch (SPEC §6)
    T(Step.DISPATCH, frozenset({Status.CONFIRMED}), Status.DISPATCHED, Capability.DISPATCH),
    # Tracking (SPEC §7)
    T(Step.PICK_UP, frozenset({Status.DISPATCHED}), Status.PICKED_UP, Capability.REPORT_EVENTS, by_link=True),
    T(Step.IN_TRANSIT, frozenset({Status.PICKED_UP}), Status.IN_TRANSIT, Capability.REPORT_EVENTS, by_link=True),
    T(
        Step.DELIVER,
        frozenset({Status.PICKED_UP, Status.IN_TRANSIT}),
        Status.DELIVERED,
        Capability.REPORT_EVENTS,
        by_link=True,
    ),
    T(Step.EXCEPTION, ON_THE_ROAD, None, Capability.REPORT_EVENTS, details=("note",), by_link=True),
)
del T

_BY_KEY = {(t.step, source): t for t in TRANSITIONS for source in t.sources}
# Every status an order can be in, and the statuses no step leaves.
STATUSES = frozenset(t.target for t in TRANSITIONS if t.target)
FINAL_STATUSES = STATUSES - {source for t in TRANSITIONS for source in t.sources if t.target}


def find_transition(step: str, source: str) -> Transition | None:
    return _BY_KEY.get((step, source))


def steps_from(source: str) -> list[Transition]:
    return [t for t in TRANSITIONS if source in t.sources]


def may(user, transition: Transition, *, by_link: bool = False) -> bool:
    """Whether `user` may take this step. A step taken through the driver's link is vouched for by the link's
    token (tracking checks it); one without a user is the system's (a task, or a caller that checked a token)."""
    if transition.capability is None or user is None or (by_link and transition.by_link):
        return True
    return has_capability(user, transition.capability)
