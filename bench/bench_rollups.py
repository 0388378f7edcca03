"""Report pages and the report API read from the per-day summaries (after) against the raw queries (before), side by
side in one run, at several data sizes:

    python bench/bench_rollups.py --before /tmp/base \\
        --data 100k:var/r100k.sqlite3:var/r100k_after.sqlite3 --data 1m:var/r1m.sqlite3:var/r1m_after.sqlite3 \\
        [--rounds 3] [--pages 8]

``--before`` is a checkout of the code before the summaries (``git worktree add /tmp/base <commit>`` or ``git
archive``); each ``--data`` names a size, a database prepared by ``generate_orders.py`` and ``bench_reports.py
--prepare`` for the before code, and a copy of it migrated by this code (``manage.py migrate`` fills the summaries).
Every round runs the before and the after code (in that order, then reversed) in fresh processes, each timing
``--pages`` requests per case through Django's test client as a manager (DEBUG as bench_reports.py); the table
gives p50 / p95 over all rounds of the wall time and, in the rows marked [CPU], of the process's CPU time (the
database is SQLite, in process: on a loaded machine the CPU time is what a request costs), the before/after ratio
of p95, and the after figure against the smallest size. A database may be a URL instead of a file (``--data
1m:x:postgres://postgres@127.0.0.1:5432/fd_gen_1m``, a copy by bench/load_postgres.py): its figures are named
``reports.postgresql.…`` and only the wall time's are printed as BENCH lines (the server's CPU is not the process's).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
AFTER_ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from results import emit  # noqa: E402

SIZES = {"100k": "100k", "1m": "1M", "10m": "10M"}  # --data's size names as run_all.py's columns


def cases(today) -> dict[str, tuple[str, dict]]:
    year = {"from": (today - timedelta(days=364)).isoformat(), "to": today.isoformat()}
    month_end = today.replace(day=1) - timedelta(days=1)
    month = {"from": month_end.replace(day=1).isoformat(), "to": month_end.isoformat()}
    return {
        "year page (all reports, 365 days)": ("/reports/", year),
        "month page (last calendar month)": ("/reports/", month),
        "dashboard (default: 30 days)": ("/reports/", {}),
        "API pickup-on-time, year, by driver": ("/api/v1/reports/pickup-on-time", year),
        "API pickup-on-time, year, by day": ("/api/v1/reports/pickup-on-time", {**year, "group_by": "day"}),
        "API complaints, year, by month": ("/api/v1/reports/complaints", {**year, "group_by": "month"}),
        "API origins, year, by day": ("/api/v1/reports/origins", {**year, "group_by": "day"}),
    }


def worker(root: str, pages: int) -> None:
    """In the process of one code version: time every case, print the samples (ms) as JSON."""
    sys.path.insert(0, root)
    os.chdir(root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freightdesk.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.utils import timezone

    from freightdesk.accounts.models import ApiToken

    user, _ = get_user_model().objects.get_or_create(username="bench-manager")
    user.groups.add(Group.objects.get_or_create(name="manager")[0])
    token = ApiToken.issue(user)[1]
    client = Client()
    client.force_login(user)
    out = {}
    for name, (path, query) in cases(timezone.localdate()).items():
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if path.startswith("/api/") else {}
        client.get(path, query, **headers)  # warm-up
        samples, cpu = [], []
        for _ in range(pages):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(path, query, **headers)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        out[name], out[f"{name} [CPU]"] = samples, cpu
    print(json.dumps(out))


def check(pages: int) -> None:
    """In this code's process: every summarised report and grouping for the last year and the last calendar month,
    all and per region, read from the summaries and by the raw queries: the same rows."""
    sys.path.insert(0, str(AFTER_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freightdesk.settings")
    import django

    django.setup()
    from django.utils import timezone

    from freightdesk.network.models import Region
    from freightdesk.reports import summaries
    from freightdesk.reports.catalog import REPORTS
    from freightdesk.reports.params import ReportParams

    today, now = timezone.localdate(), timezone.now()
    month_end = today.replace(day=1) - timedelta(days=1)
    periods = [(today - timedelta(days=364), today), (month_end.replace(day=1), month_end)]
    usable, compared = summaries.usable, 0
    for slug, report in REPORTS.items():
        for group in report.groups:
            for (first, last), region in [(p, r) for p in periods for r in (None, Region.objects.first().code)]:
                params = ReportParams(first, last, group, region)
                summary = report.rows(params, now=now)
                summaries.usable = lambda period: False
                raw = report.rows(params, now=now)
                summaries.usable = usable
                assert summary == raw, (slug, group, first, region, summary, raw)
                compared += len(raw)
    print(f"summaries = raw queries: {compared:,} rows compared")


def writes(count: int, rounds: int) -> None:
    """The triggers' cost on intake: ``POST /api/v1/orders`` (the seed's example order) in this process on a fresh
    database (DATABASE_URL), ``count`` creates with the summary triggers and ``count`` without, alternating
    ``rounds`` times; CPU and wall time per create."""
    sys.path.insert(0, str(AFTER_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freightdesk.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from freightdesk.accounts.models import ApiToken
    from freightdesk.demo.data import load_demo
    from freightdesk.demo.examples import EXAMPLE_ORDER_JSON
    from freightdesk.orders.models import Order
    from freightdesk.reports.rollup_models import OrderDay
    from freightdesk.reports.rollup_rebuild import rebuild_all
    from freightdesk.reports.rollups import drop_triggers, install_triggers

    call_command("migrate", verbosity=0)
    load_demo()
    from django.contrib.auth import get_user_model

    token = ApiToken.issue(get_user_model().objects.get(username="8011"))[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    post = lambda: client.post("/api/v1/orders", EXAMPLE_ORDER_JSON, content_type="application/json")  # noqa: E731
    for _ in range(20):
        assert post().status_code == 201
    figures: dict = {"with triggers": [], "without": []}
    for n in range(rounds):
        for side in ("with triggers", "without") if n % 2 == 0 else ("without", "with triggers"):
            (install_triggers if side == "with triggers" else drop_triggers)()
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(count):
                assert post().status_code == 201
            figures[side].append(
                ((time.process_time() - cpu) / count * 1000, (time.perf_counter() - wall) / count * 1000)
            )
    install_triggers()
    summed = sum(OrderDay.objects.values_list("orders", flat=True))
    rebuild_all()
    assert (
        summed != Order.objects.count()
        and sum(OrderDay.objects.values_list("orders", flat=True)) == Order.objects.count()
    )
    for side, runs in figures.items():
        cells = ", ".join(f"{cpu:.2f} / {wall:.2f}" for cpu, wall in runs)
        print(f"| {side} | {cells} |")


def run(root: Path, db: str, pages: int) -> dict[str, list[float]]:
    env = {**os.environ, "DATABASE_URL": db if "://" in db else f"sqlite:///{Path(db).resolve()}"}
    done = subprocess.run(
        [sys.executable, __file__, "--worker", str(root), "--pages", str(pages)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before")
    parser.add_argument("--data", action="append", help="size:before_db:after_db")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--worker")
    parser.add_argument("--sides", default="before,after", help="before,after or one of them")
    parser.add_argument("--check", action="store_true", help="compare the figures (DATABASE_URL, this code)")
    parser.add_argument("--writes", type=int, help="time this many creates with and without the triggers")
    args = parser.parse_args()
    if args.writes:
        writes(args.writes, args.rounds)
        return
    if args.check:
        check(args.pages)
        return
    if args.worker:
        worker(args.worker, args.pages)
        return
    samples: dict = {}
    postgresql: set[str] = set()  # the sizes whose (after) database is PostgreSQL
    for size_spec in args.data:
        size, before_db, after_db = size_spec.split(":", 2)
        if after_db.startswith("postgres"):
            postgresql.add(size)
        for n in range(args.rounds):
            order = [("before", args.before, before_db), ("after", AFTER_ROOT, after_db)]
            order = [side for side in order if side[0] in args.sides]
            for side, root, db in order if n % 2 == 0 else order[::-1]:
                print(f"  {size} round {n + 1}: {side} (load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
                for case, values in run(Path(root), db, args.pages).items():
                    samples.setdefault((size, case, side), []).extend(values)
    report(samples, [spec.split(":")[0] for spec in args.data], postgresql)


def report(samples: dict, sizes: list[str], postgresql: set[str] = frozenset()) -> None:
    cases_seen = list(dict.fromkeys(case for (_, case, _) in samples))
    head = " | ".join(f"{s} before p50 / p95 | {s} after p50 / p95 | {s} ×" for s in sizes)
    print(f"| case | {head} | after {sizes[-1]} / {sizes[0]} (p95) |")
    print("| --- |" + " --- |" * (3 * len(sizes) + 1))
    for case in cases_seen:
        cells = []
        for size in sizes:
            before, after = samples.get((size, case, "before"), [0]), samples[(size, case, "after")]
            cells.append(f"{percentile(before, 50):,.0f} / {percentile(before, 95):,.0f} ms")
            cells.append(f"{percentile(after, 50):,.0f} / {percentile(after, 95):,.0f} ms")
            cells.append(f"{percentile(before, 95) / percentile(after, 95):.1f}×")
        growth = percentile(samples[(sizes[-1], case, "after")], 95) / percentile(
            samples[(sizes[0], case, "after")], 95
        )
        print(f"| {case} | {' | '.join(cells)} | {growth:.2f}× |")
    for (size, case, side), values in samples.items():
        if side == "after" and not (size in postgresql and "[CPU]" in case):
            slug = re.sub(r"[^a-z0-9]+", "_", case.lower().replace("[cpu]", "cpu")).strip("_")
            vendor = "postgresql." if size in postgresql else ""
            emit(f"reports.{vendor}{slug}_p95_ms", SIZES.get(size.lower(), size), percentile(values, 95))


if __name__ == "__main__":
    main()
