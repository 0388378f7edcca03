from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "freightdesk.messaging"
    label = "messaging"
