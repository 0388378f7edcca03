"""The driver's link (SPEC §7): a short, unguessable token and the address texted to the driver."""

import secrets

from django.conf import settings
from django.urls import reverse


def new_token() -> str:
    """16 URL-safe characters (96 random bits): short enough for an SMS, too many to guess."""
    return secrets.token_urlsafe(12)


def driver_link_url(token: str) -> str:
    """The absolute address of the driver's page, on the company's public address (``PUBLIC_BASE_URL``)."""
    base = settings.FREIGHTDESK["PUBLIC_BASE_URL"].rstrip("/")
    return base + reverse("tracking:driver", args=[token])
