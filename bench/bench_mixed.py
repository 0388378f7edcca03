"""Reports beside intake: two managers paging through the year's report page while `POST /api/v1/orders` runs at
concurrency 4, against intake alone, in one run (rounds alternate), with the RSS of every web worker after each.

    python bench/bench_mixed.py [--db var/bench.sqlite3] [--rounds 2] [--seconds 20] [--workers 2]
        [--report-workers 1] [--report-nice 10]

Needs `wrk` (Debian: `apt-get install wrk`). gunicorn (sync workers, as the README deploys) on the given database
(SQLite, or DATABASE_URL when it is set), DEBUG=0 (static files collected into var/static first if missing). The
creates are bench_intake.py's (the seed's example order as agent 8011, no Idempotency-Key); each manager is a
session of its own (user bench-manager) requesting `/reports/?from=<today-364>&to=<today>` one after another.
Three cases a round: intake alone; "shared", the managers on the same workers as intake; "split", the managers on
a pool of their own (``--report-workers`` at ``nice --report-nice``), the README's layout ("How to scale": the
proxy sends `/reports/` and `/api/v1/reports/` there). Targets: create p99 ≤ 50 ms and a rate within 0.8× of
intake alone; RSS per web worker ≤ 120 MB. Prints the figures as BENCH lines for `run_all.py` (size: the
database's orders, 100k / 1M / 10M).
"""

import argparse
import http.client
import os
import statistics
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from bench_intake import drive, manage, server_env, start  # noqa: E402
from results import emit, size_label  # noqa: E402

CASES = ("alone", "shared", "split")

SESSION = """
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from freightdesk.orders.models import Order
user, _ = get_user_model().objects.get_or_create(username="bench-manager")
user.groups.add(Group.objects.get_or_create(name="manager")[0])
client = Client()
client.force_login(user)
print(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value, Order.objects.count())
"""


def rss_mb(master: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), MB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        sizes.append(kb / 1024)
    return sizes


def page_year(port: int, cookie: str, stop: threading.Event, samples: list[float]) -> None:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the desk's day (settings.TIME_ZONE)
    path = f"/reports/?from={today - timedelta(days=364)}&to={today}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while not stop.is_set():
        started = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"year page: HTTP {response.status}")
        samples.append((time.perf_counter() - started) * 1000)


def one_round(args, token: str, cookie: str, report_port: int | None) -> dict:
    """Intake for --seconds (with the managers paging on ``report_port`` when given), then the workers' RSS."""
    stop, pages, threads = threading.Event(), [], []
    if report_port:
        threads = [
            threading.Thread(target=page_year, args=(report_port, cookie, stop, pages), daemon=True)
            for _ in range(args.managers)
        ]
        for thread in threads:
            thread.start()
    try:
        result = drive(args.port, token, keyed=False, seconds=args.seconds, connections=args.connections)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    return {**result, "pages": pages}


def run_case(args, env: dict, token: str, cookie: str, case: str) -> dict:
    """One case on fresh servers: the web pool, and for "split" the reports' pool beside it."""
    servers = [start("freightdesk.wsgi", str(ROOT), env, args.workers, args.port)]
    try:
        if case == "split":
            report_port = args.port + 1
            servers.append(
                start("freightdesk.wsgi", str(ROOT), env, args.report_workers, report_port, nice=args.report_nice)
            )
        else:
            report_port = args.port if case == "shared" else None
        result = one_round(args, token, cookie, report_port)
        result["rss"] = [mb for server in servers for mb in rss_mb(server.pid)]
    finally:
        for server in servers:
            server.terminate()
            server.wait()
    return result


def _pct(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=str(ROOT / "var" / "bench.sqlite3"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--managers", type=int, default=2)
    parser.add_argument("--report-workers", type=int, default=1)
    parser.add_argument("--report-nice", type=int, default=10)
    parser.add_argument("--port", type=int, default=8781)
    args = parser.parse_args()
    env = server_env(Path(args.db).resolve())
    if "DATABASE_URL" in os.environ:
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    if not (ROOT / "var" / "static" / "staticfiles.json").exists():
        manage(str(ROOT), env, "collectstatic", "--noinput", "-v", "0")
    token = manage(str(ROOT), env, "issue_token", "8011").splitlines()[-1]
    name, key, orders = manage(str(ROOT), env, "shell", "-c", SESSION).splitlines()[-1].split()
    size = size_label(int(orders))
    print(
        f"{int(orders):,} orders ({size}), {args.workers} workers, intake at {args.connections} connections; "
        f"split: {args.report_workers} report workers at nice {args.report_nice}"
    )
    runs = {case: [] for case in CASES}
    for round_no in range(1, args.rounds + 1):
        for case in CASES if round_no % 2 else CASES[::-1]:
            load = os.getloadavg()[0]
            result = run_case(args, env, token, f"{name}={key}", case)
            runs[case].append(result)
            pages = result["pages"]
            print(
                f"round {round_no} {case:<6} (load {load:.1f}): {result['rate']:6.0f} creates/s, p50 "
                f"{result['p50']:.1f} ms, p99 {result['p99']:.1f} ms; workers' RSS "
                + ", ".join(f"{mb:.0f}" for mb in result["rss"])
                + " MB"
                + (
                    f"; {len(pages)} year pages, p50 {_pct(pages, 50):.0f} ms, p95 {_pct(pages, 95):.0f} ms"
                    if pages
                    else ""
                ),
                flush=True,
            )
    report(runs, size)


def report(runs: dict, size: str) -> None:
    alone = runs["alone"]
    rate_alone = statistics.median(r["rate"] for r in alone)
    p99_alone = statistics.median(r["p99"] for r in alone)
    print(f"\nmedians: intake alone {rate_alone:.0f}/s p99 {p99_alone:.1f} ms")
    emit("mixed.intake_alone_per_s", size, rate_alone)
    emit("mixed.create_p99_alone_ms", size, p99_alone)
    for case, suffix in (("shared", ""), ("split", "_split_pool")):
        rate = statistics.median(r["rate"] for r in runs[case])
        p99 = statistics.median(r["p99"] for r in runs[case])
        pages = [ms for r in runs[case] for ms in r["pages"]]
        print(
            f"  {case:<6} with {len(pages)} year pages: {rate:.0f}/s ({rate / rate_alone:.2f}× alone; target ≥ 0.8) "
            f"p99 {p99:.1f} ms (target ≤ 50); year page p50 {_pct(pages, 50):.0f} ms p95 {_pct(pages, 95):.0f} ms"
        )
        emit(f"mixed.intake_with_reports{suffix}_per_s", size, rate)
        emit(f"mixed.create_p99_with_reports{suffix}_ms", size, p99)
        emit(f"mixed.year_page{suffix}_p95_ms", size, _pct(pages, 95))
    rss = max(mb for rs in runs.values() for r in rs for mb in r["rss"])
    print(f"  largest worker RSS {rss:.0f} MB (target ≤ 120)")
    emit("web.worker_rss_mb", size, rss)


if __name__ == "__main__":
    main()
