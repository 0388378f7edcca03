from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowUpsConfig(AppConfig):
    """One table and one scheduler for every promised or scheduled contact (SPEC §7, §8, §10): the apps above
    register what running each of their kinds means (``registry.on_due``); the scheduler never imports them."""

    name = "freightdesk.followups"
    label = "followups"
    verbose_name = _("Follow-ups")
