import importlib

import pytest


@pytest.fixture(autouse=True)
def fresh_master_data_snapshot():
    """A test's rolled-back rows must not outlive it in an in-process master-data cache (network.cache)."""
    try:
        cache = importlib.import_module("freightdesk.network.cache")
    except ImportError:
        yield
        return
    cache.invalidate(broadcast=False)
    yield
    cache.invalidate(broadcast=False)
