"""Status reports (货物跟踪, SPEC §7): the state machine after dispatch, from the driver's link, an agent on the
phone's behalf or telematics, and what a report closes or schedules among the order's checks.

The checks themselves are ``checks.py``; agents' urges and escalations ``urging.py``; queries and promised
callbacks ``queries.py``."""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.identity import agent_label
from freightdesk.core.cleaning import check_datetime, check_text
from freightdesk.core.errors import BadInput, DomainError
from freightdesk.followups import deadlines
from freightdesk.followups.models import FollowUpKind
from freightdesk.followups.services import close_open, open_followups, schedule, schedule_check
from freightdesk.orders.models import Order, Status
from freightdesk.orders.timeline import stored_text
from freightdesk.orders.transitions import Entry, transition_order
from freightdesk.orders.workflow import find_transition

from .errors import TrackingErrorCode
from .models import DRIVER_SOURCES, EVENT_STEPS, EventType, Shipment, Source, StatusEvent
from .selectors import shipment_of
from .signals import order_delivered

logger = logging.getLogger(__name__)

FUTURE_TOLERANCE = timedelta(minutes=5)  # a phone's clock may run a little fast
NOTE_LIMIT = 200


def _shipment(order: Order, now) -> Shipment:
    """The order's shipment row, stored on the first status report: until then it is what the dispatch set."""
    shipment = shipment_of(order, now=now)
    if shipment.pk is None:
        shipment.save()
    return shipment


def _check_report(order: Order, type: str, at, now) -> tuple[str, str | None]:
    if type not in EVENT_STEPS:
        raise DomainError(
            TrackingErrorCode.BAD_EVENT, _("Report picked up, in transit, delivered or an exception."), field="type"
        )
    if at > now + FUTURE_TOLERANCE:
        raise BadInput(TrackingErrorCode.EVENT_IN_FUTURE, _("The time reported is in the future."), field="at")
    current = Order.objects.filter(pk=order.pk).values_list("status", flat=True).first()
    step = find_transition(EVENT_STEPS[type], current)
    if step is None:
        raise DomainError(
            TrackingErrorCode.IMPOSSIBLE_TRANSITION,
            _("Order %(serial)s is “%(status)s”; it cannot be reported “%(event)s” now.")
            % {"serial": order.serial, "status": Status(current).label, "event": EventType(type).label},
        )
    return current, step.target


def _changed_meanwhile(order: Order, raced: bool) -> DomainError:
    return DomainError(TrackingErrorCode.CONFLICT, _("The order changed meanwhile; reload and try again."))


def report_event(
    *,
    order: Order,
    type: str,
    at=None,
    note: str = "",
    source: str,
    by=None,
    by_label: str = "",
    waybill: str = "",
    now=None,
) -> StatusEvent:
    """A status report (SPEC §7; API ``POST /orders/{serial}/events``) from the driver's link, an agent on the
    phone's behalf, or telematics: dispatched -> picked_up -> in_transit -> delivered, or an exception with a
    reason. Refused (DomainError, 409) when impossible from the order's status or dated before the last
    event; bad input (BadInput, 422): dated in the future beyond FUTURE_TOLERANCE, a time outside the sane
    window, a note that is not text or longer than NOTE_LIMIT (never cut). A refusal is logged and changes
    nothing. A time without an offset is read in Asia/Shanghai."""
    now = now or timezone.now()
    at = _checked(check_datetime, at, "at") if at else now
    note = _checked(lambda text: check_text(text, max_length=NOTE_LIMIT), note or "", "note").strip()
    try:
        return _record_report(
            order=order, type=type, at=at, note=note, source=source, by=by, by_label=by_label, waybill=waybill, now=now
        )
    except DomainError as exc:
        logger.warning(
            "status report refused (%s): order %s, %r from %s dated %s",
            exc.code,
            order.serial,
            str(type)[:20],
            source,
            at.isoformat() if hasattr(at, "isoformat") else at,
        )
        raise


def _checked(check, value, field: str):
    try:
        return check(value)
    except ValidationError as exc:
        raise BadInput(exc.code or "invalid", exc.messages[0], field=field) from exc


def _record_report(*, order, type, at, note, source, by, by_label, waybill, now) -> StatusEvent:
    if source not in Source.values:
        raise DomainError(TrackingErrorCode.BAD_SOURCE, _("Unknown source of the report."), field="source")
    if type == EventType.EXCEPTION and not note:
        raise DomainError(
            TrackingErrorCode.REASON_REQUIRED, _("Say what went wrong: an exception needs a reason."), field="note"
        )
    with transaction.atomic():
        current, target = _check_report(order, type, at, now)
        shipment = _shipment(order, now)
        last = StatusEvent.objects.filter(order=order).order_by("-at").values_list("at", flat=True).first()
        floor = max(filter(None, [last, shipment.dispatched_at]))
        if at < floor:
            raise DomainError(
                TrackingErrorCode.OUT_OF_ORDER,
                _("The time reported is before the order's last event (%(at)s).")
                % {"at": timezone.localtime(floor).strftime("%Y-%m-%d %H:%M")},
                field="at",
            )
        label = by_label or agent_label(by)
        event = StatusEvent.objects.create(
            order=order, type=type, at=at, recorded_at=now, source=source, by=by, by_label=label, note=note
        )
        order.status = current
        transition_order(
            order=order,
            step=EVENT_STEPS[type],
            entry=_timeline_entry(event, current, target),
            by=by,
            by_link=source in DRIVER_SOURCES,
            by_label=label,
            at=event.at,
            refuse=_changed_meanwhile,
        )
        _apply(order, shipment, event, waybill, now)
    if target:
        order.status = target
    return event


def _timeline_entry(event: StatusEvent, before: str, after: str | None) -> Entry:
    if after:
        params = {"before": before, "after": str(after), "source": event.source, "note": event.note}
        changes = {"status": [before, str(after)], "source": event.source}
        return Entry("status", stored_text("status", params), params, changes)
    params = {"note": event.note, "source": event.source}
    return Entry("exception", stored_text("exception", params), params, {"source": event.source})


def _apply(order, shipment: Shipment, event: StatusEvent, waybill: str, now) -> None:
    """What a report changes on the shipment and the follow-ups (a check whose work is done closes itself)."""
    fields = []
    if waybill:
        shipment.waybill = waybill[:30]
        fields.append("waybill")
    if event.type == EventType.PICKED_UP:
        shipment.picked_up_at = event.at
        fields.append("picked_up_at")
        close_open(order=order, kinds=[FollowUpKind.PICKUP_CHECK], now=now)
        if not order.delivery_deadline:  # the route's transit time runs from pickup
            shipment.delivery_due_at = deadlines.delivery_deadline(order, start=event.at)
            fields.append("delivery_due_at")
            schedule_check(
                order=order,
                kind=FollowUpKind.DELIVERY_CHECK,
                deadline=shipment.delivery_due_at,
                due_at=deadlines.next_delivery_check(shipment.delivery_due_at),
                now=now,
            )
    elif event.type == EventType.DELIVERED:
        shipment.delivered_at, shipment.exception = event.at, ""
        fields += ["delivered_at", "exception"]
        close_open(
            order=order,
            kinds=[FollowUpKind.PICKUP_CHECK, FollowUpKind.DELIVERY_CHECK, FollowUpKind.EXCEPTION],
            now=now,
        )
        order_delivered.send(sender=StatusEvent, order=order)  # desk: the satisfaction survey (SPEC §10)
    elif event.type == EventType.EXCEPTION:
        shipment.exception = event.note
        fields.append("exception")
        if not open_followups(kind=FollowUpKind.EXCEPTION, order=order).exists():
            schedule(kind=FollowUpKind.EXCEPTION, order=order, due_at=event.at, note=event.note, raised=True, now=now)
    if fields:
        shipment.save(update_fields=fields)
