"""The admin banner about years without a holiday schedule (see core.admin)."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from freightdesk.core import worktime

register = template.Library()


@register.simple_tag
def calendar_warning():
    text = worktime.calendar_warning(timezone.localdate())
    if not text:
        return ""
    return format_html('<ul class="messagelist"><li class="warning" id="calendar-warning">{}</li></ul>', text)
