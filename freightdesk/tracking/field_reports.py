"""The driver's own page (SPEC §7, 司机): what he reports about his orders — arrived, picked up (pieces checked),
delivered (receiver's name, photo of the signed note), exception (a reason, a note, a photo) — with the phone's
position when he allowed it. A report carries a key the phone made: the same report sent again (kept offline,
sent when back online, or a retry) is stored once."""

import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from freightdesk.core.cleaning import check_datetime, check_text, parse_time
from freightdesk.core.errors import BadInput, DomainError
from freightdesk.network.models import Driver
from freightdesk.orders.models import Order, Status
from freightdesk.orders.timeline import add_event

from .errors import TrackingErrorCode
from .models import ExceptionReason, FieldReport, FieldReportKind, Source
from .photos import checked_photo
from .status import report_event

logger = logging.getLogger(__name__)

KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
ON_THE_WAY = frozenset({Status.DISPATCHED, Status.PICKED_UP, Status.IN_TRANSIT})
STATUS_KINDS = {
    FieldReportKind.PICKED_UP: "picked_up",
    FieldReportKind.DELIVERED: "delivered",
    FieldReportKind.EXCEPTION: "exception",
}


@dataclass(frozen=True)
class Position:
    latitude: Decimal
    longitude: Decimal
    accuracy_m: int | None = None


@dataclass
class Report:
    """What the driver's page sends (parsed, not yet checked against the order)."""

    kind: str
    key: str
    at: object = None  # when he pressed the button (an offline report arrives later); default: now
    position: Position | None = None
    place: str = ""
    pieces: int | None = None
    receiver: str = ""
    reason: str = ""
    note: str = ""
    photo: object = None  # an uploaded file


def _bad(code, message, field):
    raise BadInput(code, message, field=field)


def _decimal(raw, field: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        _bad(TrackingErrorCode.BAD_POSITION, _("The position is not a number."), field)
    if not value.is_finite():
        _bad(TrackingErrorCode.BAD_POSITION, _("The position is not a number."), field)
    return value


def checked_position(latitude, longitude, accuracy=None) -> Position | None:
    """The phone's position, or None when it sent none (he did not allow it); a latitude outside -90..90, a
    longitude outside -180..180, or only one of the two: BadInput."""
    lat, lng = _decimal(latitude, "latitude"), _decimal(longitude, "longitude")
    if lat is None and lng is None:
        return None
    if lat is None or lng is None:
        _bad(TrackingErrorCode.BAD_POSITION, _("Send both latitude and longitude."), "latitude")
    if not -90 <= lat <= 90:
        _bad(TrackingErrorCode.BAD_POSITION, _("A latitude is between -90 and 90."), "latitude")
    if not -180 <= lng <= 180:
        _bad(TrackingErrorCode.BAD_POSITION, _("A longitude is between -180 and 180."), "longitude")
    acc = _decimal(accuracy, "accuracy")
    accuracy_m = int(min(max(acc, Decimal(0)), Decimal(100000))) if acc is not None else None
    return Position(lat.quantize(Decimal("0.000001")), lng.quantize(Decimal("0.000001")), accuracy_m)


def checked_time(raw, now):
    if raw in (None, ""):
        return now
    try:
        return check_datetime(parse_time(str(raw)))
    except (ValidationError, ValueError, TypeError):
        _bad("invalid", _("Enter a valid date/time."), "at")


def driver_of(user) -> Driver:
    """The driver record of a logged-in driver; 404 when the login is not linked to one."""
    driver = Driver.objects.filter(user=user).select_related("home_region").first() if user else None
    if driver is None:
        raise Http404
    return driver


def access_driver_order(driver: Driver, serial: str) -> Order:
    """One of the driver's own orders (he picks it up: ``Order.driver``); 404 for any other, as for none."""
    order = Order.objects.select_related("pickup_region", "delivery_region").filter(serial=serial, driver=driver)
    found = order.first() if str(serial).isdigit() else None
    if found is None:
        logger.warning("driver %s: report refused for an order not his (%r)", driver.pk, str(serial)[:20])
        raise Http404
    return found


def _text(value: str, limit: int, field: str) -> str:
    try:
        return check_text((value or "").strip(), max_length=limit)
    except ValidationError as exc:
        _bad(exc.code or "invalid", exc.messages[0], field)


def _check(order: Order, report: Report) -> str:
    """The rules of each kind of report; returns the note its status event carries."""
    if report.kind not in FieldReportKind.values:
        _bad(TrackingErrorCode.BAD_EVENT, _("Report arrived, picked up, delivered or an exception."), "kind")
    status = Order.objects.filter(pk=order.pk).values_list("status", flat=True).first()
    if status not in ON_THE_WAY:
        raise DomainError(
            TrackingErrorCode.IMPOSSIBLE_TRANSITION,
            _("Order %(serial)s is “%(status)s”: there is nothing more to report.")
            % {"serial": order.serial, "status": Status(status).label},
        )
    _check_kind(order, report, status)
    with translation.override(settings.LANGUAGE_CODE):  # the note is stored text: in the desk's language
        return _note_for(report)


def _check_kind(order, report: Report, status: str) -> None:
    if report.kind == FieldReportKind.PICKED_UP:
        if report.pieces is None:
            _bad("required", _("Count the pieces before reporting the pickup."), "pieces")
        if report.pieces != order.quantity:
            _bad(
                TrackingErrorCode.PIECES_DIFFER,
                _("You counted %(pieces)s pieces, the order says %(quantity)s: report an exception instead.")
                % {"pieces": report.pieces, "quantity": order.quantity},
                "pieces",
            )
    elif report.kind == FieldReportKind.DELIVERED:
        if status == Status.DISPATCHED:
            raise DomainError(
                TrackingErrorCode.NOT_PICKED_UP,
                _("Order %(serial)s has not been picked up: report the pickup first.") % {"serial": order.serial},
            )
        if not report.receiver:
            _bad("required", _("Write the name of who received the goods."), "receiver")
    elif report.kind == FieldReportKind.EXCEPTION:
        if report.reason not in ExceptionReason.values:
            _bad("required", _("Choose what went wrong."), "reason")
        if report.reason == ExceptionReason.OTHER and not report.note:
            _bad("note_required", _("Say what went wrong."), "note")


def _note_for(report: Report) -> str:
    if report.kind == FieldReportKind.PICKED_UP:
        return _("%(pieces)s pieces checked") % {"pieces": report.pieces}
    if report.kind == FieldReportKind.DELIVERED:
        return _("received by %(name)s") % {"name": report.receiver}
    if report.kind == FieldReportKind.EXCEPTION:
        label = str(ExceptionReason(report.reason).label)
        return f"{label}: {report.note}"[:200] if report.note else label
    return report.note


def report_from_driver(*, driver: Driver, serial: str, report: Report, now=None) -> tuple[FieldReport, bool]:
    """A report from the driver's own page (SPEC §7). Only his own orders (another's: 404, nothing written); a
    position out of range, a photo over 10 MB or not an image, a pickup whose pieces differ, a delivery before
    the pickup: refused with the reason, nothing written. A key already stored returns that report (True: a
    resend); the status steps go through ``status.report_event`` (the order's workflow, its checks)."""
    now = now or timezone.now()
    if not KEY.match(str(report.key or "")):
        _bad("invalid", _("The report has no valid key; reload the page."), "key")
    replay = _replayed(driver, report.key)
    if replay is not None:
        return replay, True
    order = access_driver_order(driver, serial)
    report.place = _text(report.place, 60, "place")
    report.receiver = _text(report.receiver, 40, "receiver")
    report.note = _text(report.note, 150, "note")
    at = checked_time(report.at, now)
    note = _check(order, report)
    photo = checked_photo(report.photo)
    try:
        with transaction.atomic():
            row = _record(driver=driver, order=order, report=report, at=at, note=note, photo=photo, now=now)
    except IntegrityError:  # the same key, sent twice at once: the first one stored it
        replay = _replayed(driver, report.key)
        if replay is None:
            raise
        return replay, True
    return row, False


def _replayed(driver: Driver, key: str) -> FieldReport | None:
    row = FieldReport.objects.filter(key=key).first()
    if row is not None and row.driver_id != driver.pk:
        raise DomainError(TrackingErrorCode.CONFLICT, _("The report has no valid key; reload the page."))
    return row


def _record(*, driver, order, report: Report, at, note, photo, now) -> FieldReport:
    event = None
    if report.kind in STATUS_KINDS:
        event = report_event(
            order=order,
            type=STATUS_KINDS[report.kind],
            at=at,
            note=note,
            source=Source.DRIVER_PAGE,
            by=driver.user,
            by_label=driver.name,
            now=now,
        )
    else:
        params = {"place": report.place, "note": report.note}
        add_event(
            order=order,
            kind="arrived",
            by=driver.user,
            by_label=driver.name,
            params=params,
            at=at,
        )
    position = report.position
    row = FieldReport(
        key=report.key,
        order=order,
        driver=driver,
        kind=report.kind,
        at=at,
        recorded_at=now,
        latitude=position.latitude if position else None,
        longitude=position.longitude if position else None,
        accuracy_m=position.accuracy_m if position else None,
        place=report.place,
        pieces=report.pieces if report.kind == FieldReportKind.PICKED_UP else None,
        receiver=report.receiver if report.kind == FieldReportKind.DELIVERED else "",
        reason=report.reason if report.kind == FieldReportKind.EXCEPTION else "",
        note=report.note,
        event=event,
    )
    if photo is not None:
        row.photo.save(photo.name, photo, save=False)
    row.save()
    return row
