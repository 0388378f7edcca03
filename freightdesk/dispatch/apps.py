from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "freightdesk.dispatch"
    label = "dispatch"
