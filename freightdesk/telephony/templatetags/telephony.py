from django import template

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core.phones import display_phone

register = template.Library()


@register.inclusion_tag("telephony/pop_poll.html", takes_context=True)
def cti_pop_slot(context):
    """The screen-pop's polling slot, on agent and supervisor pages only."""
    user = context.get("user")
    return {"show": has_capability(user, Capability.ANSWER_CALLS)}


@register.inclusion_tag("telephony/linked_calls.html")
def linked_calls(subject):
    """The calls linked to an order or a ticket, each with its recording when the platform sent one
    (SPEC §2 录音): read at render time, so a recording that arrives after the link still plays."""
    calls = list(subject.calls.order_by("ringing_at", "pk"))
    for call in calls:
        call.shown_number = display_phone(call.customer_number)
    return {"calls": calls}
