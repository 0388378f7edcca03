"""Missed and abandoned calls appear on the due-now board as callbacks (issue 8, SPEC §10)."""

import pytest
import time_machine
from django.urls import reverse

from freightdesk.telephony.ingest import ingest_event
from freightdesk.telephony.tests.factories import T0, missed

pytestmark = pytest.mark.django_db


def test_a_missed_call_is_on_the_board_with_its_deadline_and_opens_a_ticket_for_the_caller(client, user_for):
    with time_machine.travel(T0, tick=False):
        for payload in missed("m-board", caller="13800138000"):
            ingest_event(payload=payload, now=T0)
    client.force_login(user_for("agent"))
    with time_machine.travel(T0, tick=False):
        page = client.get(reverse("desk:board"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-kind="missed_call"' in page
    assert "/tickets/new/?phone=13800138000" in page
    assert 'data-count="missed_calls" href="?kind=missed_calls">missed calls <strong>1</strong>' in page
