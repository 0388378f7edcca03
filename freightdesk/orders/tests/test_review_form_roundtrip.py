"""QA sweep regressions on the review and order pages: confirming a web order exactly as the page shows it
changes nothing; the order's history reads in Chinese (SMS lines, who wrote them, corrections)."""

from datetime import datetime
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse

from freightdesk.core.worktime import TZ
from freightdesk.orders import intake
from freightdesk.orders.models import Channel, Order, OrderEvent, Status

pytestmark = pytest.mark.django_db

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)


class FormFields(HTMLParser):
    """What a browser submits for one form: its inputs (checked boxes only), selected options, text areas,
    and inputs outside it that name it with form="…"."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.select, self.textarea = form_id, False, None, None
        self.data: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        mine = self.inside or a.get("form") == self.form_id
        if tag == "input" and mine and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select" and mine:
            self.select = [a.get("name"), None, None]  # name, first option, selected option
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select[1] = value if self.select[1] is None else self.select[1]
            if "selected" in a:
                self.select[2] = value
        elif tag == "textarea" and mine:
            self.textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, first, chosen = self.select
            self.data.append((name, chosen if chosen is not None else (first or "")))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.data.append(tuple(self.textarea))
            self.textarea = None


def _as_posted(html: str, form_id: str) -> dict:
    parser = FormFields(form_id)
    parser.feed(html)
    post: dict = {}
    for name, value in parser.data:
        post.setdefault(name, []).append(value)
    return post


@pytest.fixture
def web_order(cleaned_example):
    with time_machine.travel(MONDAY_10, tick=False):
        return intake.take_order(data=cleaned_example, channel=Channel.WEB).order


def test_confirming_a_web_order_as_the_page_shows_it_corrects_nothing(agent_client, web_order):
    assert web_order.packaging_ok is True
    url = reverse("orders:review", args=[web_order.serial])
    agent_client.post(reverse("orders:review_claim", args=[web_order.serial]))
    agent_client.post(reverse("orders:review_call", args=[web_order.serial]), {"outcome": "answered"})
    post = _as_posted(agent_client.get(url).content.decode(), "confirm-form")
    assert post["outcome"] == ["confirm"] and "fix-packaging_ok" in post  # the box is on the page, checked

    response = agent_client.post(reverse("orders:review_outcome", args=[web_order.serial]), post)

    assert response.status_code == 302
    order = Order.objects.get(pk=web_order.pk)
    assert order.status == Status.CONFIRMED and order.packaging_ok is True
    assert not OrderEvent.objects.filter(order=order, kind="corrected").exists()


def test_unticking_packaging_on_the_review_page_is_a_correction(agent_client, web_order):
    agent_client.post(reverse("orders:review_claim", args=[web_order.serial]))
    agent_client.post(reverse("orders:review_call", args=[web_order.serial]), {"outcome": "answered"})
    post = _as_posted(
        agent_client.get(reverse("orders:review", args=[web_order.serial])).content.decode(), "confirm-form"
    )
    del post["fix-packaging_ok"]

    agent_client.post(reverse("orders:review_outcome", args=[web_order.serial]), post)

    order = Order.objects.get(pk=web_order.pk)
    assert order.status == Status.CONFIRMED and order.packaging_ok is False
    assert set(OrderEvent.objects.get(order=order, kind="corrected").changes["before"]) == {"packaging_ok"}


def test_the_order_history_reads_in_chinese(agent_client, web_order):
    agent_client.post(reverse("orders:review_claim", args=[web_order.serial]))
    agent_client.post(reverse("orders:review_call", args=[web_order.serial]), {"outcome": "answered"})
    post = _as_posted(
        agent_client.get(reverse("orders:review", args=[web_order.serial])).content.decode(), "confirm-form"
    )
    del post["fix-packaging_ok"]
    agent_client.post(reverse("orders:review_outcome", args=[web_order.serial]), post)

    html = agent_client.get(reverse("orders:detail", args=[web_order.serial]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    timeline = html.content.decode().split('id="timeline"')[1]

    assert "短信发往" in timeline and "SMS to" not in timeline  # the customer's SMS lines
    assert "· 客户</div>" in timeline and "· 网上/平台</div>" in timeline  # who: not "customer", "web"
    assert "致电客户：已接通" in timeline and "answered" not in timeline
    assert "已核单：待核单 → 已确认" in timeline and "submitted" not in timeline
    assert "与客户核对后更正：包装合适: 是 → 否" in timeline and "packaging_ok" not in timeline
