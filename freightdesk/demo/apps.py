from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "freightdesk.demo"
    label = "demo"
