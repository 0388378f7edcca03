from django import template

from freightdesk.core.phones import display_phone
from freightdesk.orders.timeline import actor_label, event_text

register = template.Library()


@register.filter
def event_display(event) -> str:
    return event_text(event)


@register.filter
def actor(by_label) -> str:
    """An event's author in the reader's words when it is a code (web, driver, system)."""
    return actor_label(by_label)


@register.filter
def phone(value) -> str:
    return display_phone(value)


@register.filter
def split(value: str) -> list[str]:
    return value.split()


@register.filter
def field(form, name: str):
    """form|field:"name" -> the bound field (lets a template list a form's fields by name)."""
    return form[name]
