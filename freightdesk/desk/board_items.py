"""A row of the due-now board: what it is, when it was due, its page and what can be done from it."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property, lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from freightdesk.followups.models import FollowUpKind

ITEM_LABELS = {
    FollowUpKind.PICKUP_CHECK: _("Pickup not confirmed"),
    FollowUpKind.DELIVERY_CHECK: _("Delivery past its deadline"),
    FollowUpKind.EXCEPTION: _("Exception reported"),
    FollowUpKind.CALLBACK: _("Promised callback"),
    "review": _("Review past due"),
    "dispatch": _("Dispatch past due"),
    "missed_call": _("Missed call: call back"),
    FollowUpKind.WEB_MESSAGE: _("Website message: answer"),
    "ticket": _("Ticket past its deadline"),
    "ticket_callback": _("Promised callback (ticket)"),
    "sms_phone": _("Dispatch SMS not going out: phone the recipient"),
    "emergency": _("Emergency"),
    "crisis": _("Crisis"),
}
URGENT_KINDS = frozenset({"emergency", "crisis"})
# What can be done from the board's row itself (the rest opens its page).
ROW_ACTIONS = {
    FollowUpKind.PICKUP_CHECK: ("urge", "dismiss"),
    FollowUpKind.EXCEPTION: ("urge", "dismiss"),
    FollowUpKind.DELIVERY_CHECK: ("escalate", "dismiss"),
    FollowUpKind.CALLBACK: ("called_back", "dismiss"),
    "ticket_callback": ("called_back", "dismiss"),
    "missed_call": ("called_back", "dismiss"),
}
ACTIONS = {
    FollowUpKind.PICKUP_CHECK: "urge",
    FollowUpKind.DELIVERY_CHECK: "escalate",
    FollowUpKind.EXCEPTION: "urge",
    FollowUpKind.CALLBACK: "callback",
}


@dataclass(frozen=True)
class BoardItem:
    kind: str
    due_at: datetime
    serial: str
    route: str
    link: tuple = ()  # (URL name, its args, what follows the path): the row's page, reversed only if shown
    note: str = ""
    ref: int | None = None  # the follow-up's or the call's id: what a row action acts on
    agent: str = ""  # whose it is (agent id); "" everyone's
    allowed: timedelta | None = None  # the time the step is allowed; None: the kind's policy

    @property
    def label(self):
        return ITEM_LABELS[self.kind]

    @cached_property
    def url(self) -> str:
        name, args, rest = self.link or ("", (), "")
        return _page_url(get_script_prefix(), name, args) + rest if name else ""

    @property
    def actions(self) -> tuple[str, ...]:
        return ROW_ACTIONS.get(self.kind, ())


@lru_cache(maxsize=4096)
def _page_url(prefix: str, name: str, args: tuple) -> str:
    """A row's page: the same rows come back on every poll of every screen, so their paths are reversed once."""
    return reverse(name, args=args)
