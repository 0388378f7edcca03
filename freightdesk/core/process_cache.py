"""A value built from the database and kept in this process — the working-time calendar, the master-data
snapshot every order reads — with one way to learn that another process changed what it was built from.

Saving a source row calls ``invalidate()``: this process forgets its copy, and a version number in the shared
cache (``settings.CACHES``: a database table or Redis, never per-process memory) tells every other process
(another web worker, the task worker, the admin on another machine). Each process reads that version at most
every ``check_seconds``, and rebuilds anyway after ``max_age_seconds`` (a change that bypassed ``invalidate``).
"""

import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


class ProcessCache(Generic[T]):
    def __init__(self, *, version_key: str, build: Callable[[], T], check_seconds: float, max_age_seconds: float):
        self.version_key = version_key
        self.build = build
        self.check_seconds = check_seconds
        self.max_age_seconds = max_age_seconds
        self._value: T | None = None
        self._version: object = None
        self._built_at = 0.0
        self._checked_at = 0.0

    def get(self) -> T:
        """This process's copy; at most every ``check_seconds`` one cache read asks whether it is still current."""
        now = time.monotonic()
        if self._value is not None and now - self._checked_at < self.check_seconds:
            return self._value
        version = cache.get(self.version_key)
        if self._value is None or version != self._version or now - self._built_at > self.max_age_seconds:
            self._value = self.build()
            self._version, self._built_at = version, now
        self._checked_at = now
        return self._value

    def invalidate(self, *, broadcast: bool = True) -> None:
        """Forget this process's copy; with ``broadcast``, tell the other processes too."""
        self._value = None
        if broadcast:
            cache.set(self.version_key, time.time_ns(), timeout=None)

    def changed(self) -> None:
        """A source row was saved or deleted: this process reads again at once (its own transaction sees the
        change), the other processes once the change commits."""
        self.invalidate(broadcast=False)
        transaction.on_commit(self.invalidate)
