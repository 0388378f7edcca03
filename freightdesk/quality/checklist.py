"""The observation checklists (SPEC §11; 004 附录): phone service items a reviewer ticks."""

from django.utils.translation import gettext_lazy as _

STAGES = ("greeting", "entry", "transformation", "agreement", "closing")  # 001 第五篇
PHONE_CHECKLIST = {
    "three_rings": _("Answered within three rings"),
    "agent_id": _("Greeted with the agent id"),
    "standard_phrases": _("Used the standard phrases"),
    "no_banned_words": _("No banned words (不知道, 不清楚, 我办不了, 没办法)"),
    "collected_details": _("Collected name, contact, order number and time of the problem"),
    "stated_deadline": _("Stated when the customer will hear back"),
    "confirmed_satisfaction": _("Asked whether the customer is satisfied"),
    "closing_phrase": _("Closed with the standard closing phrase"),
}
