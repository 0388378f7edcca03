"""How a ticket's line on the order timeline reads in the reader's language (the row keeps the number and the
category code; orders.timeline renders it at read time). Registered from TicketsConfig.ready()."""

from django.utils.translation import gettext_lazy

from freightdesk.orders.timeline import register_kind

from .models import Category


def _ticket(params: dict) -> dict:
    try:
        category = str(Category(params.get("category")).label)
    except ValueError:
        category = str(params.get("category"))
    return {**params, "category": category}


def register() -> None:
    register_kind("ticket", gettext_lazy("ticket %(number)s (%(category)s)"), _ticket)
