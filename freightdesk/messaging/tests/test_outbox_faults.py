"""The outbox under gateway faults: a look-up survives failing pages and resumes where it stopped; a dead worker's
untouched claims are taken by the next send; a dispatch SMS not out after a minute is on the phone list, by index."""

import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from freightdesk.messaging import outbox
from freightdesk.messaging.gateways import get_gateway
from freightdesk.messaging.gateways.base import LookupUnfinished
from freightdesk.messaging.models import Message, MessageKind
from freightdesk.messaging.selectors import dispatch_sms_to_phone
from freightdesk.messaging.services import Outgoing, queue_message

from .test_outbox_lookups import earlier_sends

pytestmark = pytest.mark.django_db(transaction=True)


def queued(kind=MessageKind.OTHER, n=1, prefix="m"):
    with transaction.atomic():
        return [
            queue_message(
                outgoing=Outgoing(to="+8613800138000", text="您好", signature="【滴客】", role="driver"),
                kind=kind,
                key=f"{prefix}{i}",
            )
            for i in range(n)
        ]


# Aliyun reads the first page, then the last (the newest records), then back; ours is on the middle page
@pytest.mark.parametrize(("kind", "n", "mine", "calls"), [("aliyun", 120, 60, 5), ("tencent", 250, 249, 5)])
def test_a_failing_page_is_asked_again_without_failing_the_look_up(gateway, kind, n, mine, calls):
    fake = gateway(kind, failing_lookups={2, 4})  # the first try of the second and of the third page read fail
    [message] = queued()
    earlier_sends(fake, n, key_of_last=message.idempotency_key, key_at=mine)
    assert get_gateway().find_sent(message)
    assert fake.lookups == calls  # three pages, two of them asked twice


@pytest.mark.parametrize(("kind", "n", "mine", "cursor"), [("aliyun", 120, 60, ":-2"), ("tencent", 250, 249, "200")])
def test_a_look_up_stopped_on_a_page_that_keeps_failing_resumes_on_that_page(gateway, kind, n, mine, cursor):
    fake = gateway(kind, failing_lookups={3, 4, 5, 6})  # every try of the third page read fails
    [message] = queued()
    earlier_sends(fake, n, key_of_last=message.idempotency_key, key_at=mine)
    with pytest.raises(LookupUnfinished):
        get_gateway().find_sent(message)
    assert message.lookup_cursor.endswith(cursor)
    assert get_gateway().find_sent(message)
    assert fake.lookups == 7  # the first two pages were not read again


def test_the_outbox_keeps_the_pages_read_and_sends_once_the_look_up_has_read_them_all(gateway, time_machine):
    fake = gateway("aliyun", failing_lookups={3, 4, 5, 6}, honour_key=False)
    [message] = queued()
    earlier_sends(fake, 120)  # the provider never had it
    Message.objects.filter(pk=message.pk).update(in_flight=True)  # a worker died while sending it
    outbox.deliver()
    message.refresh_from_db()
    assert message.state == "queued" and message.in_flight and message.lookup_cursor.endswith(":-2")
    assert not [d for d in fake.deliveries if d["key"] == message.idempotency_key]

    time_machine.move_to(timezone.now() + timedelta(hours=1), tick=True)
    outbox.deliver()
    message.refresh_from_db()
    assert message.state == "sent" and message.lookup_cursor == ""
    assert [d["key"] for d in fake.deliveries].count(message.idempotency_key) == 1
    assert fake.lookups == 7


def test_no_gateway_call_starts_after_the_lease(gateway):
    fake = gateway("aliyun", honour_key=False)
    [message] = queued()
    earlier_sends(fake, 120)
    result = outbox.send_one(get_gateway(), message, in_doubt=True, until=time.monotonic() + 0.5)
    assert isinstance(result, LookupUnfinished)
    assert fake.lookups == 0 and fake.calls == 0


def test_a_dead_workers_untouched_dispatch_sms_go_with_the_next_send_task(gateway):
    fake = gateway("http")
    orphans = queued(MessageKind.DISPATCH, n=3, prefix="orphan")
    start = timezone.now()
    _token, rows = outbox.claim(now=start)  # a worker claims them and dies before sending any
    assert len(rows) == 3
    [fresh] = queued(MessageKind.DISPATCH, prefix="fresh")
    assert outbox.deliver(ids=[fresh.pk], now=start + timedelta(seconds=1)).sent == [fresh.pk]  # still held
    report = outbox.deliver(ids=[fresh.pk], now=start + outbox.CLAIM_HOLD + timedelta(seconds=1))
    assert sorted(report.sent) == sorted(m.pk for m in orphans)
    assert sorted(d["key"] for d in fake.deliveries) == ["fresh0", "orphan0", "orphan1", "orphan2"]


def test_a_dispatch_sms_a_dead_worker_claimed_but_never_sent_is_on_the_phone_list_after_a_minute(settings):
    settings.SMS_BACKEND = "console"
    [message] = queued(MessageKind.DISPATCH)
    outbox.claim(now=message.created_at)  # claimed, never started: no error, not in flight
    assert not dispatch_sms_to_phone(now=message.created_at + timedelta(seconds=59)).exists()
    assert list(dispatch_sms_to_phone(now=message.created_at + timedelta(seconds=61))) == [message]


def test_the_phone_list_is_read_from_its_index():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a near-empty table is cheaper to scan: ask whether the index serves
            cursor.execute("SET enable_seqscan = off")
        plan = dispatch_sms_to_phone(now=timezone.now()).explain()
        if connection.vendor == "postgresql":
            cursor.execute("RESET enable_seqscan")
    assert "message_dispatch_unsent" in plan


def test_a_dispatch_sms_waiting_behind_a_failing_gateway_is_on_the_phone_list_after_a_minute(settings):
    settings.SMS_BACKEND = "console"
    [waiting] = queued(MessageKind.DISPATCH, prefix="waiting")  # no worker has taken it yet
    later = waiting.created_at + timedelta(seconds=61)
    assert not dispatch_sms_to_phone(now=later).exists()  # the gateway is not failing: the workers will send it
    [other] = queued(MessageKind.OTHER, prefix="survey")
    Message.objects.filter(pk=other.pk).update(error_kind="transient", last_error="isp.SYSTEM_ERROR")
    assert list(dispatch_sms_to_phone(now=later)) == [waiting]
