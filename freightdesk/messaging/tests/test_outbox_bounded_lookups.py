"""A look-up by idempotency key reads only the provider's records that can be ours: those from the message's first
send attempt on (less a small skew for the provider's clock), not every page of the number's day."""

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from freightdesk.messaging import outbox
from freightdesk.messaging.gateways import get_gateway
from freightdesk.messaging.models import Message

from .test_outbox_lookups import earlier_sends

pytestmark = pytest.mark.django_db(transaction=True)

CHINA = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def midday(time_machine):
    """Noon in China: the records of these tests all fall on one day at the provider."""
    time_machine.move_to(datetime(2026, 12, 7, 12, 0, tzinfo=CHINA), tick=True)


def attempted(message, seconds_ago: float, *, written_ago: float = 7200):
    """The message written ``written_ago`` s ago, its first send started ``seconds_ago`` s ago."""
    now = timezone.now()
    Message.objects.filter(pk=message.pk).update(
        created_at=now - timedelta(seconds=written_ago), first_attempt_at=now - timedelta(seconds=seconds_ago)
    )
    message.refresh_from_db()
    return message


@pytest.mark.parametrize("ours", [True, False])
def test_aliyun_reads_the_first_and_the_newest_page_when_the_rest_is_older_than_the_first_attempt(
    gateway, queue, midday, ours
):
    fake = gateway("aliyun")
    message = attempted(queue()[0], 10)
    key = message.idempotency_key if ours else ""
    earlier_sends(fake, 1000, at=time.time() - 1005, spacing=1.0, key_of_last=key)  # 20 pages, the last 6 s ago
    assert bool(get_gateway().find_sent(message)) is ours
    assert fake.lookups == 2  # the first page and the last; not the 20 pages of the day


def test_aliyun_reads_back_from_the_newest_page_to_the_first_attempt(gateway, queue, midday):
    fake = gateway("aliyun")
    message = attempted(queue()[0], 100)  # records from 130 s ago can be ours: pages 18 to 20
    earlier_sends(fake, 1000, at=time.time() - 1005, spacing=1.0, key_of_last=message.idempotency_key, key_at=880)
    assert get_gateway().find_sent(message)
    assert fake.lookups == 4  # pages 1, 20, 19, 18


def test_aliyun_finds_a_send_the_provider_stamped_a_little_before_our_first_attempt(gateway, queue, midday):
    fake = gateway("aliyun")
    message = attempted(queue()[0], 10)
    # 1000 records over the last 200 s; ours stamped 25 s before our first attempt (the provider's clock behind)
    earlier_sends(fake, 1000, at=time.time() - 200, spacing=0.2, key_of_last=message.idempotency_key, key_at=825)
    assert get_gateway().find_sent(message)
    assert fake.lookups == 5  # pages 1, 20, 19, 18, 17


@pytest.mark.parametrize("ours", [True, False])
def test_aliyun_reads_one_page_when_the_provider_shows_the_newest_records_first(gateway, queue, midday, ours):
    fake = gateway("aliyun", newest_first=True)
    message = attempted(queue()[0], 10)
    key = message.idempotency_key if ours else ""
    earlier_sends(fake, 1000, at=time.time() - 1005, spacing=1.0, key_of_last=key)
    assert bool(get_gateway().find_sent(message)) is ours
    assert fake.lookups == 1


def test_aliyun_reads_every_page_of_the_days_after_the_first_attempt(gateway, queue, time_machine):
    time_machine.move_to(datetime(2026, 12, 5, 12, 0, tzinfo=CHINA), tick=True)
    fake = gateway("aliyun")
    message = attempted(queue()[0], 100)
    earlier_sends(fake, 60, spacing=1.0)  # the day of the first attempt, all after it
    time_machine.move_to(datetime(2026, 12, 7, 12, 0, tzinfo=CHINA), tick=True)
    earlier_sends(fake, 60, spacing=1.0)
    assert get_gateway().find_sent(message) is None
    assert fake.lookups == 2 + 1 + 2  # today, yesterday (empty), the day of the first attempt: both pages each
    fake.lookups, message.lookup_cursor = 0, ""  # read again from the start
    message.first_attempt_at += timedelta(days=1)  # the day before today: nothing older is read
    assert get_gateway().find_sent(message) is None
    assert fake.lookups == 2 + 1


def test_tencent_asks_only_for_the_records_since_the_first_attempt(gateway, queue, midday):
    fake = gateway("tencent")
    message = attempted(queue()[0], 10)
    earlier_sends(fake, 1000, at=time.time() - 3600, spacing=3.0)  # the hour before: ten pages, none ours
    assert get_gateway().find_sent(message) is None
    assert fake.lookups == 1  # an empty page: BeginTime leaves the older records out
    earlier_sends(fake, 1, at=time.time() - 35, key_of_last=message.idempotency_key)  # the provider 25 s behind
    assert get_gateway().find_sent(message)


def test_the_outbox_keeps_the_time_of_the_first_send_attempt(gateway, queue, time_machine):
    gateway("aliyun", fail_every=1)
    [message] = queue()
    outbox.deliver()
    message.refresh_from_db()
    first = message.first_attempt_at
    assert message.state == "queued" and message.in_flight and first is not None
    time_machine.move_to(timezone.now() + timedelta(hours=1), tick=True)
    outbox.deliver()
    message.refresh_from_db()
    assert message.attempts == 2 and message.first_attempt_at == first
