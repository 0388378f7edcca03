"""The driver's live position (实时位置, SPEC §7): while his page is open and he allowed it, the phone sends its
position now and then; the newest is kept, one row per driver, and shown for the goods he has on board."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from freightdesk.network.models import Driver
from freightdesk.orders.models import Status

from .models import DriverPosition

# At most one stored position per driver in this time: a phone that reports every few seconds writes seldom.
MIN_INTERVAL = timedelta(seconds=20)
ON_BOARD = frozenset({Status.PICKED_UP, Status.IN_TRANSIT})


def share_position(*, driver: Driver, position, now=None) -> bool:
    """Keep ``position`` (``field_reports.checked_position``'s) as the driver's live position; False when one was kept less than MIN_INTERVAL ago
    (nothing written). The time is the server's: a live position is sent when it is taken, never kept offline."""
    now = now or timezone.now()
    fields = {"at": now, "latitude": position.latitude, "longitude": position.longitude}
    fields["accuracy_m"] = position.accuracy_m
    updated = DriverPosition.objects.filter(driver=driver, at__lte=now - MIN_INTERVAL).update(**fields)
    if updated:
        return True
    if DriverPosition.objects.filter(driver=driver).exists():
        return False
    try:
        with transaction.atomic():
            DriverPosition.objects.create(driver=driver, **fields)
    except IntegrityError:  # the same driver's other tab stored his first position at the same moment
        return False
    return True


def live_position(driver_id: int | None, *, status: str, after) -> DriverPosition | None:
    """The driver's live position for goods he has on board, when it is newer than ``after`` (the last report)."""
    if driver_id is None or status not in ON_BOARD:
        return None
    found = DriverPosition.objects.filter(driver_id=driver_id).first()
    if found is None or (after is not None and found.at <= after):
        return None
    return found
