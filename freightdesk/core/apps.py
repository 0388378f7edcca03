from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(*, using: str = "default", **kwargs) -> None:
    """The database cache's table (settings.CACHES) after every `migrate` and test-database setup:
    `createcachetable` is idempotent and does nothing when the cache is Redis."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "freightdesk.core"
    label = "core"
    verbose_name = _("Working time and deadlines")

    def ready(self) -> None:
        from . import worktime

        worktime.connect()  # a calendar change reaches every process
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="freightdesk.core.create_cache_table")
