from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "freightdesk.surveys"
    label = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self):
        from . import timeline

        timeline.register()  # the survey lines on the order timeline read in the reader's language
