"""Agents' actions on follow-ups (SPEC §7, §8): urge the driver, escalate to the fleet manager, call a
customer back, record a query. Each writes its tracking-record entry (跟踪记录) on the order, and the
SMS goes through the outbox (messaging.queue_message) in the same transaction."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core import worktime
from freightdesk.core.errors import DomainError
from freightdesk.messaging.models import Message, MessageKind
from freightdesk.messaging.services import Outgoing, queue_message
from freightdesk.orders.models import Order, Status
from freightdesk.orders.timeline import add_event, stored_text

from . import deadlines, services
from .models import (
    OPEN_FOLLOWUP,
    ActionKind,
    CallOutcome,
    FollowUp,
    FollowUpAction,
    FollowUpKind,
    FollowUpState,
    Query,
    QueryChannel,
    QueryType,
    Shipment,
)
from .services import label_for, schedule_followup

CHECKS = (FollowUpKind.PICKUP_CHECK, FollowUpKind.DELIVERY_CHECK, FollowUpKind.EXCEPTION)
MAX_SMS = 300


def driver_recipient(order: Order) -> tuple[str, str]:
    """(phone, name) of the driver who got the order: the dispatch SMS's driver, else the region's driver."""
    sent = (
        Message.objects.filter(order=order, kind=MessageKind.DISPATCH, recipient_role="driver")
        .order_by("-id")
        .values_list("to", "recipient_name")
        .first()
    )
    if sent:
        return sent
    driver = order.pickup_region.driver
    if driver is None:
        raise DomainError("no_driver", _("The pickup region has no driver: escalate to the fleet manager instead."))
    return driver.phone, driver.name


def fleet_recipient(order: Order) -> tuple[str, str]:
    for region in (order.pickup_region, order.delivery_region):
        manager = region.fleet_manager
        phone = getattr(getattr(manager, "profile", None), "phone", "") if manager else ""
        if phone:
            return phone, getattr(manager.profile, "display_name", "") or manager.get_username()
    raise DomainError("no_fleet_manager", _("Neither region of this order has a fleet manager with a phone number."))


def hours_late_for(order: Order, now) -> int:
    deadline = Shipment.objects.filter(order=order).values_list("delivery_due_at", flat=True).first()
    return deadlines.hours_late(deadline, now) if deadline else 1


def draft(kind: str, *, order: Order, agent, now=None) -> tuple[str, str, object]:
    """The prefilled SMS (text, provider template code, template params) from the editable templates
    ``urge`` and ``escalation`` (messaging.MessageTemplate)."""
    from freightdesk.dispatch.composing import compose_for_order

    now = now or timezone.now()
    extra = None
    if kind == ActionKind.ESCALATE:
        waybill = Shipment.objects.filter(order=order).values_list("waybill", flat=True).first()
        extra = {"waybill": waybill or order.serial, "hours_late": hours_late_for(order, now)}
    code = "urge" if kind == ActionKind.URGE else "escalation"
    composition, provider_code = compose_for_order(code, order=order, agent=agent, extra=extra)
    return composition.text, provider_code, composition.params


def _claim(followup: FollowUp, agent, outcome: str, now) -> None:
    done = FollowUp.objects.filter(pk=followup.pk, state__in=OPEN_FOLLOWUP).update(
        state=FollowUpState.DONE, outcome=outcome, closed_at=now, closed_by=agent
    )
    if not done:
        raise DomainError("already_handled", _("Someone has handled this follow-up already."))


def _sms(kind, *, followup, agent, text, to, name, role, now):
    from freightdesk.dispatch.composing import agent_id_for

    agent_id_for(agent)  # every follow-up SMS is signed with the agent id (工号): refuse without one
    text = (text or "").strip()
    if not text or len(text) > MAX_SMS:
        raise DomainError("bad_text", _("Write the message (at most %(n)s characters).") % {"n": MAX_SMS}, field="text")
    drafted, provider_code, params = draft(kind, order=followup.order, agent=agent, now=now)
    same = text == drafted  # an edited text goes out as free text; the provider template only fits the draft
    outgoing = Outgoing(
        to=to,
        text=text,
        signature=settings.SMS_SIGNATURE,
        role=role,
        name=name,
        template_code=provider_code if same else "",
        template_params=params if same else None,
    )
    return queue_message(
        outgoing=outgoing,
        kind=MessageKind.URGE if kind == ActionKind.URGE else MessageKind.ESCALATION,
        order=followup.order,
        key=f"{kind}-{followup.pk}",
        created_by=agent,
        now=now,
    )


def _act(kind, *, followup: FollowUp, agent, text: str, call_outcome: str, note: str, now, recipient, role):
    if followup.kind not in CHECKS:
        raise DomainError("not_a_check", _("Only a pickup or delivery check can be acted on this way."))
    if call_outcome not in CallOutcome.values:
        raise DomainError("bad_outcome", _("Choose the outcome of the call."), field="call_outcome")
    to, name = recipient(followup.order)
    with transaction.atomic():
        _claim(followup, agent, str(kind), now)
        message = _sms(kind, followup=followup, agent=agent, text=text, to=to, name=name, role=role, now=now)
        action = FollowUpAction.objects.create(
            followup=followup,
            order=followup.order,
            kind=kind,
            at=now,
            by=agent,
            to=message.to,
            text=message.text,
            message=message,
            call_outcome=call_outcome,
            note=(note or "").strip()[:200],
        )
        line = "urged" if kind == ActionKind.URGE else "escalated"
        params = {"text": message.text, "call": call_outcome, "note": action.note}
        add_event(
            order=followup.order,
            kind=line,
            text=stored_text(line, params),
            by=agent,
            by_label=label_for(agent),
            params=params,
            changes={"followup": followup.pk, "message": message.pk},
            at=now,
        )
        _next_check(followup, now)
    return action


def _next_check(followup: FollowUp, now) -> None:
    """After an urge or an escalation the order is checked again: pickup 30 working minutes later, a late
    delivery at the next twice-daily check."""
    order = Order.objects.get(pk=followup.order_id)
    if followup.kind == FollowUpKind.PICKUP_CHECK and order.status == Status.DISPATCHED:
        due = worktime.deadline_for("pickup", now)
        schedule_followup(order=order, kind=FollowUpKind.PICKUP_CHECK, due_at=due, deadline=due, now=now)
    elif followup.kind == FollowUpKind.DELIVERY_CHECK and order.status in (
        Status.PICKED_UP,
        Status.IN_TRANSIT,
        Status.DISPATCHED,
    ):
        schedule_followup(
            order=order,
            kind=FollowUpKind.DELIVERY_CHECK,
            due_at=deadlines.next_delivery_check(now),
            deadline=followup.deadline,
            now=now,
        )


def urge_driver(*, followup: FollowUp, agent, text: str, call_outcome: str = "", note: str = "", now=None):
    """Urge the driver (催提货, SPEC §7): SMS from the urge template (edited or not) and the call, recorded."""
    return _act(
        ActionKind.URGE,
        followup=followup,
        agent=agent,
        text=text,
        call_outcome=call_outcome,
        note=note,
        now=now or timezone.now(),
        recipient=driver_recipient,
        role="driver",
    )


def escalate(*, followup: FollowUp, agent, text: str, call_outcome: str = "", note: str = "", now=None):
    """Escalate a late delivery to the fleet manager (SPEC §7: ``<serial>单号<waybill>,货物已超过配送时效N小时,
    请速处理。<agent id>``), by SMS and call, recorded."""
    return _act(
        ActionKind.ESCALATE,
        followup=followup,
        agent=agent,
        text=text,
        call_outcome=call_outcome,
        note=note,
        now=now or timezone.now(),
        recipient=fleet_recipient,
        role="fleet_manager",
    )


def complete_callback(*, followup: FollowUp, agent, note: str, call_outcome: str = "reached", now=None):
    """The promised callback was made (SPEC §8; 004 §三(三)6: call back before the promised time)."""
    now = now or timezone.now()
    note = (note or "").strip()[:200]
    if followup.kind != FollowUpKind.CALLBACK:
        raise DomainError("not_a_callback", _("This follow-up is not a promised callback."))
    if not note:
        raise DomainError("note_required", _("Write what the customer was told."), field="note")
    if call_outcome not in CallOutcome.values or not call_outcome:
        raise DomainError("bad_outcome", _("Choose the outcome of the call."), field="call_outcome")
    with transaction.atomic():
        _claim(followup, agent, ActionKind.CALLBACK, now)
        action = FollowUpAction.objects.create(
            followup=followup,
            order=followup.order,
            kind=ActionKind.CALLBACK,
            at=now,
            by=agent,
            call_outcome=call_outcome,
            note=note,
        )
        params = {"outcome": call_outcome, "late": now > followup.due_at, "note": note}
        add_event(
            order=followup.order,
            kind="callback",
            text=stored_text("callback", params),
            by=agent,
            by_label=label_for(agent),
            params=params,
            changes={"followup": followup.pk},
            at=now,
        )
    return action


def record_query(
    *, order: Order, agent, type: str, channel: str, question: str = "", answer: str = "", callback_at=None, now=None
) -> Query:
    """Record a customer's query on the order (客户查询, SPEC §8), whatever the result: answered on the spot,
    or a callback promised for a time — which puts it on the due-now board until it is made."""
    now = now or timezone.now()
    errors = {}
    if type not in QueryType.values:
        errors["type"] = _("Choose the type of query.")
    if channel not in QueryChannel.values:
        errors["channel"] = _("Choose where the query came from.")
    if callback_at is None and not (answer or "").strip():
        errors["answer"] = _("Write the answer given, or promise a callback time.")
    if callback_at is not None and callback_at <= now:
        errors["callback_at"] = _("A callback is promised for a time in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        query = Query.objects.create(
            order=order,
            type=type,
            channel=channel,
            question=(question or "").strip()[:300],
            answer=(answer or "").strip()[:300],
            on_the_spot=callback_at is None,
            callback_at=callback_at,
            at=now,
            by=agent,
        )
        if callback_at:
            followup = FollowUp.objects.create(
                order=order,
                kind=FollowUpKind.CALLBACK,
                due_at=callback_at,
                deadline=callback_at,
                query=query,
                created_at=now,
                note=query.question[:200],
            )
            from .services import enqueue_checks

            enqueue_checks([followup])
        params = {
            "type": type,
            "channel": channel,
            "question": query.question,
            "answer": query.answer,
            "callback_by": callback_at.isoformat() if callback_at else "",
        }
        add_event(
            order=order,
            kind="query",
            text=stored_text("query", params),
            by=agent,
            by_label=label_for(agent),
            params=params,
            changes={"query": query.pk},
            at=now,
        )
    return query


def link_recipient(order: Order) -> tuple[str, str, str]:
    """(phone, name, role) of whoever got the order's link with the dispatch: the driver, or the fleet manager
    who passes it on; for an order dispatched before links went out with the dispatch, the driver."""
    sent = (
        Message.objects.filter(order=order, kind=MessageKind.DRIVER_LINK)
        .order_by("-id")
        .values_list("to", "recipient_name", "recipient_role")
        .first()
    )
    if sent:
        return sent
    return (*driver_recipient(order), "driver")


def send_driver_link(*, order: Order, agent, now=None, **_legacy) -> Message:
    """SMS the driver's link again (he lost it, or it expired): the live link, or a new one, in the same
    short message as after the dispatch (the ``driver_link`` template; the approved one on Aliyun/Tencent).
    (``url`` from callers of the old signature is ignored: the address comes from PUBLIC_BASE_URL.)"""
    from freightdesk.dispatch.composing import compose_driver_link

    now = now or timezone.now()
    status = Order.objects.filter(pk=order.pk).values_list("status", flat=True).first()
    if status not in (Status.DISPATCHED, Status.PICKED_UP, Status.IN_TRANSIT):
        raise DomainError(
            "no_link_now",
            _(
                "Order %(serial)s is “%(status)s”: the driver's link is for a dispatched "
                "order that is not delivered yet."
            )
            % {"serial": order.serial, "status": Status(status).label},
        )
    to, name, role = link_recipient(order)
    with transaction.atomic():
        link = order.driver_links.filter(expires_at__gt=now).order_by("-created_at").first()
        if link is None:
            link = services.issue_driver_link(order=order, now=now)
        composition, provider_code = compose_driver_link(order=order, token=link.token)
        return queue_message(
            outgoing=Outgoing(
                to=to,
                text=composition.text,
                signature=composition.signature,
                role=role,
                name=name,
                template_code=provider_code,
                template_params=composition.params,
            ),
            kind=MessageKind.DRIVER_LINK,
            order=order,
            created_by=agent,
            now=now,
        )
