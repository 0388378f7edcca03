from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "freightdesk.conversations"
    verbose_name = _("Online chat and website messages")

    def ready(self):
        from . import timeline

        timeline.register()
