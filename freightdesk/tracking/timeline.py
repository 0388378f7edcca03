"""How tracking's lines on the order timeline read in the reader's language (跟踪记录): the row keeps the kind
and its facts as params (codes, the SMS text, notes, times); orders.timeline renders them at read time.
Registered from TrackingConfig.ready(). Rows written before a kind stored these params keep their own text."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from freightdesk.followups.models import FollowUpKind
from freightdesk.orders.timeline import register_kind

from .models import CallOutcome, QueryChannel, QueryType, Source

# A check's finding (run_check), by (follow-up kind, work found done).
CHECK_FINDING = {
    (FollowUpKind.PICKUP_CHECK, False): gettext_lazy("pickup check: not picked up yet, urge the driver"),
    (FollowUpKind.PICKUP_CHECK, True): gettext_lazy("pickup check: picked up, closed"),
    (FollowUpKind.DELIVERY_CHECK, False): gettext_lazy("delivery check: past the delivery time, not delivered"),
    (FollowUpKind.DELIVERY_CHECK, True): gettext_lazy("delivery check: delivered, closed"),
}


def _label(choices, code) -> str:
    return str(choices(code).label)  # an unknown code raises ValueError: the row keeps its stored text


def _call(code: str) -> str:
    return _("; call: %(outcome)s") % {"outcome": _label(CallOutcome, code)} if code else ""


def _sms_action(params: dict) -> dict:  # urged / escalated
    note = params["note"]
    return {**params, "call": _call(params["call"]), "note": f" ({note})" if note else ""}


def _callback(params: dict) -> dict:
    return {**params, "outcome": _label(CallOutcome, params["outcome"]), "late": _(", late") if params["late"] else ""}


def _query(params: dict) -> dict:
    if params["callback_by"]:
        at = timezone.localtime(datetime.fromisoformat(params["callback_by"]))
        result = _("callback promised by %(time)s") % {"time": f"{at:%m-%d %H:%M}"}
    else:
        result = params["answer"]
    return {
        **params,
        "type": _label(QueryType, params["type"]),
        "channel": _label(QueryChannel, params["channel"]),
        "detail": " — ".join(part for part in (params["question"], result) if part),
    }


def _status(params: dict) -> dict:  # before/after are read by orders.timeline
    return {**params, "source": _label(Source, params["source"])}


def _exception(params: dict) -> dict:
    return {**params, "source": _label(Source, params["source"])}


def _check(params: dict) -> dict:
    return {"finding": str(CHECK_FINDING[(FollowUpKind(params["kind"]), bool(params["done"]))])}


def register() -> None:
    register_kind("urged", gettext_lazy("urged the driver by SMS: %(text)s%(call)s%(note)s"), _sms_action)
    register_kind(
        "escalated", gettext_lazy("escalated to the fleet manager by SMS: %(text)s%(call)s%(note)s"), _sms_action
    )
    register_kind("callback", gettext_lazy("called the customer back (%(outcome)s)%(late)s: %(note)s"), _callback)
    register_kind("query", gettext_lazy("customer query (%(type)s, %(channel)s): %(detail)s"), _query)
    register_kind("status_reported", gettext_lazy("status %(before)s → %(after)s (%(source)s) %(note)s"), _status)
    register_kind("exception", gettext_lazy("exception: %(note)s (%(source)s)"), _exception)
    register_kind("check", "%(finding)s", _check)
    register_kind("arrived", gettext_lazy("driver arrived %(place)s %(note)s"))
    register_kind("fleet_called", gettext_lazy("the fleet manager called the driver: %(note)s"))
