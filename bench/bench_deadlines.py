"""Benchmark: computing 100,000 deadlines must take under 1 s (issue 3, Performance).

Results, 2026-11-23, 2-core python-svc machine (shared with other test runs, load average ~3),
Python 3.11, SQLite, starts as UTC datetimes over 2026-2027, three runs:
    first pass (loads calendar + fills the day cache): 0.506 s, 0.537 s, 0.418 s
    second pass (warm cache):                          0.504 s, 0.314 s, 0.388 s  (3.1-5.0 µs/deadline)
    -> PASS, under the 1 s limit for 100,000 deadlines.

Run: .venv/bin/python bench/bench_deadlines.py [--n 100000]
Uses a throwaway SQLite database (migrated, so the seeded policies are read through the real
path: deadline_for -> cached calendar and policies), plus a few overrides, and starts spread
over 2026-2027 — across holidays, adjusted working days and the year the holiday library does
not know — with a mix of the review, pickup, callback and dispatch policies.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(tmp: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freightdesk.settings")
    os.environ.setdefault("AXES_ENABLED", "0")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def run(n: int, seed: int = 3) -> dict:
    from freightdesk.core import worktime
    from freightdesk.core.models import WorkingDayOverride

    WorkingDayOverride.objects.create(date=date(2026, 11, 21), opens_at="09:00", closes_at="12:00")
    WorkingDayOverride.objects.create(date=date(2027, 2, 11), is_working=False, official_schedule=True)
    worktime.invalidate()

    rng = random.Random(seed)
    base = datetime(2025, 12, 31, 16, 0, tzinfo=UTC)  # 2026-01-01 00:00 in Shanghai; UTC like timezone.now()
    span = int(timedelta(days=730).total_seconds())
    starts = [base + timedelta(seconds=rng.randrange(span)) for _ in range(n)]
    codes = [rng.choice(["review", "review", "pickup", "callback", "dispatch"]) for _ in range(n)]

    # Cold: the first call loads overrides and policies (two queries) and fills the day cache.
    t0 = time.perf_counter()
    for code, start in zip(codes, starts, strict=True):
        worktime.deadline_for(code, start)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    for code, start in zip(codes, starts, strict=True):
        worktime.deadline_for(code, start)
    warm = time.perf_counter() - t0
    return {"n": n, "cold_s": cold, "warm_s": warm, "per_call_us": warm / n * 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        result = run(args.n)
    ok = result["cold_s"] < 1.0
    print(
        f"{result['n']:,} deadlines: first pass {result['cold_s']:.3f} s (loads the calendar), "
        f"second pass {result['warm_s']:.3f} s ({result['per_call_us']:.1f} µs/deadline) "
        f"-> {'PASS' if ok else 'FAIL'} (limit 1 s)"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
