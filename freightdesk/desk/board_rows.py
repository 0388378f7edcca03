"""The due-now board's rows as HTML. The board shows up to a hundred rows and every agent's screen refreshes it every
15 seconds; resolving each row's twenty template variables was most of the page's time, so the rows are built here,
escaped by ``format_html``, with every label translated once per page. The surrounding page, the counts and a done
row stay in ``desk/board.html``."""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .board_items import URGENT_KINDS, BoardItem

ROW = (
    '<tr class="due-item" data-kind="{}" data-serial="{}" data-ref="{}">'
    "<td>{}{}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td>"
    '<td class="row-actions">{}{}</td></tr>\n'
)
FORM = (
    '<form class="inline" hx-post="{}" hx-target="closest tr" hx-swap="outerHTML">'
    '<input type="hidden" name="kind" value="{}"><input type="hidden" name="ref" value="{}">'
    '<input name="note" class="row-note" maxlength="200" placeholder="{}" aria-label="{}">{}</form>'
)
BUTTON = '<button class="{}" name="action" value="{}">{}</button>'


class _Page:
    """What every row of one page shares: the time, the translated words, the action URL."""

    def __init__(self, now):
        self.now = now
        self.act_url = reverse("desk:board_act")
        self.overdue = format_html(' <span class="badge problem">{}</span>', _("overdue"))
        self.note_label = _("Note or reason")
        self.open_label = _("Open")
        self.buttons = {  # action: its button's (class, value, label)
            "urge": ("btn", "urge", _("Urge the pickup")),
            "escalate": ("btn", "escalate", _("Escalate to the fleet manager")),
            "called_back": ("btn", "called_back", _("Called back")),
            "dismiss": ("btn secondary", "dismiss", _("Dismiss")),
        }
        self.labels = {}
        self.button_rows = {}  # a kind's actions: their buttons' HTML

    def label(self, item: BoardItem):
        if item.kind not in self.labels:
            text = str(item.label)
            urgent = item.kind in URGENT_KINDS
            self.labels[item.kind] = (
                format_html('<span class="badge {}">{}</span>', item.kind, text) if urgent else text
            )
        return self.labels[item.kind]

    def actions(self, item: BoardItem):
        if not item.actions:
            return ""
        if item.actions not in self.button_rows:
            self.button_rows[item.actions] = format_html_join("", BUTTON, (self.buttons[a] for a in item.actions))
        buttons = self.button_rows[item.actions]
        return format_html(FORM, self.act_url, item.kind, item.ref, self.note_label, self.note_label, buttons)

    def row(self, item: BoardItem) -> str:
        note = format_html('<div class="hint">{}</div>', item.note) if item.note else ""
        url = item.url
        link = format_html('<a class="btn secondary" href="{}">{}</a>', url, self.open_label) if url else ""
        return format_html(
            ROW,
            item.kind,
            item.serial,
            "" if item.ref is None else item.ref,
            timezone.localtime(item.due_at).strftime("%m-%d %H:%M"),
            self.overdue if item.due_at < self.now else "",
            self.label(item),
            note,
            item.serial,
            item.route,
            item.agent,
            self.actions(item),
            link,
        )


def board_rows(items: list[BoardItem], now) -> SafeString:
    """The rows of ``items`` (most urgent first, as given)."""
    page = _Page(now)
    return mark_safe("".join(page.row(item) for item in items))
