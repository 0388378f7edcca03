"""The delivery requirement in the note (SPEC §3 特殊配送需求, "15点前送达") read as a proposed deadline: a small
grammar, shown to the agent for one-key confirmation; a note it cannot read proposes nothing."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from freightdesk.core.worktime import TZ
from freightdesk.orders.note_deadline import number, propose

MONDAY_915 = datetime(2026, 11, 23, 9, 15, tzinfo=TZ)


def at(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@pytest.mark.parametrize(
    ("note", "deadline", "said"),
    [
        ("15点前送达", at(11, 23, 15), "15点前"),  # the seed's example
        ("加装卸费100,15点前送达", at(11, 23, 15), "15点前"),
        ("明天上午", at(11, 24, 12), "明天上午"),
        ("周五前", at(11, 27, 17, 30), "周五前"),
        ("星期三之前送到", at(11, 25, 17, 30), "星期三之前"),
        ("下周一上午", at(11, 30, 12), "下周一上午"),
        ("下午3点半前送到", at(11, 23, 15, 30), "下午3点半前"),
        ("明天下午3点前", at(11, 24, 15), "明天下午3点前"),
        ("十点前送达", at(11, 23, 10), "十点前"),
        ("3点前", at(11, 23, 15), "3点前"),  # a freight note's 3 o'clock is the afternoon
        ("易碎,15:30前送达", at(11, 23, 15, 30), "15:30前"),
        ("晚上8点前", at(11, 23, 20), "晚上8点前"),
        ("今天下班前", at(11, 23, 17, 30), "今天下班前"),
        ("12月3日前", at(12, 3, 17, 30), "12月3日前"),
        ("5号前", at(12, 5, 17, 30), "5号前"),  # the 5th has passed this month: next month's
        ("后天中午前", at(11, 25, 13), "后天中午前"),
    ],
)
def test_a_readable_requirement_becomes_a_proposed_deadline(note, deadline, said):
    proposal = propose(note, MONDAY_915)
    assert proposal is not None and (proposal.deadline, proposal.said) == (deadline, said)


@pytest.mark.parametrize(
    "note",
    [
        "",
        "请轻放",
        "易碎品",
        "明天再联系",  # a day with no requirement
        "后天",
        "明天上午提货",  # about the pickup, not the delivery
        "8点前",  # already past at 9:15
        "25点前",
        "13月5日前",
        "2月30日前",
        "前",
    ],
)
def test_an_unreadable_note_changes_nothing(note):
    assert propose(note, MONDAY_915) is None


@pytest.mark.parametrize(
    ("text", "value"), [("15", 15), ("十", 10), ("十五", 15), ("二十三", 23), ("两", 2), ("x", None)]
)
def test_chinese_and_arabic_numbers(text, value):
    assert number(text) == value


def test_the_phone_form_offers_the_notes_deadline_until_the_agent_sets_one(agent_client, example_order_data):
    with time_machine.travel(MONDAY_915, tick=False):
        html = agent_client.post(reverse("orders:preview"), example_order_data).content.decode()
        assert 'id="use-note-deadline"' in html and 'data-deadline="2026-11-23T15:00"' in html
        chosen = {**example_order_data, "delivery_deadline": "2026-11-23T16:00"}
        assert 'id="use-note-deadline"' not in agent_client.post(reverse("orders:preview"), chosen).content.decode()
        plain = {**example_order_data, "note": "请轻放"}
        assert 'id="note-deadline"' not in agent_client.post(reverse("orders:preview"), plain).content.decode()
