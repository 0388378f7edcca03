"""Absolute addresses of the pages customers, drivers and managers open from an SMS or an e-mail."""

from django.conf import settings
from django.urls import reverse


def public_url(viewname: str, *args) -> str:
    """The page's address on the company's public address (``PUBLIC_BASE_URL``): http://…/tracking/d/<token>."""
    return settings.FREIGHTDESK["PUBLIC_BASE_URL"].rstrip("/") + reverse(viewname, args=args)
