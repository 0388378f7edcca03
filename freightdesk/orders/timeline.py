"""How timeline events read, per kind, in the reader's language (the row keeps the facts)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from freightdesk.accounts.identity import agent_label

from .forms import OrderForm
from .models import CallOutcome, Channel, Order, OrderEvent, OrderFee, Status, VoidReason

KIND_TEXT = {
    "taken": _("taken by %(agent)s"),
    "received": _("received from the %(channel)s"),
    "status": _("status %(before)s → %(after)s"),
    "reviewed": _("reviewed: %(before)s → %(after)s %(note)s"),
    "review_call": _("called the customer: %(outcome)s"),
    "flagged": _("no answer %(count)s times: flagged for the supervisor"),
    # Messages (messaging.services.message_event): the row keeps the number, text and error.
    "sms_queued": _("SMS to %(to)s queued: %(text)s"),
    "sms_sent": _("SMS to %(to)s sent"),
    "sms_delivered": _("SMS to %(to)s delivered"),
    "sms_failed": _("SMS to %(to)s failed: %(error)s"),
    "corrected": _("corrected with the customer: %(fields)s"),
    "voided": _("voided: %(reason)s %(note)s"),
}

# Kinds other apps write (dispatch, tracking, tickets, surveys) are registered from their AppConfig.ready() with how their stored
# params (codes, numbers, times) read in the reader's words; see register_kind.
PARAM_READERS: dict = {}


def register_kind(kind: str, template, read_params=None) -> None:
    """Let another app's timeline lines read in the reader's language: `template` (gettext_lazy, %-params) and
    `read_params(params) -> params` turning stored codes into words at render time."""
    KIND_TEXT[kind] = template
    if read_params is not None:
        PARAM_READERS[kind] = read_params


# Who wrote a line when it was not a staff member: a channel, a recipient's role, the system.
ACTOR_TEXT = {
    "system": _("system"),
    "sms": _("SMS"),
    "driver": _("Driver"),
    "developer": _("Market developer"),
    "fleet_manager": _("Fleet manager"),
    "customer": _("Customer"),
    "supervisor": _("Supervisor"),
    "agent": _("Agent"),
    **{value: label for value, label in Channel.choices},
}


def actor_label(code: str) -> str:
    """An event's `by_label` as the reader's word when it is a code (web → 网上/平台, driver → 司机);
    agent ids and names pass through."""
    label = ACTOR_TEXT.get(code or "")
    return str(label) if label is not None else (code or "")


def _status_label(code) -> str:
    try:
        return str(Status(code).label)
    except ValueError:
        return str(code)


def _choice_label(choices, code) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def _field_labels() -> dict:
    """A corrected field's name as the reader's word: the form's label, else the order's (the re-quote's
    freight, fees and total), else the fee list."""
    labels = {f.name: str(f.verbose_name) for f in Order._meta.concrete_fields}
    labels.update({name: str(f.label) for name, f in OrderForm.base_fields.items()})
    labels["fees"] = str(_("fees"))
    return labels


def _shown_value(value) -> str:
    if value is True or value == "True":
        return str(_("yes"))
    if value is False or value == "False":
        return str(_("no"))
    return "—" if value in (None, "") else str(value)


def fees_shown(value) -> str:
    """A correction's fee list ("loading 100.00, other 20.00", as stored) with each kind in the reader's words."""
    kinds = dict(OrderFee._meta.get_field("kind").choices)
    parts = []
    for part in str(value or "").split(", "):
        kind, _sep, amount = part.partition(" ")
        parts.append(f"{kinds[kind]} {amount}" if kind in kinds and amount else part)
    return ", ".join(parts)


def _corrected_params(changes: dict) -> dict | None:
    before, after = changes.get("before"), changes.get("after")
    if not isinstance(before, dict) or not isinstance(after, dict):
        return None
    labels = _field_labels()

    def shown(name, value):
        return _shown_value(fees_shown(value) if name == "fees" and value else value)

    fields = "; ".join(
        f"{labels.get(name, name)}: {shown(name, before.get(name))} → {shown(name, after.get(name))}" for name in before
    )
    return {"fields": fields}


def event_text(event: OrderEvent) -> str:
    changes = event.changes if isinstance(event.changes, dict) else {}
    params = _corrected_params(changes) if event.kind == "corrected" else changes.get("params")
    return render(event.kind, params, fallback=event.text)


def render(kind: str, params, fallback: str = "") -> str:
    """One timeline line in the active language, or `fallback` (the stored text) when the kind has no reading
    or the params are not the ones its text needs (rows written before it had one)."""
    if kind == "status" and isinstance(params, dict) and "source" in params:
        kind = "status_reported"  # tracking's reports say who reported and the note
    template = KIND_TEXT.get(kind)
    if template is None or not isinstance(params, dict):
        return fallback
    try:
        if kind in ("status", "reviewed", "status_reported"):  # status codes as the reader's words: 已确认 → 已派单
            params = {
                **params,
                "before": _status_label(params.get("before")),
                "after": _status_label(params.get("after")),
            }
        elif kind == "voided":
            params = {**params, "reason": _choice_label(VoidReason, params.get("reason"))}
        elif kind == "review_call":
            params = {**params, "outcome": _choice_label(CallOutcome, params.get("outcome"))}
        if kind in PARAM_READERS:
            params = PARAM_READERS[kind](params)
        return (str(template) % params).strip()
    except (KeyError, TypeError, ValueError, AttributeError):
        return fallback


def stored_text(kind: str, params: dict) -> str:
    """The text a new row keeps beside its params: the line in the default language (what shows if the kind
    ever loses its reading)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render(kind, params)


# The lines added inside `written_together`, not yet inserted (None: outside it, each line is inserted at once).
_held_lines: ContextVar[list | None] = ContextVar("held_timeline_lines", default=None)


@contextmanager
def written_together():
    """The timeline lines added inside the block are inserted in one statement as it ends (inside the caller's
    transaction, before the block's exit: the same rows, in the same order). An error inside drops them with the
    transaction. Taking an order writes its first line and its SMS's line this way."""
    held = []
    token = _held_lines.set(held)
    try:
        yield
    finally:
        _held_lines.reset(token)
    if held:
        OrderEvent.objects.bulk_create(held)


def add_event(*, order, kind: str, text=None, by=None, by_label=None, params=None, changes=None, at=None):
    """Append one line to the order's history (append-only). The text defaults to the kind's line with the params
    in the default language; the label to who did it as the desk names people (agent id, driver, login name).
    Inside `written_together` the line is inserted as the block ends."""
    if text is None:
        text = stored_text(kind, params or {})
    if by_label is None:
        by_label = agent_label(by)
    payload = dict(changes or {})
    if params:
        payload["params"] = params
    event = OrderEvent(
        order=order,
        kind=kind,
        text=text[:500],
        by=by,
        by_label=by_label[:40],
        changes=payload,
        **({"at": at} if at else {}),
    )
    held = _held_lines.get()
    if held is not None:
        held.append(event)
    else:
        event.save(force_insert=True)
    return event
