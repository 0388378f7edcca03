"""Writes of tracking (货物跟踪, SPEC §7): schedule the checks at dispatch, status reports and the
state machine, running a check when it falls due, and the safety sweep.

Agents' actions on a follow-up (urge, escalate, callbacks, queries) live in ``actions.py``.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.errors import DomainError
from freightdesk.orders.models import Order, Status
from freightdesk.orders.timeline import add_event, stored_text

from . import deadlines, links
from .models import (
    OPEN_FOLLOWUP,
    TRANSITIONS,
    DriverLink,
    EventType,
    FollowUp,
    FollowUpKind,
    FollowUpState,
    Shipment,
    Source,
    StatusEvent,
)
from .signals import order_delivered
from .timeline import CHECK_FINDING

logger = logging.getLogger(__name__)

FUTURE_TOLERANCE = timedelta(minutes=5)  # a phone's clock may run a little fast
LINK_LIFETIME = timedelta(days=7)
SWEEP_BATCH = 500


def label_for(user) -> str:
    """Who, as the timeline shows it: the agent id (工号), a driver's name, or the username."""
    if user is None:
        return ""
    profile = getattr(user, "profile", None)
    driver = getattr(user, "driver", None)
    return (getattr(profile, "agent_id", "") or getattr(driver, "name", "") or user.get_username())[:40]


def enqueue_checks(followups) -> None:
    """One on-commit callback enqueues a deferred task per follow-up, to run at its due time."""
    plan = [(f.pk, f.due_at) for f in followups]
    if not plan:
        return

    def enqueue():
        from .tasks import run_followup

        for pk, due_at in plan:
            run_followup.using(run_after=due_at).enqueue(followup_id=pk)

    transaction.on_commit(enqueue)


def _open(order, kind):
    return FollowUp.objects.filter(order=order, kind=kind, state__in=OPEN_FOLLOWUP)


def schedule_followup(*, order, kind: str, due_at, deadline=None, now=None) -> FollowUp:
    """Schedule (or move) the one open check of ``kind`` on the order, with its deferred task."""
    now = now or timezone.now()
    with transaction.atomic():
        followup = _open(order, kind).first()
        if followup is None:
            followup = FollowUp.objects.create(order=order, kind=kind, due_at=due_at, deadline=deadline, created_at=now)
        elif followup.state == FollowUpState.SCHEDULED:
            followup.due_at, followup.deadline = due_at, deadline
            followup.save(update_fields=["due_at", "deadline"])
        else:
            return followup  # already on the board: it stays there until an agent acts
        enqueue_checks([followup])
    return followup


def schedule_after_dispatch(*, order: Order, at) -> Shipment:
    """After the dispatch SMS (SPEC §7): the pickup check 30 working minutes later and the delivery check
    at the first check time after the delivery deadline. Call inside the dispatch transaction; the tasks
    are enqueued when it commits. (The dispatch issues the driver's link itself: ``issue_driver_link``.)"""
    pickup_due = deadlines.pickup_check_due(at)
    delivery_due = deadlines.delivery_deadline(order, start=at)
    with transaction.atomic():
        shipment, _created = Shipment.objects.update_or_create(
            order=order,
            defaults={"dispatched_at": at, "pickup_due_at": pickup_due, "delivery_due_at": delivery_due},
        )
        checks = [
            FollowUp.objects.create(
                order=order, kind=FollowUpKind.PICKUP_CHECK, due_at=pickup_due, deadline=pickup_due, created_at=at
            ),
            FollowUp.objects.create(
                order=order,
                kind=FollowUpKind.DELIVERY_CHECK,
                due_at=deadlines.next_delivery_check(delivery_due),
                deadline=delivery_due,
                created_at=at,
            ),
        ]
        enqueue_checks(checks)
    return shipment


REGION_DRIVER = object()


def issue_driver_link(*, order: Order, now=None, token: str = "", driver=REGION_DRIVER) -> DriverLink:
    """A fresh link for the order (16 URL-safe characters, 96 random bits), valid LINK_LIFETIME. ``driver``
    is who it was texted to: by default the pickup region's driver; None when it went to the fleet
    manager, who passes it to the driver he assigns."""
    now = now or timezone.now()
    driver_id = order.pickup_region.driver_id if driver is REGION_DRIVER else getattr(driver, "pk", driver)
    return DriverLink.objects.create(
        token=token or links.new_token(),
        order=order,
        driver_id=driver_id,
        created_at=now,
        expires_at=now + LINK_LIFETIME,
    )


def _shipment(order: Order, now) -> Shipment:
    """The order's shipment row; an order dispatched before tracking existed gets one on first use."""
    shipment = Shipment.objects.filter(order=order).first()
    if shipment is None:
        from freightdesk.dispatch.models import Dispatch

        dispatched_at = Dispatch.objects.filter(order=order).values_list("dispatched_at", flat=True).first() or now
        shipment = Shipment.objects.create(
            order=order,
            dispatched_at=dispatched_at,
            pickup_due_at=deadlines.pickup_check_due(dispatched_at),
            delivery_due_at=deadlines.delivery_deadline(order, start=dispatched_at),
        )
    return shipment


def _check_report(order: Order, type: str, at, now) -> tuple[str, str | None]:
    if type not in TRANSITIONS:
        raise DomainError("bad_event", _("Report picked up, in transit, delivered or an exception."), field="type")
    if at > now + FUTURE_TOLERANCE:
        raise DomainError("event_in_future", _("The time reported is in the future."), field="at")
    allowed, target = TRANSITIONS[type]
    current = Order.objects.filter(pk=order.pk).values_list("status", flat=True).first()
    if current not in allowed:
        raise DomainError(
            "impossible_transition",
            _("Order %(serial)s is “%(status)s”; it cannot be reported “%(event)s” now.")
            % {"serial": order.serial, "status": Status(current).label, "event": EventType(type).label},
        )
    return current, target


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
    reason. Refused (DomainError, 409) when impossible from the order's status, dated in the future beyond
    FUTURE_TOLERANCE or before the last event; a refusal is logged and changes nothing."""
    now = now or timezone.now()
    at = at or now
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


def _record_report(*, order, type, at, note, source, by, by_label, waybill, now) -> StatusEvent:
    note = (note or "").strip()[:200]
    if source not in Source.values:
        raise DomainError("bad_source", _("Unknown source of the report."), field="source")
    if type == EventType.EXCEPTION and not note:
        raise DomainError("reason_required", _("Say what went wrong: an exception needs a reason."), field="note")
    with transaction.atomic():
        current, target = _check_report(order, type, at, now)
        shipment = _shipment(order, now)
        last = StatusEvent.objects.filter(order=order).order_by("-at").values_list("at", flat=True).first()
        floor = max(filter(None, [last, shipment.dispatched_at]))
        if at < floor:
            raise DomainError(
                "out_of_order",
                _("The time reported is before the order's last event (%(at)s).")
                % {"at": timezone.localtime(floor).strftime("%Y-%m-%d %H:%M")},
                field="at",
            )
        if target and not Order.objects.filter(pk=order.pk, status=current).update(status=target):
            raise DomainError("conflict", _("The order changed meanwhile; reload and try again."))
        label = by_label or label_for(by)
        event = StatusEvent.objects.create(
            order=order, type=type, at=at, recorded_at=now, source=source, by=by, by_label=label, note=note
        )
        _timeline(order, event, current, target, label)
        _apply(order, shipment, event, waybill, now)
    if target:
        order.status = target
    return event


def _timeline(order, event, before, after, label) -> None:
    if after:
        params = {"before": before, "after": str(after), "source": event.source, "note": event.note}
        add_event(
            order=order,
            kind="status",
            text=stored_text("status", params),
            by=event.by,
            by_label=label,
            params=params,
            changes={"status": [before, str(after)], "source": event.source},
            at=event.at,
        )
    else:
        params = {"note": event.note, "source": event.source}
        add_event(
            order=order,
            kind="exception",
            text=stored_text("exception", params),
            by=event.by,
            by_label=label,
            params=params,
            changes={"source": event.source},
            at=event.at,
        )


def _close(order, kinds, now, outcome="done") -> None:
    FollowUp.objects.filter(order=order, kind__in=kinds, state__in=OPEN_FOLLOWUP).update(
        state=FollowUpState.DONE, outcome=outcome, closed_at=now
    )


def _apply(order, shipment: Shipment, event: StatusEvent, waybill: str, now) -> None:
    """What a report changes on the shipment and the follow-ups (a check whose work is done closes itself)."""
    fields = []
    if waybill:
        shipment.waybill = waybill[:30]
        fields.append("waybill")
    if event.type == EventType.PICKED_UP:
        shipment.picked_up_at = event.at
        fields.append("picked_up_at")
        _close(order, [FollowUpKind.PICKUP_CHECK], now)
        if not order.delivery_deadline:  # the route's transit time runs from pickup
            shipment.delivery_due_at = deadlines.delivery_deadline(order, start=event.at)
            fields.append("delivery_due_at")
            schedule_followup(
                order=order,
                kind=FollowUpKind.DELIVERY_CHECK,
                deadline=shipment.delivery_due_at,
                due_at=deadlines.next_delivery_check(shipment.delivery_due_at),
                now=now,
            )
    elif event.type == EventType.DELIVERED:
        shipment.delivered_at, shipment.exception = event.at, ""
        fields += ["delivered_at", "exception"]
        _close(order, [FollowUpKind.PICKUP_CHECK, FollowUpKind.DELIVERY_CHECK, FollowUpKind.EXCEPTION], now)
        order_delivered.send(sender=StatusEvent, order=order)  # desk: the satisfaction survey (SPEC §10)
    elif event.type == EventType.EXCEPTION:
        shipment.exception = event.note
        fields.append("exception")
        if not _open(order, FollowUpKind.EXCEPTION).exists():
            FollowUp.objects.create(
                order=order,
                kind=FollowUpKind.EXCEPTION,
                state=FollowUpState.RAISED,
                due_at=event.at,
                checked_at=now,
                created_at=now,
                note=event.note,
            )
    if fields:
        shipment.save(update_fields=fields)


def _work_done(followup: FollowUp, status: str) -> bool:
    if status == Status.VOID:
        return True
    if followup.kind == FollowUpKind.PICKUP_CHECK:
        return status not in (Status.DISPATCHED, Status.CONFIRMED)
    if followup.kind == FollowUpKind.DELIVERY_CHECK:
        return status == Status.DELIVERED
    return False


def run_check(*, followup_id: int, now=None) -> FollowUp | None:
    """Run one due check (the deferred task, or the sweep): closes itself when the work is done, else puts it
    on the board and writes the finding into the tracking record (跟踪记录). Idempotent: the conditional
    update lets exactly one runner claim it; a check moved later or already run is left alone."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = FollowUp.objects.filter(pk=followup_id, state=FollowUpState.SCHEDULED, due_at__lte=now).update(
            state=FollowUpState.RAISED, checked_at=now
        )
        if not claimed:
            return None
        followup = FollowUp.objects.select_related("order").get(pk=followup_id)
        done = _work_done(followup, followup.order.status)
        if done:
            FollowUp.objects.filter(pk=followup_id).update(
                state=FollowUpState.DONE, outcome="found_done", closed_at=now
            )
            followup.state = FollowUpState.DONE
        if (followup.kind, done) in CHECK_FINDING:
            params = {"kind": followup.kind, "done": done}
            add_event(
                order=followup.order,
                kind="check",
                text=stored_text("check", params),
                by_label="system",
                params=params,
                changes={"followup": followup.pk},
                at=now,
            )
    return followup


def sweep(*, now=None, limit: int = SWEEP_BATCH) -> int:
    """The safety sweep: run every scheduled check whose time has come, including any whose task was lost.
    One range scan of the partial index on scheduled follow-ups; safe beside the tasks (each check is
    claimed by a conditional update, so it runs once whoever gets there first)."""
    now = now or timezone.now()
    due = list(
        FollowUp.objects.filter(state=FollowUpState.SCHEDULED, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    ran = 0
    for pk in due:
        if run_check(followup_id=pk, now=now) is not None:
            ran += 1
    return ran


def link_for(token: str, now=None) -> DriverLink | None:
    """The live link for a token, or None (unknown or expired)."""
    now = now or timezone.now()
    link = DriverLink.objects.select_related("order", "driver").filter(token=token).first()
    if link is None or link.expires_at <= now:
        return None
    return link


def report_by_link(*, token: str, serial: str, type: str, note: str = "", address: str = "", now=None):
    """A driver's report through his link (no password). An expired link, or a link used for another
    order, is refused and logged; nothing changes."""
    now = now or timezone.now()
    link = link_for(token, now)
    if link is None:
        logger.warning("driver link refused: unknown or expired token from %s", address)
        raise DomainError("link_expired", _("This link has expired. Call the service desk to report."))
    if serial != link.order.serial:
        logger.warning("driver link %s used for another order %r from %s", link.pk, serial[:20], address)
        raise DomainError("link_other_order", _("This link belongs to another order."))
    driver = link.driver
    event = report_event(
        order=link.order,
        type=type,
        at=now,
        note=note,
        source=Source.DRIVER_LINK,
        by=getattr(driver, "user", None),
        by_label=(driver.name if driver else _("driver")),
        now=now,
    )
    DriverLink.objects.filter(pk=link.pk).update(last_used_at=now)
    return event
