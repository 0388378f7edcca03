from django import template

from freightdesk.accounts import identity

register = template.Library()


@register.filter
def agent_label(user) -> str:
    """`{{ user|agent_label }}`: the agent id (8011), a driver's name, or the username."""
    return identity.agent_label(user)
