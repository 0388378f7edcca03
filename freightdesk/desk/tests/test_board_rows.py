"""The board's rows as HTML: what a customer or a caller typed is escaped, the row's actions and link, the overdue
badge, in the desk's language."""

from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import translation

from freightdesk.desk.board_items import BoardItem
from freightdesk.desk.board_rows import board_rows

NOW = datetime(2026, 3, 24, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def _item(**fields):
    return BoardItem(
        **{
            "kind": "callback",
            "due_at": NOW - timedelta(minutes=5),
            "serial": "2603240001",
            "route": "汽配城 → 火车站",
            "link": ("tracking:order", ("2603240001",), "?action=callback&followup=7#action"),
            "ref": 7,
            "agent": "8011",
        }
        | fields
    )


def test_text_typed_by_a_customer_or_caller_is_escaped_in_a_row():
    html = board_rows([_item(note='<script>alert("x")</script>', route="<b>A</b> → B", agent='"><i>')], NOW)
    assert "<script>" not in html and "<b>" not in html and '"><i>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html and "&lt;b&gt;A&lt;/b&gt; → B" in html


def test_a_row_carries_its_kind_serial_and_ref_its_actions_and_its_page():
    html = board_rows([_item()], NOW)
    assert '<tr class="due-item" data-kind="callback" data-serial="2603240001" data-ref="7">' in html
    assert f'hx-post="{reverse("desk:board_act")}"' in html
    assert '<input type="hidden" name="kind" value="callback"><input type="hidden" name="ref" value="7">' in html
    assert 'name="action" value="called_back"' in html and 'name="action" value="dismiss"' in html
    assert 'value="urge"' not in html
    page = reverse("tracking:order", args=("2603240001",)) + "?action=callback&amp;followup=7#action"
    assert f'<a class="btn secondary" href="{page}">' in html


def test_the_due_time_is_local_and_a_late_row_says_overdue():
    with translation.override("zh-hans"):
        late, later = board_rows([_item(), _item(due_at=NOW + timedelta(hours=1))], NOW).split("</tr>")[:2]
    assert "<td>03-24 09:55 <span" in late and "已超时" in late
    assert "<td>03-24 11:00</td>" in later and "已超时" not in later


def test_an_emergency_is_a_badge_and_a_row_without_actions_has_no_form():
    html = board_rows([_item(kind="emergency", ref=None, link=("tickets:detail", ("T1",), ""))], NOW)
    assert '<span class="badge emergency">' in html and 'data-ref=""' in html
    assert "<form" not in html


def test_no_rows_is_empty():
    assert board_rows([], NOW) == ""
