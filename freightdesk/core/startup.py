"""What a web process does once it has started, before its first request."""

import gc

from django.urls import get_resolver


def settle() -> None:
    """Load the URLconf (and with it every view module), then move everything loaded so far out of the garbage
    collector's reach (``gc.freeze``): those objects live as long as the process, and a full collection walked all
    of them again — a pause of 50–60 ms in the middle of some request (a board or an order) every few hundred
    requests. Call it after Django's setup, in the process that serves (each gunicorn or uvicorn worker)."""
    get_resolver().url_patterns  # noqa: B018  (imports the URLconf)
    gc.collect()
    gc.freeze()
