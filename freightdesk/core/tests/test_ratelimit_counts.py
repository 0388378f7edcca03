"""A rate limit counts every request, even many at the same moment (the database cache: one atomic upsert)."""

import time
import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache

from freightdesk.core import ratelimit
from freightdesk.core.models import RateCount

from .concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_requests_at_the_same_moment_are_each_counted_and_only_the_limit_is_let_through():
    assert isinstance(caches["default"], DatabaseCache)
    address = f"10.7.{uuid.uuid4().hex[:8]}"
    answers = at_once(lambda: ratelimit.allow(address, scope="burst", limit=5, window=60), times=24)
    assert sorted(answers) == [False] * 19 + [True] * 5
    assert RateCount.objects.get(key=f"ratelimit:burst:{address}").count == 24


def test_a_new_window_starts_counting_again(monkeypatch):
    now = time.time()
    monkeypatch.setattr(ratelimit.time, "time", lambda: now)
    answers = [ratelimit.allow("10.7.0.1", scope="window", limit=2, window=60) for _ in range(3)]
    assert answers == [True, True, False]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now + 61)
    assert ratelimit.allow("10.7.0.1", scope="window", limit=2, window=60)
    assert RateCount.objects.get(key="ratelimit:window:10.7.0.1").count == 1


def test_ended_windows_are_deleted(monkeypatch):
    now = time.time()
    monkeypatch.setattr(ratelimit, "_last_purge", 0.0)
    monkeypatch.setattr(ratelimit.time, "time", lambda: now)
    ratelimit.allow("10.7.0.2", scope="old", limit=2, window=60)
    monkeypatch.setattr(ratelimit.time, "time", lambda: now + 120)
    ratelimit.allow("10.7.0.3", scope="new", limit=2, window=60)
    assert list(RateCount.objects.values_list("key", flat=True)) == ["ratelimit:new:10.7.0.3"]


def test_a_very_long_client_key_is_counted_under_its_digest():
    who = "x" * 500
    assert [ratelimit.allow(who, scope="long", limit=1, window=60) for _ in range(2)] == [True, False]
    assert RateCount.objects.get().key.startswith("ratelimit:sha1:")
