"""What a row of the due-now board does from the board itself (SPEC §7, §8, §10): urge the driver, escalate a late
delivery, record a callback made (a promised one, a ticket's, a missed call's), or set the row aside with a reason.
Each is one operational app's service; setting aside is the desk's own record (`models.Dismissal`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.cleaning import check_text
from freightdesk.core.errors import BadInput, DomainError
from freightdesk.followups.models import OPEN_FOLLOWUP, FollowUp, FollowUpKind
from freightdesk.followups.services import claim
from freightdesk.orders.timeline import add_event
from freightdesk.telephony import callbacks
from freightdesk.telephony.models import Call
from freightdesk.telephony.services import callback_done
from freightdesk.tickets import followups as ticket_followups
from freightdesk.tracking import queries, urging

from .board_items import ROW_ACTIONS
from .models import Dismissal

MAX_REASON = 200


def _followup(kind: str, ref) -> FollowUp:
    followup = (
        FollowUp.objects.select_related("order__pickup_region", "order__delivery_region")
        .filter(pk=ref, kind=kind)
        .first()
    )
    if followup is None or followup.state not in OPEN_FOLLOWUP:
        raise DomainError("already_handled", _("Someone has handled this follow-up already."))
    return followup


def _call(ref) -> Call:
    call = Call.objects.filter(pk=ref).first()
    if call is None or callbacks.pending(call) is None:
        raise DomainError("no_callback", _("This call has no pending callback."))
    return call


def act(*, kind: str, ref: int, action: str, by, note: str = "", now=None) -> str:
    """Do ``action`` on the board row (``kind``, ``ref``); returns what was done, for the row."""
    now = now or timezone.now()
    note = " ".join((note or "").split())
    if action not in ROW_ACTIONS.get(kind, ()):
        raise DomainError("not_on_board", _("This cannot be done from the board: open the row."))
    try:
        check_text(note, max_length=MAX_REASON)
    except ValidationError as exc:
        raise BadInput("invalid", exc.messages[0], field="note") from None
    if action == "dismiss":
        return dismiss(kind=kind, ref=ref, by=by, reason=note, now=now)
    if action in ("urge", "escalate"):
        followup = _followup(kind, ref)
        text, _code, _params = urging.draft(action, order=followup.order, agent=by, now=now)
        service = urging.urge_driver if action == "urge" else urging.escalate
        service(followup=followup, agent=by, text=text, note=note, now=now)
        return _("Driver urged by SMS.") if action == "urge" else _("Escalated to the fleet manager by SMS.")
    if kind == "missed_call":
        callback_done(call=_call(ref), by=by, now=now)
    elif kind == "ticket_callback":
        ticket_followups.complete_callback(callback=_followup(kind, ref), by=by, note=note, now=now)
    else:
        # "Called back" on the row is the agent's word that he reached the customer (the service has no default).
        queries.complete_callback(followup=_followup(kind, ref), agent=by, note=note, call_outcome="reached", now=now)
    return _("Called back.")


def dismiss(*, kind: str, ref: int, by, reason: str, now=None) -> str:
    """Set a board row aside (SPEC §10): its follow-up closed, or its missed call needing no callback, with the
    reason kept (and on the order's timeline when there is an order)."""
    now = now or timezone.now()
    if not reason:
        raise BadInput("required", _("Say why it can be set aside."), field="note")
    with transaction.atomic():
        order = None
        if kind == "missed_call":
            callback_done(call=_call(ref), by=by, now=now)
        else:
            followup = _followup(kind, ref)
            claim(followup=followup, by=by, outcome="dismissed", now=now)
            order = followup.order
        Dismissal.objects.create(kind=kind, ref=ref, order=order, reason=reason, by=by, at=now)
        if order is not None:
            params = {"what": str(FollowUpKind(kind).label), "reason": reason}
            add_event(
                order=order,
                kind="board_dismissed",
                by=by,
                params=params,
                at=now,
            )
    return _("Set aside: %(reason)s") % {"reason": reason}
