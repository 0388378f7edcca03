from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "freightdesk.customers"
    label = "customers"
