"""How the confirming call after a dispatch (电话通知, SPEC §6) reads on the order timeline, in the reader's language:
the row keeps the recipient's name, role, the outcome code and the note. Registered from DispatchConfig.ready()."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from freightdesk.orders.timeline import actor_label, register_kind

from .models import CallOutcome


def _call(params: dict) -> dict:
    note = params["note"]
    return {
        **params,
        "role": actor_label(params["role"]),
        "outcome": str(CallOutcome(params["outcome"]).label),
        "note": f" — {note}" if note else "",
    }


def _assigned(params: dict) -> dict:
    before = params.get("before")
    return {**params, "before": (_("instead of %(driver)s") % {"driver": before}) if before else ""}


def register() -> None:
    register_kind(
        "assigned", gettext_lazy("driver assigned: %(driver)s %(phone)s, vehicle %(vehicle)s %(before)s"), _assigned
    )
    # Rows written before kept the outcome's label, not its code: CallOutcome() refuses it and they keep their text.
    register_kind(
        "dispatch_call", gettext_lazy("phoned %(name)s (%(role)s) about the dispatch: %(outcome)s%(note)s"), _call
    )
