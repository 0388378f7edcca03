from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "freightdesk.accounts"
    label = "accounts"
