"""Who picks up (车管派车, SPEC §1, §6): the fleet manager — or the desk — names the driver and vehicle of a
dispatched order. The driver gets the order SMS and his own driver's link at once (SPEC §7); a reassignment
ends the previous assignment, closes the first driver's link and sends him a recall SMS. ``Order.driver``
says who picks up: the assigned driver, else the region's driver the order was dispatched to."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core.errors import BadInput, DomainError
from freightdesk.messaging.models import Message, MessageKind
from freightdesk.messaging.services import Outgoing, queue_message
from freightdesk.network.models import DispatchMode, Driver, Vehicle
from freightdesk.orders.models import Order, Status
from freightdesk.orders.timeline import add_event

from .errors import DispatchErrorCode
from .links import issue_driver_link, new_token
from .models import Assignment, Dispatch, DriverLink
from .order_messages import compose_driver_link, composer_for, order_facts
from .sms_composer import Composition

logger = logging.getLogger(__name__)

# The fleet manager's own clock: the order reached him by SMS within the desk's 3 minutes (SPEC §6); he names a
# vehicle within as many, so the 30-minute pickup (SPEC §7) is still in reach.
ASSIGN_WITHIN = timedelta(minutes=3)


@dataclass(frozen=True)
class AssignmentResult:
    assignment: Assignment
    messages: list[Message]  # the order SMS and the link to the driver, then the recall to the driver before
    warnings: tuple[str, ...] = ()
    changed: bool = True  # False when the same driver and vehicle were named again: nothing was sent


def find_driver(code) -> Driver:
    driver = Driver.objects.select_related("home_region", "user").filter(code=str(code or "").strip()).first()
    if driver is None:
        raise BadInput(DispatchErrorCode.UNKNOWN_DRIVER, _("There is no driver with this code."), field="driver")
    return driver


def find_vehicle(plate) -> Vehicle | None:
    plate = str(plate or "").strip()
    if not plate:
        return None
    vehicle = Vehicle.objects.filter(plate=plate).first()
    if vehicle is None:
        raise BadInput(DispatchErrorCode.UNKNOWN_VEHICLE, _("There is no vehicle with this plate."), field="vehicle")
    return vehicle


def _check(*, order: Order, dispatch: Dispatch | None, driver: Driver, by) -> None:
    """The rules of who may assign whom (SPEC §1, §6); each refusal says why."""
    if order.status != Status.DISPATCHED or dispatch is None:
        raise DomainError(
            DispatchErrorCode.NOT_ASSIGNABLE,
            _("Order %(serial)s is “%(status)s”: only a dispatched order not yet picked up gets a driver.")
            % {"serial": order.serial, "status": Status(order.status).label},
        )
    as_desk = has_capability(by, Capability.DISPATCH)
    if not as_desk and not (dispatch.mode == DispatchMode.FLEET_MANAGER and dispatch.region.fleet_manager_id == by.pk):
        raise DomainError(
            DispatchErrorCode.NOT_DISPATCHED_TO_YOU,
            _("Order %(serial)s was not dispatched to you: its region's fleet manager assigns it.")
            % {"serial": order.serial},
        )
    if not driver.active:
        raise DomainError(
            DispatchErrorCode.DRIVER_INACTIVE,
            _("%(driver)s is not an active driver.") % {"driver": driver.name},
            field="driver",
        )
    home = driver.home_region
    if not as_desk and (home is None or home.fleet_manager_id != by.pk):
        raise DomainError(
            DispatchErrorCode.DRIVER_OTHER_REGION,
            _("%(driver)s drives in a region you do not manage (%(region)s).")
            % {"driver": driver.name, "region": home.name if home else _("no region")},
            field="driver",
        )


def assign_driver(*, order: Order, driver: Driver, vehicle: Vehicle | None = None, by, now=None) -> AssignmentResult:
    """Name the driver (and vehicle) who picks up a dispatched order (SPEC §6: the fleet manager assigns a
    vehicle). Only a dispatched order, dispatched to this fleet manager (the desk, which dispatches, may assign
    any); only an active driver, of a region the fleet manager manages. In one transaction: the previous
    assignment ends, the new one starts, ``Order.driver`` follows, the timeline says who was assigned when, the
    driver gets the order SMS and a link of his own (the previous driver's links close) and the previous driver
    a recall SMS. The same driver and vehicle named again change nothing and send nothing."""
    now = now or timezone.now()
    dispatch = Dispatch.objects.select_related("region").filter(order=order).first()
    order.status, order.driver_id = Order.objects.filter(pk=order.pk).values_list("status", "driver_id").first()
    _check(order=order, dispatch=dispatch, driver=driver, by=by)
    current = Assignment.objects.select_related("driver", "vehicle").filter(order=order, ended_at=None).first()
    if current and current.driver_id == driver.pk and current.vehicle_id == getattr(vehicle, "pk", None):
        return AssignmentResult(current, [], changed=False)
    before = current.driver if current else Driver.objects.filter(pk=order.driver_id).first()
    texts = _compose(order=order, dispatch=dispatch, before=before, driver=driver)
    try:
        with transaction.atomic():
            assignment = _write(order=order, current=current, driver=driver, vehicle=vehicle, by=by, now=now)
            messages, warnings = _notify(order=order, assignment=assignment, before=before, texts=texts, now=now)
    except IntegrityError as exc:  # another assignment of the same order won the race (one current row)
        raise DomainError(
            DispatchErrorCode.ASSIGNMENT_CHANGED, _("The order was assigned meanwhile; reload and try again.")
        ) from exc
    order.driver = driver
    return AssignmentResult(assignment, messages, warnings)


def _write(*, order, current, driver, vehicle, by, now) -> Assignment:
    if current is not None:
        ended = Assignment.objects.filter(pk=current.pk, ended_at=None).update(ended_at=now)
        if not ended:
            raise IntegrityError("assignment ended meanwhile")
    assignment = Assignment.objects.create(order=order, driver=driver, vehicle=vehicle, by=by, at=now)
    Order.objects.filter(pk=order.pk).update(driver=driver)
    # Links texted to someone else stop working: the recalled driver can no longer report this order.
    DriverLink.objects.filter(order=order, expires_at__gt=now).exclude(driver=None).exclude(driver=driver).update(
        expires_at=now
    )
    params = {
        "driver": driver.name,
        "phone": driver.phone,
        "vehicle": vehicle.plate if vehicle else "—",
        "before": current.driver.name if current else "",
    }
    add_event(
        order=order,
        kind="assigned",
        by=by,
        params=params,
        at=now,
    )
    return assignment


@dataclass(frozen=True)
class _Texts:
    order: tuple[Composition, str]
    token: str
    link: tuple[Composition, str] | None
    recall: tuple[Composition, str] | None
    problems: tuple[str, ...]


def _compose(*, order: Order, dispatch: Dispatch, before: Driver | None, driver: Driver) -> _Texts:
    """Every text before anything is written; a link or recall that cannot be composed (no approved template)
    is a warning, the order SMS itself is required (it is what the driver works from)."""
    facts = order_facts(order, agent_id=dispatch.agent_code)
    composer, code = composer_for("dispatch")
    token, problems = new_token(), []
    link = recall = None
    try:
        link = compose_driver_link(order=order, token=token)
    except DomainError as exc:
        problems.append(_("The driver's link was not sent: %(reason)s") % {"reason": exc.message})
    if before is not None and before.pk != driver.pk:
        try:
            recall_composer, recall_code = composer_for("recall")
            recall = (recall_composer.compose(facts), recall_code)
        except DomainError as exc:
            problems.append(_("The recall SMS was not sent: %(reason)s") % {"reason": exc.message})
    return _Texts((composer.compose(facts), code), token, link, recall, tuple(problems))


def _notify(*, order, assignment: Assignment, before: Driver | None, texts: _Texts, now):
    driver, key = assignment.driver, f"assign-{assignment.pk}"
    messages = [_queue(order, driver, texts.order, MessageKind.DISPATCH, f"{key}-order", assignment.by, now)]
    issue_driver_link(order=order, now=now, token=texts.token, driver=driver)
    if texts.link is not None:
        messages.append(_queue(order, driver, texts.link, MessageKind.DRIVER_LINK, f"{key}-link", assignment.by, now))
    if texts.recall is not None:
        messages.append(_queue(order, before, texts.recall, MessageKind.OTHER, f"{key}-recall", assignment.by, now))
    for problem in texts.problems:
        logger.warning("assignment %s: %s", assignment.pk, problem)
    return messages, texts.problems


def _queue(order, driver: Driver, composed, kind, key, by, now) -> Message:
    composition, template_code = composed
    return queue_message(
        outgoing=Outgoing(
            to=driver.phone,
            text=composition.text,
            signature=composition.signature,
            role="driver",
            name=driver.name,
            template_code=template_code,
            template_params=composition.params,
        ),
        kind=kind,
        order=order,
        key=key,
        created_by=by,
        now=now,
    )


def current_assignment(order: Order) -> Assignment | None:
    return Assignment.objects.select_related("driver", "vehicle").filter(order=order, ended_at=None).first()
