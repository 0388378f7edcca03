from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "freightdesk.messaging"
    label = "messaging"
    verbose_name = _("SMS messages")

    def ready(self):
        from . import customer_notices, timeline

        customer_notices.connect()  # the customer's SMS when an order is received or confirmed
        timeline.register()
