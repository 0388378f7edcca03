"""Dispatch (传递业务单, SPEC §6): compose, route, and send an order to its region by SMS, then the call."""

import logging
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.errors import DomainError
from freightdesk.messaging.models import Message, MessageKind
from freightdesk.messaging.services import Outgoing, queue_message
from freightdesk.network.models import DispatchMode, Region
from freightdesk.orders.models import Order, Status
from freightdesk.orders.timeline import add_event
from freightdesk.orders.transitions import Entry, transition_order
from freightdesk.orders.workflow import Step

from .errors import DispatchErrorCode
from .followups import schedule_checks
from .links import issue_driver_link, new_token
from .models import CallOutcome, Dispatch, DispatchCall
from .order_messages import agent_id_for, compose_driver_link, composer_for, order_facts
from .routing import Recipient, recipients_for
from .sms_composer import Composition

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkPlan:
    """The second, short SMS: the driver's link (SPEC §7), to whoever reports the pickup.

    Driver mode: the region's driver (the market developer in copy supervises, he does not report).
    Fleet-manager mode: the fleet manager, who assigns the vehicle and passes the link to its driver
    (or reports himself); the link then names no driver."""

    recipient: Recipient
    token: str
    composition: Composition | None  # None when it cannot be composed (``problem`` says why)
    template_code: str = ""
    problem: str = ""


@dataclass(frozen=True)
class DispatchPlan:
    """What pressing "dispatch" will send: shown to the agent before, returned by the service after."""

    recipients: list[Recipient]
    composition: Composition
    template_code: str
    region: Region
    link: LinkPlan | None = None


@dataclass(frozen=True)
class DispatchResult:
    dispatch: Dispatch
    messages: list[Message]  # every SMS the dispatch queued: one per recipient, then the driver's link
    composition: Composition
    link_message: Message | None = None
    warnings: tuple[str, ...] = ()


def _not_confirmed(order: Order) -> DomainError:
    return DomainError(
        DispatchErrorCode.NOT_CONFIRMED,
        _("Order %(serial)s is %(status)s; only a confirmed order can be dispatched.")
        % {"serial": order.serial, "status": Status(order.status).label},
    )


def _require_confirmed(order: Order) -> None:
    if order.status != Status.CONFIRMED:
        raise _not_confirmed(order)


# The preview shows where the driver's own code goes: the real one is made when the order is dispatched (a
# random code in the preview would not be the one sent). A stand-in of the same length and alphabet composes and
# counts exactly as the real link will; the agent sees the placeholder, of the same length, in its place.
TOKEN_LENGTH = len(new_token())  # 16
PREVIEW_TOKEN = "<链接>".ljust(TOKEN_LENGTH, "·")  # …/tracking/d/<链接>············/
_STAND_IN = "Z" * TOKEN_LENGTH  # URL-safe, so the address composes like the real one


def _plan_link(order: Order, recipients: list[Recipient], token: str | None) -> LinkPlan | None:
    reporter = next((r for r in recipients if r.role in ("driver", "fleet_manager")), None)
    if reporter is None:
        return None
    preview = token is None
    try:
        composition, template_code = compose_driver_link(order=order, token=_STAND_IN if preview else token)
    except DomainError as exc:  # e.g. no approved link template yet: the dispatch itself must not wait
        return LinkPlan(reporter, PREVIEW_TOKEN if preview else token, None, problem=exc.message)
    if preview:
        composition = replace(composition, text=composition.text.replace(_STAND_IN, PREVIEW_TOKEN))
        return LinkPlan(reporter, PREVIEW_TOKEN, composition, template_code)
    return LinkPlan(reporter, token, composition, template_code)


def plan_dispatch(*, order: Order, agent, link_token: str | None = None) -> DispatchPlan:
    """Compose the messages and find the recipients without writing anything. Without ``link_token`` it is the
    preview: the driver's link shows a placeholder of the code's length (the code is made at dispatch)."""
    _require_confirmed(order)
    region = Region.objects.select_related("driver", "developer__profile", "fleet_manager__profile").get(
        pk=order.pickup_region_id
    )
    recipients = recipients_for(region)
    composer, template_code = composer_for("dispatch")
    composition = composer.compose(order_facts(order, agent_id=agent_id_for(agent)))
    return DispatchPlan(recipients, composition, template_code, region, _plan_link(order, recipients, link_token))


def dispatch_order(*, order: Order, agent, now=None) -> DispatchResult:
    """Dispatch a confirmed order by SMS (SPEC §6), in three steps: plan (compose the messages, find the
    recipients), commit (the order becomes ``dispatched``, the Dispatch row against the 3-minute deadline, the
    tracking checks and the driver's link) and notify (one queued message per recipient, the link's short SMS
    right after, SPEC §7) — commit and notify in one transaction; the worker sends after commit (transactional
    outbox). A second dispatch of the same order is refused (409), and every message has a key derived from
    the dispatch, so it never sends twice."""
    now = now or timezone.now()
    plan = plan_dispatch(order=order, agent=agent, link_token=new_token())
    with transaction.atomic():
        dispatch = _commit(order=order, agent=agent, plan=plan, now=now)
        messages, link_message, warnings = _notify(order=order, agent=agent, plan=plan, dispatch=dispatch, now=now)
    order.status = Status.DISPATCHED
    return DispatchResult(dispatch, messages, plan.composition, link_message, warnings)


def _dispatched_already(order: Order, raced: bool) -> DomainError:
    if not raced:
        return _not_confirmed(order)
    return DomainError(
        DispatchErrorCode.NOT_CONFIRMED, _("Order %(serial)s was dispatched already.") % {"serial": order.serial}
    )


def _commit(*, order: Order, agent, plan: DispatchPlan, now) -> Dispatch:
    """The order dispatched (the order's workflow), its Dispatch row, the tracking checks and the driver's link."""
    due, confirmed_at = order.dispatch_due_at, order.confirmed_at
    label = agent_id_for(agent)
    before, after = str(Status.CONFIRMED.value), str(Status.DISPATCHED.value)
    transition_order(
        order=order,
        step=Step.DISPATCH,
        entry=Entry(
            "status",
            f"status {before} → {after}",
            params={"before": before, "after": after},
            changes={"status": [before, after]},
        ),
        by=agent,
        by_label=label,
        at=now,
        refuse=_dispatched_already,
    )
    dispatch = Dispatch.objects.create(
        order=order,
        region=plan.region,
        mode=plan.region.dispatch_mode,
        agent=agent,
        agent_code=label,
        confirmed_at=confirmed_at,
        due_at=due,
        dispatched_at=now,
        missed=bool(due and now > due),
        text=plan.composition.text,
        segments=plan.composition.segments,
    )
    if plan.region.dispatch_mode == DispatchMode.DRIVER and plan.region.driver_id:
        # Who picks up, until someone is assigned: the region's driver the SMS went to (per-driver figures).
        Order.objects.filter(pk=order.pk).update(driver_id=plan.region.driver_id)
        order.driver_id = plan.region.driver_id
    schedule_checks(order=order, at=now)  # the pickup and delivery checks (SPEC §7)
    link = plan.link
    if link is not None:
        driver = plan.region.driver if link.recipient.role == "driver" else None
        issue_driver_link(order=order, now=now, token=link.token, driver=driver)
    return dispatch


def _notify(*, order: Order, agent, plan: DispatchPlan, dispatch: Dispatch, now):
    """Queue the dispatch SMS to every recipient, then the driver's link to whoever reports the pickup."""
    composition = plan.composition
    messages = [
        _queue(
            order=order,
            agent=agent,
            recipient=recipient,
            composition=composition,
            template_code=plan.template_code,
            kind=MessageKind.DISPATCH,
            key=f"dispatch-{dispatch.pk}-{recipient.role}",
            now=now,
        )
        for recipient in plan.recipients
    ]
    link, link_message, warnings = plan.link, None, ()
    if link is not None and link.composition is not None:
        link_message = _queue(
            order=order,
            agent=agent,
            recipient=link.recipient,
            composition=link.composition,
            template_code=link.template_code,
            kind=MessageKind.DRIVER_LINK,
            key=f"dispatch-{dispatch.pk}-link",
            now=now,
        )
        messages.append(link_message)
    elif link is not None:
        warnings = (
            _("The driver's link was not sent: %(reason)s Send it from the order's tracking page once that is set up.")
            % {"reason": link.problem},
        )
        logger.warning("dispatch %s: driver link not sent: %s", dispatch.pk, link.problem)
    return messages, link_message, warnings


def _queue(*, order, agent, recipient: Recipient, composition: Composition, template_code, kind, key, now) -> Message:
    return queue_message(
        outgoing=Outgoing(
            to=recipient.phone,
            text=composition.text,
            signature=composition.signature,
            role=recipient.role,
            name=recipient.name,
            template_code=template_code,
            template_params=composition.params,
        ),
        kind=kind,
        order=order,
        key=key,
        created_by=agent,
        now=now,
    )


def record_call(*, order: Order, agent, role: str, outcome: str, note: str = "", now=None) -> DispatchCall:
    """Record the confirming phone call to a recipient right after the SMS (SPEC §6 电话通知)."""
    now = now or timezone.now()
    dispatch = Dispatch.objects.filter(order=order).first()
    if dispatch is None:
        raise DomainError(
            DispatchErrorCode.NOT_DISPATCHED,
            _("Order %(serial)s has not been dispatched yet.") % {"serial": order.serial},
        )
    if outcome not in CallOutcome.values:
        raise DomainError(DispatchErrorCode.BAD_OUTCOME, _("Choose the outcome of the call."), field="outcome")
    message = order.messages.filter(kind=MessageKind.DISPATCH, recipient_role=role).order_by("-id").first()
    if message is None:
        raise DomainError(
            DispatchErrorCode.BAD_RECIPIENT, _("Nobody with that role received this order."), field="role"
        )
    with transaction.atomic():
        call = DispatchCall.objects.create(
            dispatch=dispatch,
            recipient_role=role,
            phone=message.to,
            outcome=outcome,
            note=note[:200],
            at=now,
            by=agent,
        )
        params = {"name": message.recipient_name, "role": role, "outcome": outcome, "note": call.note}
        add_event(
            order=order,
            kind="dispatch_call",
            by=agent,
            by_label=agent_id_for(agent),
            params=params,
            at=now,
        )
    return call
