"""The outbox: the real task worker sends queued messages through the fake gateways, at most once."""

import contextlib
import json
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from freightdesk.messaging import outbox
from freightdesk.messaging.models import Message
from freightdesk.messaging.tasks import drain_outbox

from .conftest import run_worker, worker_dies_after_sending

pytestmark = pytest.mark.django_db(transaction=True)
KINDS = ["http", "aliyun", "tencent"]


def later(time_machine, hours=2):
    time_machine.move_to(timezone.now() + timedelta(hours=hours), tick=True)


@pytest.mark.parametrize("kind", KINDS)
def test_a_queued_message_is_sent_once_by_the_worker(gateway, queue, kind):
    fake = gateway(kind)
    [message] = queue()
    assert Message.objects.get().state == "queued"  # nothing sent inside the transaction
    run_worker()
    message.refresh_from_db()
    assert message.state == "sent" and message.sent_at and message.backend == kind
    assert len(fake.deliveries) == 1 and fake.deliveries[0]["key"] == message.idempotency_key
    assert message.provider_message_id == fake.deliveries[0]["id"]


def test_aliyun_gets_the_approved_template_code_signature_and_variables(gateway, queue):
    fake = gateway("aliyun")
    queue()
    run_worker()
    sent = fake.deliveries[0]
    assert sent["to"] == "13800138000" and sent["sign"] == "滴客"
    assert sent["template"] == "SMS_DISPATCH" and sent["params"] == {"serial": "261123001", "agent_id": "8011"}


def test_tencent_gets_the_template_id_and_its_variables_in_order(gateway, queue):
    fake = gateway("tencent")
    queue()
    run_worker()
    sent = fake.deliveries[0]
    assert sent["e164"] == "+8613800138000" and sent["template"] == "1000001"
    assert sent["params"] == ["261123001", "8011"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_gateway_failing_half_its_calls_loses_nothing_and_sends_nothing_twice(gateway, queue, kind, time_machine):
    fake = gateway(kind, fail_every=2, fail_after_accept=True)
    messages = queue(n=6, to="+8613800138000")
    for _round in range(6):
        run_worker()
        if not Message.objects.exclude(state="sent").exists():
            break
        later(time_machine)
    assert set(Message.objects.values_list("state", flat=True)) == {"sent"}
    assert fake.duplicates() == {}
    assert {d["key"] for d in fake.deliveries} == {m.idempotency_key for m in messages}


@pytest.mark.parametrize("kind", KINDS)
def test_a_worker_killed_between_send_and_mark_neither_loses_nor_repeats_the_message(
    gateway, queue, kind, time_machine, monkeypatch
):
    fake = gateway(kind)
    real_record = outbox.record_outcome

    def killed(**kwargs):
        raise SystemExit("worker killed after the provider accepted")

    monkeypatch.setattr(outbox, "record_outcome", killed)
    [message] = queue()
    with contextlib.suppress(SystemExit):
        run_worker()  # the task dies; the worker records it as failed and moves on
    message.refresh_from_db()
    assert message.state == "queued" and message.in_flight  # outcome unknown, not lost
    assert len(fake.deliveries) == 1

    monkeypatch.setattr(outbox, "record_outcome", real_record)
    later(time_machine, hours=1)  # the lease of the dead worker runs out
    drain_outbox.enqueue()
    run_worker()
    message.refresh_from_db()
    assert message.state == "sent"
    assert len(fake.deliveries) == 1, "sent a second time"


@pytest.mark.parametrize("kind", KINDS)
def test_a_worker_killed_mid_batch_leaves_only_the_message_in_flight_in_doubt(
    gateway, queue, kind, time_machine, monkeypatch
):
    """Each outcome is recorded when the gateway answers: a worker that dies while sending the third of five
    messages has the first two marked sent, the third looked up (or retried with its key), the last two untouched.
    The gateway does not honour the idempotency key, so anything sent again arrives twice."""
    fake = gateway(kind, honour_key=False)
    restore_send = worker_dies_after_sending(monkeypatch, "m2")  # the third of five, sent in order
    messages = queue(n=5)
    with contextlib.suppress(SystemExit):
        outbox.deliver()
    states = {m.idempotency_key: (m.state, m.in_flight) for m in Message.objects.all()}
    assert states == {
        "m0": ("sent", False),
        "m1": ("sent", False),
        "m2": ("queued", True),
        "m3": ("queued", False),
        "m4": ("queued", False),
    }

    restore_send()
    later(time_machine, hours=1)  # the lease of the dead worker runs out
    drain_outbox.enqueue()
    run_worker()
    assert set(Message.objects.values_list("state", flat=True)) == {"sent"}
    counts = Counter(d["key"] for d in fake.deliveries)
    assert {m.idempotency_key for m in messages} == set(counts)
    if kind == "http":  # cannot be asked: the one in flight is retried with the same key
        assert counts - Counter({"m2": 1}) == Counter({"m0": 1, "m1": 1, "m2": 1, "m3": 1, "m4": 1})
    else:  # asked by its key, found, not sent again
        assert counts == Counter({"m0": 1, "m1": 1, "m2": 1, "m3": 1, "m4": 1})
        assert fake.lookups >= 1


def test_a_daily_cap_is_retried_later_and_shown_with_the_number_to_whitelist(gateway, queue, time_machine):
    from freightdesk.messaging.selectors import numbers_to_whitelist, waiting_messages

    fake = gateway("aliyun", rate_limited={"13800138000"})
    [message] = queue()
    run_worker()
    message.refresh_from_db()
    assert message.state == "queued" and message.error_kind == "rate_limited"
    assert "isv.BUSINESS_LIMIT_CONTROL" in message.last_error
    assert message in waiting_messages() and numbers_to_whitelist() == ["13800138000"]

    fake.rate_limited.clear()  # the provider whitelisted the number
    later(time_machine, hours=1)
    run_worker()
    message.refresh_from_db()
    assert message.state == "sent" and len(fake.deliveries) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_an_invalid_number_fails_permanently_and_waits_for_an_agent(gateway, queue, kind):
    from freightdesk.messaging.selectors import failed_messages

    gateway(kind, invalid={"13800138000"})
    [message] = queue()
    run_worker()
    message.refresh_from_db()
    assert message.state == "failed" and message.error_kind == "permanent"
    assert list(failed_messages()) == [message]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("answer", ["garbage", "timeout", "down"])
def test_garbage_timeouts_and_a_dead_gateway_leave_the_message_queued_and_visible(
    gateway, queue, settings, answer, kind
):
    fake = gateway(kind, garbage=answer == "garbage", delay=2 if answer == "timeout" else 0)
    settings.SMS = {**settings.SMS, "TIMEOUT_SECONDS": 1}
    if answer == "down":
        fake.stop()
    [message] = queue()
    run_worker()
    message.refresh_from_db()
    assert message.state == "queued" and message.error_kind == "transient" and message.attempts == 1
    assert message.next_attempt_at > timezone.now()
    assert Message.objects.count() == 1


def test_backoff_doubles_and_is_capped():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert outbox.backoff(30) == outbox.BACKOFF_CAP


def test_a_dispatch_sms_is_retried_within_seconds():
    assert [outbox.backoff(n, urgent=True).total_seconds() for n in (1, 2, 3, 10, 100)] == [5, 10, 15, 15, 15]


def test_the_file_backend_writes_one_line_per_message(settings, queue, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS = {**settings.SMS, "FILE_PATH": str(tmp_path / "sms.jsonl")}
    queue(n=3)
    run_worker()
    lines = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert [line["key"] for line in lines] == ["m0", "m1", "m2"]
    assert lines[0]["text"].startswith("【滴客】261123001") and lines[0]["to"] == "13800138000"
    assert set(Message.objects.values_list("state", flat=True)) == {"sent"}


def test_the_console_backend_prints_and_marks_sent(settings, queue, capsys):
    settings.SMS_BACKEND = "console"
    queue()
    run_worker()
    assert "SMS to 13800138000 [m0]: 【滴客】261123001" in capsys.readouterr().out
    assert Message.objects.get().state == "sent"
