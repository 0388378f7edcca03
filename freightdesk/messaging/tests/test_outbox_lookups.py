"""A message whose send may have gone out is looked up at the provider, every page; dispatch SMS go first."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from freightdesk.messaging import outbox
from freightdesk.messaging.gateways import get_gateway
from freightdesk.messaging.models import Message, MessageKind
from freightdesk.messaging.services import Outgoing, queue_message

pytestmark = pytest.mark.django_db(transaction=True)


def earlier_sends(fake, n, *, key_of_last="", at=None, spacing=0.1, key_at=None):
    """n sends to 13800138000 already at the provider, ``spacing`` s apart and the last one just now (or from
    ``at`` on); the last one (or the one at index ``key_at``) with ``key_of_last``."""
    at = at if at is not None else time.time() - n * spacing
    mine = n - 1 if key_at is None else key_at
    for i in range(n):
        key = key_of_last if i == mine and key_of_last else f"other-{i}"
        fake.deliveries.append(
            {
                "to": "13800138000",
                "e164": "+8613800138000",
                "key": key,
                "template": "T",
                "id": f"x{i}",
                "at": at + i * spacing,
            }
        )


@pytest.mark.parametrize(("kind", "n", "pages"), [("aliyun", 120, 2), ("tencent", 250, 3)])
def test_a_send_in_doubt_is_found_on_the_last_page_of_the_numbers_records(gateway, queue, kind, n, pages):
    fake = gateway(kind)
    [message] = queue()
    earlier_sends(fake, n, key_of_last=message.idempotency_key)
    assert get_gateway().find_sent(message)
    assert fake.lookups == pages


@pytest.mark.parametrize(("kind", "n", "pages"), [("aliyun", 120, 3), ("tencent", 250, 3)])
def test_a_send_the_provider_never_had_is_not_found_after_reading_every_page(gateway, queue, kind, n, pages):
    fake = gateway(kind)
    [message] = queue()
    earlier_sends(fake, n)
    assert get_gateway().find_sent(message) is None
    assert fake.lookups == pages


def test_aliyun_looks_a_send_up_on_every_day_since_the_message_was_written(gateway, queue, time_machine):
    time_machine.move_to(timezone.now() - timedelta(days=2), tick=True)
    fake = gateway("aliyun")
    [message] = queue()
    earlier_sends(fake, 60, key_of_last=message.idempotency_key)  # sent the day it was written
    time_machine.move_to(timezone.now() + timedelta(days=2), tick=True)
    assert get_gateway().find_sent(message)
    assert fake.lookups == 2 + 2  # today and yesterday: nothing; the day it was written: two pages


def queue_kind(kind, n, prefix):
    with transaction.atomic():
        return [
            queue_message(
                outgoing=Outgoing(to="+8613800138000", text="您好", signature="【滴客】", role="driver"),
                kind=kind,
                key=f"{prefix}{i}",
            )
            for i in range(n)
        ]


def test_a_backlog_of_other_sms_never_delays_a_dispatch_sms(gateway, settings):
    fake = gateway("http")
    queue_kind(MessageKind.OTHER, 30, "survey")  # reminders, surveys: their tasks wait on the general queue
    [dispatch] = queue_kind(MessageKind.DISPATCH, 1, "dispatch")
    task = DBTaskResult.objects.get(args_kwargs__kwargs__message_ids=[dispatch.pk])
    assert (task.queue_name, task.priority) == ("dispatch_sms", 100)
    # the dispatch worker (Procfile.dev's ``sms``) takes only its queue
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="dispatch_sms", verbosity=0)
    assert [d["key"] for d in fake.deliveries] == ["dispatch0"]
    assert Message.objects.filter(state="queued").count() == 30


def test_the_drain_claims_dispatch_sms_before_an_older_backlog(settings):
    settings.SMS_BACKEND = "console"
    with transaction.atomic():  # written without their tasks: only the drain will find them
        Message.objects.bulk_create(
            Message(to="+8613800138000", text="您好", kind=MessageKind.OTHER, idempotency_key=f"o{i}") for i in range(5)
        )
        Message.objects.create(to="+8613800138000", text="派单", kind=MessageKind.DISPATCH, idempotency_key="d")
    _token, rows = outbox.claim(now=timezone.now() + timedelta(seconds=1), limit=3)
    assert [m.idempotency_key for m in rows] == ["d", "o0", "o1"]


@pytest.mark.parametrize("kind", ["aliyun", "tencent"])
def test_a_dispatch_sms_whose_send_failed_is_looked_up_and_tried_again_at_once(gateway, kind):
    fake = gateway(kind, fail_every=1, fail_after_accept=True)  # every send goes out, but answers an error
    [message] = queue_kind(MessageKind.DISPATCH, 1, "dispatch")
    outbox.deliver()
    message.refresh_from_db()
    assert message.state == "sent" and message.attempts == 1  # found at the second try, in the same claim
    assert len(fake.deliveries) == 1 and fake.lookups == 1


def test_other_sms_wait_for_their_backoff_after_a_failure(gateway):
    fake = gateway("aliyun", fail_every=1)
    [message] = queue_kind(MessageKind.OTHER, 1, "survey")
    outbox.deliver()
    message.refresh_from_db()
    assert message.state == "queued" and message.error_kind == "transient" and fake.calls == 1
