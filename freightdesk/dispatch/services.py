"""Dispatch (传递业务单, SPEC §6): compose, route, and send an order to its region by SMS, then the call."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.errors import DomainError
from freightdesk.messaging.models import Message, MessageKind
from freightdesk.messaging.services import Outgoing, queue_message
from freightdesk.network.models import Region
from freightdesk.orders.models import Order, Status
from freightdesk.orders.timeline import add_event
from freightdesk.tracking.services import schedule_after_dispatch

from .composer import Composition
from .composing import agent_id_for, composer_for, order_facts
from .models import CallOutcome, Dispatch, DispatchCall
from .routing import Recipient, recipients_for


@dataclass(frozen=True)
class DispatchPlan:
    """What pressing "dispatch" will send: shown to the agent before, returned by the service after."""

    recipients: list[Recipient]
    composition: Composition
    template_code: str
    region: Region


@dataclass(frozen=True)
class DispatchResult:
    dispatch: Dispatch
    messages: list[Message]
    composition: Composition


def _require_confirmed(order: Order) -> None:
    if order.status != Status.CONFIRMED:
        raise DomainError(
            "not_confirmed",
            _("Order %(serial)s is %(status)s; only a confirmed order can be dispatched.")
            % {"serial": order.serial, "status": Status(order.status).label},
        )


def plan_dispatch(*, order: Order, agent) -> DispatchPlan:
    """Compose the message and find the recipients without writing anything (the preview)."""
    _require_confirmed(order)
    region = Region.objects.select_related("driver", "developer__profile", "fleet_manager__profile").get(
        pk=order.pickup_region_id
    )
    recipients = recipients_for(region)
    composer, template_code = composer_for("dispatch")
    composition = composer.compose(order_facts(order, agent_id=agent_id_for(agent)))
    return DispatchPlan(recipients, composition, template_code, region)


def dispatch_order(*, order: Order, agent, now=None) -> DispatchResult:
    """Dispatch a confirmed order by SMS (SPEC §6): the order becomes ``dispatched``, the Dispatch
    row (against the 3-minute deadline), one queued message per recipient and the timeline entries
    are written in one transaction; the messages are sent by the worker after commit. A second
    dispatch of the same order is refused (409), so it never sends twice."""
    now = now or timezone.now()
    plan = plan_dispatch(order=order, agent=agent)
    composition = plan.composition
    with transaction.atomic():
        changed = Order.objects.filter(pk=order.pk, status=Status.CONFIRMED).update(status=Status.DISPATCHED)
        if not changed:
            raise DomainError("not_confirmed", _("Order %(serial)s was dispatched already.") % {"serial": order.serial})
        due = order.dispatch_due_at
        dispatch = Dispatch.objects.create(
            order=order, region=plan.region, mode=plan.region.dispatch_mode, agent=agent,
            agent_code=agent_id_for(agent), confirmed_at=order.confirmed_at, due_at=due, dispatched_at=now,
            missed=bool(due and now > due), text=composition.text, segments=composition.segments,
        )
        label = dispatch.agent_code
        add_event(order=order, kind="status", text=f"status {Status.CONFIRMED} → {Status.DISPATCHED}", by=agent,
                  by_label=label, params={"before": str(Status.CONFIRMED.value), "after": str(Status.DISPATCHED.value)},
                  changes={"status": [str(Status.CONFIRMED.value), str(Status.DISPATCHED.value)]}, at=now)
        schedule_after_dispatch(order=order, at=now)  # tracking: pickup and delivery checks (SPEC §7)
        messages = [
            queue_message(
                outgoing=Outgoing(
                    to=recipient.phone, text=composition.text, signature=composition.signature, role=recipient.role,
                    name=recipient.name, template_code=plan.template_code, template_params=composition.params,
                ),
                kind=MessageKind.DISPATCH, order=order, key=f"dispatch-{dispatch.pk}-{recipient.role}",
                created_by=agent, now=now,
            )
            for recipient in plan.recipients
        ]
    order.status = Status.DISPATCHED
    return DispatchResult(dispatch, messages, composition)


def record_call(*, order: Order, agent, role: str, outcome: str, note: str = "", now=None) -> DispatchCall:
    """Record the confirming phone call to a recipient right after the SMS (SPEC §6 电话通知)."""
    now = now or timezone.now()
    dispatch = Dispatch.objects.filter(order=order).first()
    if dispatch is None:
        raise DomainError(
            "not_dispatched", _("Order %(serial)s has not been dispatched yet.") % {"serial": order.serial}
        )
    if outcome not in CallOutcome.values:
        raise DomainError("bad_outcome", _("Choose the outcome of the call."), field="outcome")
    message = order.messages.filter(kind=MessageKind.DISPATCH, recipient_role=role).order_by("-id").first()
    if message is None:
        raise DomainError("bad_recipient", _("Nobody with that role received this order."), field="role")
    with transaction.atomic():
        call = DispatchCall.objects.create(
            dispatch=dispatch, recipient_role=role, phone=message.to, outcome=outcome, note=note[:200], at=now,
            by=agent,
        )
        label = agent_id_for(agent)
        outcome_label = CallOutcome(outcome).label
        add_event(
            order=order, kind="dispatch_call",
            text=f"已电话通知 {message.recipient_name} ({role}): {outcome_label}" + (f" — {note}" if note else ""),
            by=agent, by_label=label,
            params={"name": message.recipient_name, "role": role, "outcome": str(outcome_label), "note": note},
            at=now,
        )
    return call
