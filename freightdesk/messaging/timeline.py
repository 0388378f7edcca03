"""How the messaging lines on the order timeline read (registered from MessagingConfig.ready())."""

from django.utils.translation import gettext_lazy

from freightdesk.orders.timeline import register_kind


def register() -> None:
    register_kind("sms_landline", gettext_lazy("no SMS to %(to)s: it is a landline, call the customer instead"))
    register_kind("sms_held", gettext_lazy("SMS to %(to)s held for the quiet hours until %(at)s"))
