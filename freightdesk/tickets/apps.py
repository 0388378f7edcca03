from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "freightdesk.tickets"
    label = "tickets"
    verbose_name = _("Service tickets")

    def ready(self):
        from . import followups, timeline

        timeline.register()  # the ticket line on the order timeline reads in the reader's language
        followups.register()  # a promised callback's reminder, run by the follow-up scheduler
