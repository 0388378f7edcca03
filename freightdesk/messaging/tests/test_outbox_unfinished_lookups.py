"""A message in doubt whose look-up could not finish (a page kept failing, or no time was left) is tried again soon,
its wait not doubled: no send call was made, so the attempt does not count towards the backoff. It is still never
sent again before the look-up has read every page that can hold it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from freightdesk.messaging import outbox
from freightdesk.messaging.models import Message, MessageKind

from .test_outbox_faults import queued
from .test_outbox_lookups import earlier_sends

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_PAGE_FAILS = set(range(1, 5))  # every try of the first page read fails: the look-up stops there


@pytest.fixture(autouse=True)
def midday(time_machine):
    """Noon in China: the provider's records of these tests all fall on one day."""
    time_machine.move_to(datetime(2026, 12, 7, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)


def in_doubt(kind=MessageKind.OTHER, *, attempts: int):
    """A message whose last send (one of ``attempts``) failed in a way that may have sent it."""
    [message] = queued(kind)
    Message.objects.filter(pk=message.pk).update(
        in_flight=True, attempts=attempts, error_kind="transient", first_attempt_at=timezone.now()
    )
    return message


def later(time_machine, seconds: float):
    time_machine.move_to(timezone.now() + timedelta(seconds=seconds), tick=True)


def test_a_look_up_that_could_not_finish_is_tried_again_soon_whatever_the_attempts_so_far(gateway):
    fake = gateway("aliyun", failing_lookups=FIRST_PAGE_FAILS, honour_key=False)
    earlier_sends(fake, 120)
    message = in_doubt(attempts=4)  # four failed sends: the next failed send waits 8 minutes
    report = outbox.deliver()
    message.refresh_from_db()
    assert report.retrying == [message.pk] and fake.calls == 0
    assert message.state == "queued" and message.in_flight  # still in doubt: looked up first next time
    assert message.attempts == 4  # no send call was made: not an attempt
    assert message.next_attempt_at - timezone.now() <= outbox.IN_DOUBT_RETRY
    assert outbox.IN_DOUBT_RETRY <= outbox.BACKOFF_BASE


def test_a_send_that_fails_after_unfinished_look_ups_waits_as_after_its_own_failed_sends_only(gateway, time_machine):
    fake = gateway("aliyun", failing_lookups=FIRST_PAGE_FAILS | set(range(5, 9)), honour_key=False, fail_every=1)
    earlier_sends(fake, 120)
    message = in_doubt(attempts=1)
    for _look_up in range(2):  # two look-ups stopped on the first page
        outbox.deliver()
        later(time_machine, outbox.IN_DOUBT_RETRY.total_seconds() + 1)
    outbox.deliver()  # the look-up reads every page, finds nothing, sends: the send fails
    message.refresh_from_db()
    assert fake.calls == 1 and message.attempts == 2
    assert message.next_attempt_at - timezone.now() == pytest.approx(outbox.backoff(2), abs=timedelta(seconds=2))


def test_a_message_in_doubt_is_not_sent_again_before_its_look_up_finishes(gateway, time_machine):
    fake = gateway("aliyun", honour_key=False)
    message = in_doubt(attempts=1)
    earlier_sends(fake, 120, key_of_last=message.idempotency_key, key_at=10)  # it went out; the answer was lost
    fake.failing_lookups = set(range(1, 13))  # three look-ups in a row stop on the first page
    for _look_up in range(4):
        outbox.deliver()
        later(time_machine, outbox.IN_DOUBT_RETRY.total_seconds() + 1)
    message.refresh_from_db()
    assert message.state == "sent" and message.attempts == 2  # the lost send and the look-up that found it
    assert fake.calls == 0 and [d["key"] for d in fake.deliveries].count(message.idempotency_key) == 1


def test_a_dispatch_sms_whose_look_up_could_not_finish_keeps_its_quick_retry_on_its_own_queue(gateway):
    fake = gateway("aliyun", failing_lookups=set(range(1, 13)), honour_key=False)  # three tries of the look-up
    earlier_sends(fake, 120)
    message = in_doubt(MessageKind.DISPATCH, attempts=6)
    report = outbox.deliver()
    message.refresh_from_db()
    assert fake.calls == 0 and message.attempts == 6 and message.in_flight
    when, urgent = report.retry_at[message.pk]
    assert urgent and when - timezone.now() <= outbox.URGENT_BACKOFF_BASE


def test_a_dispatch_sms_sent_in_the_same_claim_before_a_look_up_stopped_counts_that_send(gateway):
    # every send goes out but answers an error; the look-ups after it stop on their first page
    fake = gateway("aliyun", fail_every=1, fail_after_accept=True, failing_lookups=set(range(1, 9)))
    [message] = queued(MessageKind.DISPATCH)
    outbox.deliver()
    message.refresh_from_db()
    assert message.state == "queued" and message.in_flight and message.attempts == 1
    assert fake.calls == 1 and len(fake.deliveries) == 1


def test_a_look_up_to_resume_soon_gets_its_own_send_task_not_the_batchs_last_retry(gateway):
    fake = gateway("aliyun", failing_lookups=FIRST_PAGE_FAILS, honour_key=False, fail_every=1)
    earlier_sends(fake, 120)
    looked_up = in_doubt(attempts=1)
    [failing] = queued(prefix="failing")
    Message.objects.filter(pk=failing.pk).update(attempts=4)  # its next failed send waits 8 minutes
    now = timezone.now()
    outbox.deliver()
    tasks = DBTaskResult.objects.filter(
        args_kwargs__kwargs__message_ids=[looked_up.pk, failing.pk], queue_name="messages"
    ).order_by("run_after")
    waits = [(task.run_after - now).total_seconds() for task in tasks]
    assert waits == [
        pytest.approx(outbox.IN_DOUBT_RETRY.total_seconds(), abs=3),
        pytest.approx(outbox.backoff(5).total_seconds(), abs=3),
    ]
