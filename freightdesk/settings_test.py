"""Settings of the test suite (pytest's DJANGO_SETTINGS_MODULE): the site's settings with what tests need."""

import os

from freightdesk.settings import *  # noqa: F403
from freightdesk.settings import DATABASES, VAR_DIR

# Creating the demo users is the slowest part of many fixtures; a fast hasher is enough for tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Login lock-outs are tested where they are the subject (accounts), with AXES_ENABLED switched on.
AXES_ENABLED = False

if DATABASES["default"]["ENGINE"] == "freightdesk.core.dbbackends.sqlite3":
    # A file (not :memory:) so concurrency tests use real separate connections; one per test
    # process so parallel runs (pytest-xdist) never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test_{os.getpid()}.sqlite3")}

# The database cache whatever the environment says: each test's cache rows roll back with its
# transaction, so rate-limit counters and calendar versions never reach the next test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "freightdesk_cache"}}

# The chat's fan-out stays in the test process whatever the environment says (Redis is tested on its own).
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# One gateway call at a time, so a fake gateway's scripted failures (every n-th call) meet the calls in order;
# the outbox's parallel sends are tested where they are the subject.
SMS = {**SMS, "PARALLEL_SENDS": 1}  # noqa: F405
