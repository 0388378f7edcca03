"""A worker sends several messages of a batch at once on a network gateway; each is still sent exactly once."""

import contextlib
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from freightdesk.messaging import outbox
from freightdesk.messaging.gateways import get_gateway
from freightdesk.messaging.models import Message, MessageState
from freightdesk.messaging.tasks import drain_outbox

from .conftest import run_worker, worker_dies_after_sending

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def parallel(settings):
    settings.SMS = {**settings.SMS, "PARALLEL_SENDS": 4}


def test_a_network_gateways_batch_is_sent_four_at_once_and_never_more(gateway, queue, parallel):
    fake = gateway("http", delay=0.2)
    queue(n=9)
    report = outbox.deliver()
    assert len(report.sent) == 9
    assert fake.peak_active == 4
    assert set(Message.objects.values_list("state", "in_flight", "claim")) == {(MessageState.SENT, False, "")}
    assert Counter(d["key"] for d in fake.deliveries) == Counter({f"m{i}": 1 for i in range(9)})


def test_a_gateway_handed_in_by_the_caller_is_called_one_message_at_a_time(gateway, queue, parallel):
    fake = gateway("http", delay=0.05)
    queue(n=4)
    report = outbox.deliver(gateway=get_gateway())
    assert len(report.sent) == 4 and fake.peak_active == 1


@pytest.mark.parametrize("kind", ["aliyun", "tencent"])
def test_a_worker_killed_with_four_sends_out_leaves_them_in_doubt_and_each_arrives_once(
    gateway, queue, parallel, kind, time_machine, monkeypatch
):
    """The provider does not honour the key: whatever was in flight when the worker died is looked up by its key
    before anything is sent again."""
    fake = gateway(kind, honour_key=False, delay=0.1)
    restore_send = worker_dies_after_sending(monkeypatch, "m2")
    messages = queue(n=8)
    with contextlib.suppress(SystemExit):
        outbox.deliver()
    in_doubt = Message.objects.filter(state=MessageState.QUEUED, in_flight=True).count()
    assert 1 <= in_doubt <= 4
    assert Message.objects.filter(state=MessageState.SENT).count() + in_doubt <= len(fake.deliveries)

    restore_send()
    time_machine.move_to(timezone.now() + timedelta(hours=1), tick=True)  # the dead worker's lease runs out
    drain_outbox.enqueue()
    run_worker()
    assert set(Message.objects.values_list("state", flat=True)) == {MessageState.SENT}
    assert Counter(d["key"] for d in fake.deliveries) == Counter({m.idempotency_key: 1 for m in messages})
    assert fake.lookups >= 1


def test_keeping_a_batch_held_never_shortens_the_lease_of_a_message_being_sent(queue):
    first, second = queue(n=2)
    now = timezone.now()
    token, rows = outbox.claim(now=now)
    batch = outbox._Batch(token=token, backend="console", report=outbox.Report())
    assert batch.step(start=rows[0])
    sending_until = Message.objects.get(pk=first.pk).lease_until
    assert sending_until >= timezone.now() + outbox.lease() - timedelta(seconds=2)

    batch.renewed = float("-inf")  # the hold is due to be renewed
    batch.step()
    assert Message.objects.get(pk=first.pk).lease_until == sending_until
    assert Message.objects.get(pk=second.pk).lease_until > now + outbox.CLAIM_HOLD
