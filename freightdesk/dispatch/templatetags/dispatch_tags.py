"""How the dispatch page names the composer's shortening rules, in the reader's language."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# composer.RULES, in the order they apply
RULE_LABELS = {
    "honorifics": _("short honorifics (先生 → 先)"),
    "payment": _("short payment words"),
    "fees": _("short fee names"),
    "places": _("abbreviated places"),
    "spaces": _("spaces removed"),
    "note": _("note cut"),
}


@register.filter
def rule_labels(rules) -> str:
    return "、".join(str(RULE_LABELS.get(r, r)) for r in rules)
