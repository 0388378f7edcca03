"""QA sweep regression: the lines tracking writes on the order timeline (checks, urges, escalations, callbacks,
queries, status reports, exceptions) read wholly in the reader's language — the row keeps the kind and its
facts, the words come at render time — instead of the stored "回电 called back (Reached)" half and half.
Rows written before keep their stored text."""

import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from freightdesk.followups import services as scheduler
from freightdesk.followups.models import FollowUp
from freightdesk.orders.models import OrderEvent
from freightdesk.orders.timeline import event_text
from freightdesk.tracking import queries, status, urging
from freightdesk.tracking.models import Source

from .conftest import at

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
LATIN = re.compile(r"[A-Za-z]")
# What people typed (SMS texts, notes, questions, answers) stays as typed, in either language.
TYPED = ["请速去汽配城提货。8011", "到哪了", "已派车", "几点到", "预计14点到", "车辆故障", "收货人签收"]
KINDS = ("check", "urged", "query", "callback", "status", "exception")


def _lines(order, language):
    with translation.override(language):
        return [
            (e.kind, event_text(e)) for e in OrderEvent.objects.filter(order=order, kind__in=KINDS).order_by("at", "id")
        ]


def _without_typed(text):
    for typed in TYPED:
        text = text.replace(typed, "")
    return text


@pytest.fixture
def followed(dispatched, agent):
    """A dispatched order with one of each tracking line."""
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0))
        queries.record_query(
            order=order, agent=agent, type="cargo_status", channel="chat", question="到哪了", answer="已派车"
        )
        queries.record_query(
            order=order, agent=agent, type="arrival_time", channel="phone", question="几点到", callback_at=at(24, 11, 0)
        )
    with time_machine.travel(at(24, 9, 31), tick=False):
        scheduler.sweep()  # the pickup check finds the goods not picked up
        check = FollowUp.objects.get(order=order, kind="pickup_check")
        urging.urge_driver(followup=check, agent=agent, text="请速去汽配城提货。8011", call_outcome="no_answer")
    with time_machine.travel(at(24, 10, 30), tick=False):
        callback = FollowUp.objects.get(order=order, kind="callback")
        queries.complete_callback(followup=callback, agent=agent, note="预计14点到", call_outcome="reached")
        status.report_event(
            order=order, type="exception", at=at(24, 10, 30), source=Source.AGENT, by=agent, note="车辆故障"
        )
        status.report_event(order=order, type="picked_up", at=at(24, 10, 30), source=Source.AGENT, by=agent)
    return order


def test_every_tracking_line_reads_in_chinese_for_a_chinese_reader(followed):
    lines = _lines(followed, "zh-hans")
    assert {kind for kind, _ in lines} >= set(KINDS)
    mixed = [(kind, text) for kind, text in lines if LATIN.search(_without_typed(text))]
    assert mixed == []
    assert ("callback", "已回电客户（已接通）：预计14点到") in lines
    assert ("check", "提货跟踪：尚未提货，请催司机") in lines
    assert ("urged", "短信催司机：请速去汽配城提货。8011；电话：无人接听") in lines


def test_every_tracking_line_reads_in_english_for_an_english_reader(followed):
    lines = _lines(followed, "en")
    mixed = [(kind, text) for kind, text in lines if CJK.search(_without_typed(text))]
    assert mixed == []
    assert ("callback", "called the customer back (Reached): 预计14点到") in lines
    assert ("query", "customer query (Arrival time, Phone): 几点到 — callback promised by 11-24 11:00") in lines
    assert ("query", "customer query (Cargo status, Online chat): 到哪了 — 已派车") in lines
    assert ("exception", "exception: 车辆故障 (Agent, on the phone's behalf)") in lines
    assert ("status", "status Dispatched → Picked up (Agent, on the phone's behalf)") in lines


def test_the_stored_text_is_the_line_in_the_default_language(followed):
    event = OrderEvent.objects.get(order=followed, kind="callback")
    assert event.text == "已回电客户（已接通）：预计14点到"


def test_a_late_callback_says_so(dispatched, agent):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0))
        queries.record_query(
            order=order, agent=agent, type="arrival_time", channel="phone", question="几点到", callback_at=at(24, 10, 0)
        )
    with time_machine.travel(at(24, 10, 5), tick=False):
        queries.complete_callback(
            followup=FollowUp.objects.get(order=order, kind="callback"),
            agent=agent,
            note="预计14点到",
            call_outcome="reached",
        )
    event = OrderEvent.objects.get(order=order, kind="callback")
    with translation.override("en"):
        assert event_text(event) == "called the customer back (Reached), late: 预计14点到"
    with translation.override("zh-hans"):
        assert event_text(event) == "已回电客户（已接通），超时：预计14点到"


def test_the_order_page_shows_the_lines_in_the_readers_language(agent_client, followed):
    english = agent_client.get(reverse("orders:detail", args=[followed.serial]), HTTP_ACCEPT_LANGUAGE="en")
    chinese = agent_client.get(reverse("orders:detail", args=[followed.serial]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "called the customer back (Reached): 预计14点到" in english.content.decode()
    assert "已回电客户（已接通）：预计14点到" in chinese.content.decode()


def test_a_row_written_before_keeps_its_stored_text(dispatched):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0))
    old = OrderEvent.objects.create(
        order=order,
        kind="callback",
        text="回电 called back (已接通): 预计14点到",
        changes={"params": {"note": "预计14点到", "late": False}, "followup": 1},
    )
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert event_text(old) == "回电 called back (已接通): 预计14点到"
