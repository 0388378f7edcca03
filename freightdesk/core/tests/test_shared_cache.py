"""The cache is shared by every process of the site: a rate limit counts one client's requests across
gunicorn workers, a calendar change reaches every worker. Default: a table in the database; with
REDIS_URL: Redis."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")

# One site process: Django set up from the site's settings module, then `count` look-ups from one address.
WORKER = """
import json, sys, django
django.setup()
from django.conf import settings
from freightdesk.core import ratelimit
address, count = sys.argv[1], int(sys.argv[2])
answers = [ratelimit.allow(address, scope="shared-test", limit=3, window=60) for _ in range(count)]
print(json.dumps({"backend": settings.CACHES["default"]["BACKEND"], "answers": answers}))
"""


def run_site_process(env: dict, address: str, count: int) -> dict:
    environ = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    environ.update(DJANGO_SETTINGS_MODULE="freightdesk.settings", LOG_LEVEL="ERROR", **env)
    done = subprocess.run(
        [sys.executable, "-c", WORKER, address, str(count)],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_with_redis_url_two_processes_count_the_same_clients_requests():
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"Redis at {REDIS_TEST_URL} (REDIS_TEST_URL) is unreachable: {error}")
    address = f"10.9.{uuid.uuid4().hex}"  # a client no other run uses
    first = run_site_process({"REDIS_URL": REDIS_TEST_URL}, address, 2)
    second = run_site_process({"REDIS_URL": REDIS_TEST_URL}, address, 2)
    assert first["backend"] == "django.core.cache.backends.redis.RedisCache"
    assert first["answers"] == [True, True]
    assert second["answers"] == [True, False]  # the third look-up is allowed, the fourth is one too many


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_without_redis_two_processes_count_in_the_database_cache():
    address = f"10.8.{uuid.uuid4().hex}"
    first = run_site_process({"DATABASE_URL": _database_url()}, address, 2)
    second = run_site_process({"DATABASE_URL": _database_url()}, address, 2)
    assert first["backend"] == "django.core.cache.backends.db.DatabaseCache"
    assert first["answers"] + second["answers"] == [True, True, True, False]


@pytest.mark.django_db
def test_migrate_creates_the_cache_table():
    assert settings.CACHE_TABLE in connection.introspection.table_names()
