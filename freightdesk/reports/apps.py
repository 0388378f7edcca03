from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_rollup_triggers(using="default", **kwargs):
    from .rollups import drop_triggers, install_triggers, tables_exist

    install_triggers(using) if tables_exist(using) else drop_triggers(using)


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "freightdesk.reports"
    verbose_name = _("Reports")

    def ready(self):
        # The summary tables' triggers follow the code's definitions after every migrate (and in the test database).
        post_migrate.connect(_install_rollup_triggers, sender=self, dispatch_uid="reports-rollup-triggers")
