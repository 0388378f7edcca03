from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "freightdesk.core"
    label = "core"
    verbose_name = _("Working time and deadlines")

    def ready(self):
        from . import worktime

        worktime.connect()  # a calendar change reaches every process
