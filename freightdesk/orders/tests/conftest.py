import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; one test's requests must not count against the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
