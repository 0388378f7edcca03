from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    name = "freightdesk.field"
    label = "field"
    verbose_name = _("The field: fleet managers, drivers, market developers")
