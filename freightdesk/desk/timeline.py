"""The desk's lines on the order timeline, read in the reader's language."""

from django.utils.translation import gettext_lazy

from freightdesk.orders.timeline import register_kind


def register() -> None:
    register_kind("board_dismissed", gettext_lazy("%(what)s set aside: %(reason)s"))
