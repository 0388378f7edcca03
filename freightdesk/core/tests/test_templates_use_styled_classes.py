"""QA sweep regression: every class a template puts on a link or button is styled by app.css (the call pop's
New order / New ticket links used an undefined `button` class and showed as plain text)."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "freightdesk"
CSS = (ROOT / "static" / "freightdesk" / "app.css").read_text()
ACTION = re.compile(r'<(?:a|button)\b[^>]*?\bclass="([^"{}]*)"')


def _unstyled() -> list[tuple[str, str]]:
    styled = set(re.findall(r"\.([A-Za-z_][\w-]*)", CSS))
    found = []
    for template in sorted(ROOT.glob("**/templates/**/*.html")):
        for m in ACTION.finditer(template.read_text()):
            found += [(str(template.relative_to(ROOT)), c) for c in m.group(1).split() if c not in styled]
    return found


def test_links_and_buttons_use_only_classes_the_stylesheet_defines():
    assert _unstyled() == []


def test_the_call_pop_offers_new_order_and_new_ticket_as_buttons():
    pop = (ROOT / "telephony" / "templates" / "telephony" / "pop.html").read_text()
    actions = pop.split('class="cti-actions"', 1)[1].split("</p>", 1)[0]
    assert actions.count('class="btn') == 2
