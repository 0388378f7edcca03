from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "freightdesk.core"
    label = "core"
