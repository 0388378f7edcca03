"""Benchmark: the shared cache's cost where the site uses it: the rate limiter (one `add`, then `incr`,
per public look-up) and the calendar / master-data version read (one `get` per process every few seconds).

Backends: the per-process memory cache (the old default, shared by nobody: the baseline), the database
cache on the site's database (the default), the file cache in var/, and Redis (REDIS_URL).

Run: .venv/bin/python bench/bench_cache.py [--n 2000]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/fd_bench_cache .venv/bin/python bench/bench_cache.py
A throwaway SQLite database by default; on PostgreSQL the database must exist. "2 processes" runs
the rate limiter in two processes at once (two gunicorn workers), each doing n look-ups.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CACHE_DIR = tempfile.mkdtemp(prefix="fd-bench-cache-")
BACKENDS = {
    "memory (per process)": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "freightdesk_cache"},
    "file (var/)": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": CACHE_DIR},
    "redis": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("REDIS_BENCH_URL", "redis://127.0.0.1:6379/14"),
    },
}


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freightdesk.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()


def use_backend(name: str) -> None:
    """Make `name` this process's default cache (what ratelimit and worktime use)."""
    from django.core.cache import caches
    from django.utils.module_loading import import_string

    params = dict(BACKENDS[name])
    backend, location = params.pop("BACKEND"), params.pop("LOCATION", "")
    caches["default"] = import_string(backend)(location, params)


def timed(fn, n: int) -> list[float]:
    samples = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - t0) * 1e6)
    return samples


def rate_limiter(n: int) -> list[float]:
    from freightdesk.core import ratelimit

    run = uuid.uuid4().hex[:8]
    # 50 client addresses, each looked up n/50 times: one add, then incr after incr.
    return timed(lambda i: ratelimit.allow(f"{run}.{i % 50}", scope="bench", limit=10**9, window=600), n)


def version_read(n: int) -> list[float]:
    from django.core.cache import cache

    from freightdesk.core import worktime

    worktime.invalidate()  # writes the version
    return timed(lambda i: cache.get(worktime.VERSION_KEY), n)


def _worker(backend: str, n: int, queue) -> None:
    from django.db import connection

    connection.close()  # a forked child opens its own connection
    use_backend(backend)
    t0 = time.perf_counter()
    rate_limiter(n)
    queue.put(time.perf_counter() - t0)


def two_processes(backend: str, n: int) -> float:
    """Look-ups per second of two processes limiting at once."""
    queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_worker, args=(backend, n, queue)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return 2 * n / max(queue.get() for _ in workers)


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    return f"{statistics.median(samples):7.0f} / {ordered[int(len(ordered) * 0.95)]:7.0f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="fd-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)  # the cache table comes with migrate
    connection.close()
    print(f"database: {connection.vendor}; n={args.n}; times in µs (p50 / p95)")
    print(f"{'backend':22} {'rate limiter':>17} {'version read':>17} {'2 processes, look-ups/s':>24}")
    for name in BACKENDS:
        use_backend(name)
        limiter, version = rate_limiter(args.n), version_read(args.n)
        connection.close()
        both = two_processes(name, args.n) if name != "memory (per process)" else float("nan")
        print(f"{name:22} {summary(limiter):>17} {summary(version):>17} {both:24.0f}")


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
