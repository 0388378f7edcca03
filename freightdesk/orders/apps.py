from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "freightdesk.orders"
    label = "orders"
