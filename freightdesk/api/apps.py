from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "freightdesk.api"
    label = "api"
