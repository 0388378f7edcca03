from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "freightdesk.dispatch"
    label = "dispatch"
    verbose_name = _("Dispatch")

    def ready(self):
        from . import timeline

        timeline.register()  # the confirming call's line on the order timeline reads in the reader's language
