"""What a complaint is about (投诉对象, SPEC §9 step 1; API.md additions "Tickets: what a complaint is about").

A complaint names its target: a driver (by his code), an agent (by his agent id, 工号), the company, or other.
When the desk does not say, it defaults from the order — simple on purpose, the desk corrects it on the call:

- a complaint about transit time (运输时效: pickup or delivery late) is about the driver who picks the order up
  (``Order.driver``: assigned, else the region's driver it was dispatched to; before dispatch, the pickup
  region's driver);
- any other complaint, or one without an order, is about the company.

Only complaints have a target; the per-driver reports count a complaint for a driver only when its target is
that driver (``reports.queries.complaints``). Whatever the target, the ticket keeps the order's driver and agent
on ``Ticket.driver``/``Ticket.agent`` unless the target names another one.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from freightdesk.network.models import Driver

from .models import Category, TargetKind
from .steps import TicketInputError

DRIVER_SUBCATEGORIES = frozenset({"transit_time"})


@dataclass(frozen=True)
class TargetIn:
    """The target as the desk or the API gives it: the kind, a driver's code, an agent id (all optional)."""

    kind: str = ""
    driver: str = ""
    agent: str = ""


@dataclass(frozen=True)
class Target:
    kind: str  # "" for a ticket that is not a complaint
    driver: Driver | None
    agent: object | None  # the user


def driver_of(order) -> Driver | None:
    """Who picks the order up: the driver stored on it (assignment or dispatch), else its region's driver."""
    if order is None:
        return None
    return order.driver or order.pickup_region.driver


def resolve_target(*, category: str, subcategory: str, order, given: TargetIn | None) -> Target:
    """The ticket's target and the driver and agent it links, from what was given and the order; bad input
    (a target on something that is not a complaint, an unknown kind, code or agent id, a driver named on a
    complaint about an agent…) raises TicketInputError under its field."""
    given = given or TargetIn()
    linked_driver, linked_agent = driver_of(order), (order.taken_by if order is not None else None)
    if category != Category.COMPLAINT:
        if given.kind or given.driver or given.agent:
            raise TicketInputError("invalid", _("Only a complaint names whom it is about."), field="target_kind")
        return Target("", linked_driver, linked_agent)
    kind = given.kind or _default_kind(subcategory, linked_driver)
    if kind not in TargetKind.values:
        raise TicketInputError(
            "invalid", _("A complaint is about a driver, an agent, the company or other."), field="target_kind"
        )
    driver = _driver(kind, given.driver, linked_driver)
    agent = _agent(kind, given.agent, linked_agent)
    return Target(kind, driver, agent)


def _default_kind(subcategory: str, driver) -> str:
    return TargetKind.DRIVER if subcategory in DRIVER_SUBCATEGORIES and driver is not None else TargetKind.COMPANY


def _driver(kind: str, code: str, linked):
    code = (code or "").strip()
    if code and kind != TargetKind.DRIVER:
        raise TicketInputError("invalid", _("Only a complaint about a driver names a driver."), field="target_driver")
    if kind != TargetKind.DRIVER:
        return linked
    if code:
        found = Driver.objects.filter(code=code).first()
        if found is None:
            raise TicketInputError(
                "invalid", _("No driver with code %(code)s.") % {"code": code[:20]}, field="target_driver"
            )
        return found
    if linked is None:
        raise TicketInputError("required", _("Name the driver the complaint is about."), field="target_driver")
    return linked


def _agent(kind: str, agent_id: str, linked):
    agent_id = (agent_id or "").strip()
    if agent_id and kind != TargetKind.AGENT:
        raise TicketInputError("invalid", _("Only a complaint about an agent names an agent."), field="target_agent")
    if kind != TargetKind.AGENT:
        return linked
    if agent_id:
        found = get_user_model().objects.filter(profile__agent_id=agent_id).first()
        if found is None:
            raise TicketInputError(
                "invalid", _("No agent with agent id %(id)s.") % {"id": agent_id[:10]}, field="target_agent"
            )
        return found
    if linked is None:
        raise TicketInputError("required", _("Name the agent (agent id) the complaint is about."), field="target_agent")
    return linked
