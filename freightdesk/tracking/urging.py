"""Agents' urges and escalations on a check (SPEC §7): urge the driver (催提货) when the goods are not picked up,
escalate a late delivery to the fleet manager (超时效上报车管). Each closes the check, sends the SMS through the outbox
(messaging.queue_message) in the same transaction, writes its tracking-record entry (跟踪记录) on the order, and
schedules the next check."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.errors import DomainError
from freightdesk.dispatch.order_messages import agent_id_for, compose_for_order
from freightdesk.followups import deadlines
from freightdesk.followups.models import FollowUp
from freightdesk.followups.services import claim
from freightdesk.messaging.models import Message, MessageKind
from freightdesk.messaging.seeds import ESCALATION_DUE, ESCALATION_PICKUP, URGE_CALLED
from freightdesk.messaging.services import Outgoing, queue_message
from freightdesk.orders.models import Order, Status
from freightdesk.orders.timeline import add_event

from .checks import CHECKS, schedule_next_check
from .errors import TrackingErrorCode
from .models import ActionKind, CallOutcome, FollowUpAction
from .selectors import shipment_of

MAX_SMS = 300
NOT_DELIVERED = (Status.DISPATCHED, Status.PICKED_UP, Status.IN_TRANSIT)
CALLED_RECENTLY = timedelta(hours=2)


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


def lateness(delta) -> str:
    """How late, as the SMS says it, rounded down to the minute: 40分钟, 3小时1分钟, 2天5小时."""
    minutes = max(int(delta.total_seconds() // 60), 1)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{minutes}分钟" if minutes else f"{hours}小时"
    return f"{minutes}分钟"


def _escalation(order: Order, now) -> tuple[str, dict]:
    """Which escalation text is true now, and its facts: a late delivery (超过配送时效, by the real lateness),
    goods not picked up yet, or a delivery whose deadline is still ahead."""
    shipment = shipment_of(order, now=now)
    waybill = (shipment.waybill if shipment else "") or order.serial
    deadline = shipment.delivery_due_at if shipment else None
    if deadline is not None and now > deadline:
        return "escalation", {
            "waybill": waybill,
            "lateness": lateness(now - deadline),
            "hours_late": deadlines.hours_late(deadline, now),
        }
    if shipment is None or shipment.picked_up_at is None:
        return ESCALATION_PICKUP, {"waybill": waybill}
    return ESCALATION_DUE, {"waybill": waybill, "due": timezone.localtime(deadline).strftime("%m-%d %H:%M")}


def draft(kind: str, *, order: Order, agent, now=None, customer_called: bool = False) -> tuple[str, str, object]:
    """The prefilled SMS (text, provider template code, template params) from the editable templates
    (messaging.MessageTemplate): the routine urge, the urge because the customer called (客已来电催提货), or the
    escalation that is true at ``now``."""
    now = now or timezone.now()
    extra = None
    if kind == ActionKind.ESCALATE:
        code, extra = _escalation(order, now)
    else:
        code = URGE_CALLED if customer_called else "urge"
    composition, provider_code = compose_for_order(code, order=order, agent=agent, extra=extra)
    return composition.text, provider_code, composition.params


def customer_called_recently(order: Order, now) -> bool:
    """A customer asked about this order in the last hours (a query on it): an urge now is because he called."""
    return order.queries.filter(at__gte=now - CALLED_RECENTLY, at__lte=now).exists()


def _sms(kind, *, followup, agent, text, to, name, role, now, customer_called=False):
    agent_id_for(agent)  # every follow-up SMS is signed with the agent id (工号): refuse without one
    text = (text or "").strip()
    if not text or len(text) > MAX_SMS:
        raise DomainError("bad_text", _("Write the message (at most %(n)s characters).") % {"n": MAX_SMS}, field="text")
    drafted, provider_code, params = draft(
        kind, order=followup.order, agent=agent, now=now, customer_called=customer_called
    )
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


def _act(
    kind, *, followup: FollowUp, agent, text: str, call_outcome: str, note: str, now, recipient, role, called=False
):
    if followup.kind not in CHECKS:
        raise DomainError("not_a_check", _("Only a pickup or delivery check can be acted on this way."))
    if call_outcome not in CallOutcome.values:
        raise DomainError("bad_outcome", _("Choose the outcome of the call."), field="call_outcome")
    to, name = recipient(followup.order)
    with transaction.atomic():
        claim(followup=followup, by=agent, outcome=str(kind), now=now)
        message = _sms(
            kind,
            followup=followup,
            agent=agent,
            text=text,
            to=to,
            name=name,
            role=role,
            now=now,
            customer_called=called,
        )
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
            by=agent,
            params=params,
            changes={"followup": followup.pk, "message": message.pk},
            at=now,
        )
        schedule_next_check(followup, now)
    return action


def urge_driver(
    *,
    followup: FollowUp,
    agent,
    text: str,
    call_outcome: str = "",
    note: str = "",
    customer_called: bool = False,
    now=None,
):
    """Urge the driver (催提货, SPEC §7): SMS from the routine urge template, or the "customer called" one when he
    did (edited or not), and the call, recorded."""
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
        called=customer_called,
    )


def escalate(*, followup: FollowUp, agent, text: str, call_outcome: str = "", note: str = "", now=None):
    """Escalate to the fleet manager (SPEC §7: a late delivery ``<serial>单号<waybill>,货物已超过配送时效<how late>,
    请速处理。<agent id>``; goods not picked up, or a delivery not late yet, with their own texts), by SMS and
    call, recorded."""
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


def escalations_to(user):
    """The late deliveries escalated to this fleet manager (his phone got the escalation SMS) whose order is not
    delivered yet, oldest first, each with its order."""
    phone = getattr(getattr(user, "profile", None), "phone", "")
    if not phone:
        return FollowUpAction.objects.none()
    return (
        FollowUpAction.objects.filter(kind=ActionKind.ESCALATE, to=phone, order__status__in=NOT_DELIVERED)
        .select_related("followup", "order", "order__driver")
        .order_by("at", "id")
    )


def record_fleet_call(*, escalation: FollowUpAction, by, note: str = "", now=None) -> FollowUpAction:
    """The fleet manager called the driver about a late delivery escalated to him (SPEC §7: 超时效 -> 车管): one
    tap, a note, written in the tracking record and on the order's timeline. Only an escalation to him, of an
    order not delivered yet."""
    now = now or timezone.now()
    if not escalations_to(by).filter(pk=escalation.pk).exists():
        raise DomainError(
            TrackingErrorCode.NOT_ESCALATED, _("This delivery was not escalated to you, or it is delivered already.")
        )
    note = (note or "").strip()
    if len(note) > 200:
        raise DomainError("too_long", _("At most 200 characters."), field="note")
    followup = escalation.followup
    with transaction.atomic():
        action = FollowUpAction.objects.create(
            followup=followup,
            order=followup.order,
            kind=ActionKind.FLEET_CALLED,
            at=now,
            by=by,
            to=getattr(followup.order.driver, "phone", "") or "",
            call_outcome=CallOutcome.REACHED,
            note=note,
        )
        add_event(
            order=followup.order,
            kind="fleet_called",
            by=by,
            params={"note": note},
            changes={"followup": followup.pk},
            at=now,
        )
    return action
