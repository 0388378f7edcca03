"""The SQLite backend queues write transactions on a lock file (core/dbbackends/sqlite3)."""

import fcntl
import os

import pytest
from django.db import connection, transaction

from freightdesk.core.models import SerialCounter
from freightdesk.core.serials import next_sequence
from freightdesk.core.tests.concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write queue"),
]


def queue_is_free() -> bool:
    """Whether another process could enter the write queue now."""
    fd = os.open(connection._queue_path(), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_a_write_transaction_holds_the_queue_until_it_commits():
    with transaction.atomic():
        SerialCounter.objects.create(scope="t", period="q", value=1)
        assert not queue_is_free()
    assert queue_is_free()
    assert SerialCounter.objects.filter(scope="t").exists()


def test_a_failed_transaction_rolls_back_and_frees_the_queue():
    with pytest.raises(RuntimeError), transaction.atomic():
        SerialCounter.objects.create(scope="t", period="r", value=1)
        raise RuntimeError
    assert queue_is_free()
    assert not SerialCounter.objects.filter(scope="t").exists()


def test_writers_in_many_threads_all_get_their_turn_and_no_write_is_lost():
    threads_count, each = 6, 25

    def bump():
        return [next_sequence("t", "threads") for _ in range(each)]

    values = [value for batch in at_once(bump, times=threads_count) for value in batch]
    assert sorted(values) == list(range(1, threads_count * each + 1))
    assert queue_is_free()
