"""A failed send waits longer after each failure (30 s, 1 min, 2 min, … up to an hour) while the gateway is down;
while it takes other sends (it is up and fails some calls at random) a message's wait stops doubling at 2 minutes."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from freightdesk.messaging import outbox
from freightdesk.messaging.models import Message

from .test_outbox_faults import queued

pytestmark = pytest.mark.django_db(transaction=True)


def failing_again(attempts: int):
    """A survey SMS already sent ``attempts`` times without success (none of them went out), due now."""
    [message] = queued(prefix="unlucky")
    Message.objects.filter(pk=message.pk).update(attempts=attempts, created_at=timezone.now() - timedelta(hours=1))
    return message


def wait_after(message) -> timedelta:
    message.refresh_from_db()
    return message.next_attempt_at - timezone.now()


def test_a_failed_send_waits_at_most_two_minutes_while_the_gateway_takes_other_sends(gateway):
    gateway("aliyun", fail_every=2)  # the second send fails
    unlucky = failing_again(6)
    [lucky] = queued(prefix="lucky")
    Message.objects.filter(pk=lucky.pk).update(next_attempt_at=timezone.now() - timedelta(hours=2))  # sent first
    report = outbox.deliver()
    assert report.sent == [lucky.pk] and report.retrying == [unlucky.pk]
    assert wait_after(unlucky) == pytest.approx(outbox.ANSWERING_CAP, abs=timedelta(seconds=3))
    assert outbox.ANSWERING_CAP.total_seconds() == 120


def test_a_failed_send_backs_off_in_full_while_the_gateway_takes_nothing(gateway):
    gateway("aliyun", fail_every=1)
    unlucky = failing_again(6)
    outbox.deliver()
    assert wait_after(unlucky) == pytest.approx(outbox.backoff(7), abs=timedelta(seconds=3))
    assert outbox.backoff(7) == timedelta(minutes=32)


def test_a_send_the_gateway_took_more_than_a_minute_ago_does_not_shorten_the_wait(gateway):
    gateway("aliyun", fail_every=1)
    cache.set(outbox.answered_key("aliyun"), time.time() - outbox.ANSWERING_WINDOW - 1)
    unlucky = failing_again(6)
    outbox.deliver()
    assert wait_after(unlucky) == pytest.approx(outbox.backoff(7), abs=timedelta(seconds=3))


def test_a_send_another_worker_got_through_shortens_the_wait_here(gateway):
    """The mark is shared: a worker that saw no send taken itself still knows the gateway is up."""
    gateway("aliyun", fail_every=1)
    cache.set(outbox.answered_key("aliyun"), time.time() - 10)  # as another worker's process writes it
    unlucky = failing_again(6)
    outbox.deliver()
    assert wait_after(unlucky) == pytest.approx(outbox.ANSWERING_CAP, abs=timedelta(seconds=3))


def test_the_gateway_taking_sends_is_written_to_the_shared_cache_at_most_every_few_seconds(gateway):
    gateway("aliyun")
    queued(prefix="first")
    outbox.deliver()
    first = cache.get(outbox.answered_key("aliyun"))
    assert first is not None and time.time() - first < 5
    cache.set(outbox.answered_key("aliyun"), first - 1)  # a later send within ANSWERED_NOTE_EVERY leaves it
    queued(prefix="second")
    outbox.deliver()
    assert cache.get(outbox.answered_key("aliyun")) == first - 1


def test_backoff_stops_doubling_at_two_minutes_while_the_gateway_answers():
    assert [outbox.backoff(n, answering=True).total_seconds() for n in (1, 2, 3, 4, 5, 9)] == [
        30,
        60,
        120,
        120,
        120,
        120,
    ]
    assert outbox.backoff(3, urgent=True, answering=True) == outbox.URGENT_BACKOFF_CAP


def test_a_look_up_the_gateway_answered_in_full_shows_it_is_up_and_the_failed_send_waits_at_most_two_minutes(gateway):
    """The last message of a quiet hour: no other send to prove the gateway up, but its own look-up was answered."""
    gateway("aliyun", fail_every=1)  # every send fails; look-ups are answered
    unlucky = failing_again(6)
    Message.objects.filter(pk=unlucky.pk).update(in_flight=True)  # in doubt: looked up before it is sent again
    outbox.deliver()
    assert wait_after(unlucky) == pytest.approx(outbox.ANSWERING_CAP, abs=timedelta(seconds=3))


def test_a_gateway_that_cannot_be_asked_is_not_taken_for_up_by_a_look_up(gateway):
    gateway("http", fail_every=1)
    unlucky = failing_again(6)
    Message.objects.filter(pk=unlucky.pk).update(in_flight=True)
    outbox.deliver()
    assert cache.get(outbox.answered_key("http")) is None
    assert wait_after(unlucky) == pytest.approx(outbox.backoff(7), abs=timedelta(seconds=3))
