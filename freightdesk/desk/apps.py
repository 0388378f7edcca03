from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The top layer over the operational apps: what spans them (the due-now board, the flows from one app's
    step to another app's work). The operational apps never import it; it hears their signals."""

    name = "freightdesk.desk"
    label = "desk"
    verbose_name = _("Service desk")

    def ready(self):
        from . import flows, timeline

        flows.connect()
        timeline.register()  # the board's "set aside" line on the order timeline
