from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


def _before_migrate(using="default", **kwargs):
    from .rollups import drop_triggers

    drop_triggers(using)  # a migration may remake a table the triggers name (SQLite's ALTER), so none during it


def _after_migrate(using="default", plan=None, **kwargs):
    from .rollup_rebuild import after_migrate

    after_migrate(using, plan)


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "freightdesk.reports"
    verbose_name = _("Reports")

    def ready(self):
        # The summary tables' triggers: off while migrations run, then the code's definitions installed again (also
        # in the test database and after a flush), the summaries rebuilt where the migrations may have changed rows.
        pre_migrate.connect(_before_migrate, sender=self, dispatch_uid="reports-rollup-triggers-off")
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="reports-rollup-triggers")
