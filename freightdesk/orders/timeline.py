"""How timeline events read, per kind, in the reader's language (the row keeps the facts)."""

from django.utils.translation import gettext_lazy as _

from .models import OrderEvent, Status

KIND_TEXT = {
    "taken": _("taken by %(agent)s"),
    "received": _("received from the %(channel)s"),
    "status": _("status %(before)s → %(after)s"),
    "reviewed": _("reviewed: %(before)s → %(after)s %(note)s"),
    "review_call": _("called the customer: %(outcome)s"),
    "flagged": _("no answer %(count)s times: flagged for the supervisor"),
}


def _status_label(code) -> str:
    try:
        return str(Status(code).label)
    except ValueError:
        return str(code)


def event_text(event: OrderEvent) -> str:
    template = KIND_TEXT.get(event.kind)
    params = event.changes.get("params") if isinstance(event.changes, dict) else None
    if template is None or not isinstance(params, dict):
        return event.text
    if event.kind == "status":  # status codes read as the reader's words: 已确认 → 已派单
        params = {**params, "before": _status_label(params.get("before")), "after": _status_label(params.get("after"))}
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return event.text


def add_event(*, order, kind: str, text: str, by=None, by_label: str = "", params=None, changes=None, at=None):
    """Append one line to the order's history (append-only)."""
    payload = dict(changes or {})
    if params:
        payload["params"] = params
    return OrderEvent.objects.create(
        order=order,
        kind=kind,
        text=text[:500],
        by=by,
        by_label=by_label[:40],
        changes=payload,
        **({"at": at} if at else {}),
    )
