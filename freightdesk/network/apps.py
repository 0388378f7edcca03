from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "freightdesk.network"
    label = "network"
