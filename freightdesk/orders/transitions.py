"""The one writer of an order's status: `transition_order` takes a step of the state machine in `workflow.py`.

Intake, review, dispatch and tracking call it inside their own transaction; their other rows (the Dispatch,
the status report, the fees) are written in the same one, so a refused step leaves nothing behind.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import roles_for
from freightdesk.core.errors import DomainError

from .errors import OrderErrorCode, StepIncomplete, StepNotAllowed
from .models import Order, Status
from .timeline import add_event
from .workflow import NEW, Transition, find_transition, may

# How a caller words a refusal: (order, raced) -> the error. `raced`: the step was allowed from the status the
# caller read, but another step changed the order first.
Refusal = Callable[[Order, bool], DomainError]


@dataclass(frozen=True)
class Entry:
    """The timeline row a step writes: its kind, stored text, params (read in the reader's language), changes."""

    kind: str
    text: str
    params: dict | None = None
    changes: dict | None = None


def transition_order(
    *,
    order: Order,
    step: str,
    entry: Entry,
    by=None,
    by_link: bool = False,
    by_label: str = "",
    fields: dict | None = None,
    at=None,
    refuse: Refusal | None = None,
) -> Transition:
    """Take one step of the order's workflow (SPEC §4–§7): the step must be allowed from the order's status as
    the caller read it, for who takes it (``by``'s capability, or the driver's link), and set the fields and
    timeline details the table asks for. Then, in one transaction, a conditional update moves the status (of two
    steps at once, one wins; the other is refused, nothing written) and the timeline row is written. An order
    not saved yet takes an intake step: it is inserted with its status. A saved order in memory is left as it
    was: the caller refreshes it once its whole transaction has succeeded."""
    source = NEW if order.pk is None else order.status
    transition = find_transition(step, source)
    if transition is None:
        raise (refuse or _refused)(order, False)
    if not may(by, transition, by_link=by_link):
        roles = ", ".join(sorted(str(r) for r in roles_for(transition.capability)))
        raise StepNotAllowed(OrderErrorCode.ROLE_NOT_ALLOWED, _("Only %(roles)s may do this.") % {"roles": roles})
    values = dict(fields or {})
    _require(transition, values, entry)
    # A step of a saved order may be refused inside (another step won): a savepoint lets the caller's transaction
    # go on. An intake step only inserts; an insert that fails fails the caller's whole transaction anyway.
    with transaction.atomic(savepoint=source != NEW):
        if source == NEW:
            _insert(order, transition, values)
        else:
            _move(order, transition, values, refuse)
        add_event(
            order=order,
            kind=entry.kind,
            text=entry.text,
            by=by,
            by_label=by_label,
            params=entry.params,
            changes=entry.changes,
            at=at,
        )
    return transition


def _insert(order: Order, transition: Transition, values: dict) -> None:
    for name, value in values.items():
        setattr(order, name, value)
    order.status = transition.target
    order.save(force_insert=True)


def _move(order: Order, transition: Transition, values: dict, refuse: Refusal | None) -> None:
    updates = {**values, "status": transition.target or order.status}
    if not Order.objects.filter(pk=order.pk, status=order.status).update(**updates):
        raise (refuse or _refused)(order, True)


def _require(transition: Transition, values: dict, entry: Entry) -> None:
    details = {**(entry.params or {}), **(entry.changes or {})}
    missing = [name for name in transition.fields if values.get(name) in (None, "")]
    missing += [name for name in transition.details if details.get(name) in (None, "", {})]
    if missing:
        raise StepIncomplete(
            OrderErrorCode.STEP_INCOMPLETE,
            _("The step “%(step)s” needs %(fields)s.") % {"step": transition.step, "fields": ", ".join(missing)},
            field=missing[0],
        )


def _refused(order: Order, raced: bool) -> DomainError:
    if raced:
        return DomainError(OrderErrorCode.ORDER_CHANGED, _("The order changed meanwhile; reload and try again."))
    return DomainError(
        OrderErrorCode.TRANSITION_NOT_ALLOWED,
        _("Order %(serial)s is “%(status)s”: this step is not possible now.")
        % {"serial": order.serial, "status": _status_label(order.status)},
    )


def _status_label(code: str) -> str:
    return str(Status(code).label) if code in Status.values else str(code)
