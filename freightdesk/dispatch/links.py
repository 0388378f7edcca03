"""The driver's link (SPEC §7): a short, unguessable token, the address texted to the driver, and issuing it."""

import secrets
from datetime import timedelta

from django.utils import timezone

from freightdesk.core.links import public_url

from .models import DriverLink

LINK_LIFETIME = timedelta(days=7)
REGION_DRIVER = object()


def new_token() -> str:
    """16 URL-safe characters (96 random bits): short enough for an SMS, too many to guess."""
    return secrets.token_urlsafe(12)


def driver_link_url(token: str) -> str:
    """The absolute address of the driver's page, on the company's public address (``PUBLIC_BASE_URL``)."""
    return public_url("tracking:driver", token)


def issue_driver_link(*, order, now=None, token: str = "", driver=REGION_DRIVER) -> DriverLink:
    """A fresh link for the order (16 URL-safe characters, 96 random bits), valid LINK_LIFETIME. ``driver``
    is who it was texted to: by default the pickup region's driver; None when it went to the fleet
    manager, who passes it to the driver he assigns."""
    now = now or timezone.now()
    driver_id = order.pickup_region.driver_id if driver is REGION_DRIVER else getattr(driver, "pk", driver)
    return DriverLink.objects.create(
        token=token or new_token(),
        order=order,
        driver_id=driver_id,
        created_at=now,
        expires_at=now + LINK_LIFETIME,
    )
