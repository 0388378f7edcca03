from django import template

from freightdesk.accounts.roles import Role, has_role

register = template.Library()


@register.inclusion_tag("telephony/pop_poll.html", takes_context=True)
def cti_pop_slot(context):
    """The screen-pop's polling slot, on agent and supervisor pages only."""
    user = context.get("user")
    return {"show": has_role(user, Role.AGENT, Role.SUPERVISOR)}
