from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "freightdesk.tracking"
    label = "tracking"
    verbose_name = _("Tracking and follow-up")

    def ready(self):
        from . import checks, timeline

        timeline.register()  # tracking's lines on the order timeline read in the reader's language
        checks.register()  # what the scheduler runs when a check falls due
