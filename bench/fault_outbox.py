"""Fault run of the SMS outbox: a gateway failing half its calls, the task workers killed, 500 orders dispatched.

Run: .venv/bin/python bench/fault_outbox.py [--orders 500] [--kills 6] [--seconds 300] [--gateway aliyun|tencent]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/fd_outbox_bench .venv/bin/python bench/fault_outbox.py

What runs, as in production (Procfile.dev):
  - a fake Aliyun (or Tencent) SMS gateway, a real HTTP server in this process (``messaging/tests/fakes.py``): it
    fails ``--fail`` (50 %) of its calls — send and look-up alike — half of the failed sends after the message
    went out (the answer is lost), each call takes ``--latency`` s, and like the real providers it sends every
    request it accepts: it does NOT honour the idempotency key. It answers QuerySendDetails / the status pull
    page by page, so a send in doubt is only found by reading every page of the number's records;
  - the real workers, ``manage.py db_worker`` on every queue and on ``dispatch_sms`` alone, and
    ``manage.py run_periodic --every 60`` (the safety drain), as subprocesses;
  - this process takes ``--orders`` phone orders (confirmed by the agent as they are taken) and dispatches each
    at once, spread over ``--seconds``; meanwhile it SIGKILLs a worker ``--kills`` times at random moments
    (the dispatch worker and the general one in turn) and restarts it a second later, and it polls the
    "phone the recipient" list (the dispatch page's and the board's selector) every second.
Afterwards it waits until every message is sent and checks:
  - every message was delivered exactly once at the gateway (the fake's own record of what phones received);
  - every dispatch SMS reached the gateway within 3 minutes of its order's confirmation, or the agent was told
    to phone its recipient within those 3 minutes.
It prints the figures (and exits 1 if a check fails). A throwaway SQLite database in a temp dir, or the
PostgreSQL database of DATABASE_URL (dropped and created again).
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIMIT = timedelta(minutes=3)


def prepare_database(tmp: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp}/fault_outbox.sqlite3"
    import psycopg

    base, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def child_env(database_url: str, gateway, kind: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "freightdesk.settings",
        "DEBUG": "0",
        "SECRET_KEY": "fault-run-" + "x" * 40,
        "LOG_LEVEL": "WARNING",
        "SMS_BACKEND": kind,
        "SMS_TIMEOUT_SECONDS": "3",
        "ALIYUN_SMS_ENDPOINT": gateway.endpoint,
        "ALIYUN_SMS_PROTOCOL": "http",
        "ALIYUN_ACCESS_KEY_ID": "ak",
        "ALIYUN_ACCESS_KEY_SECRET": "sk",
        "TENCENT_SMS_ENDPOINT": gateway.endpoint,
        "TENCENT_SMS_PROTOCOL": "http",
        "TENCENT_SECRET_ID": "id",
        "TENCENT_SECRET_KEY": "key",
        "TENCENT_SMS_SDK_APP_ID": "1400000000",
        "AXES_ENABLED": "0",
    }
    env.pop("REDIS_URL", None)
    return env


PROCESSES = {
    "worker": ["db_worker", "--queue-name", "*", "--interval", "0.5", "--no-reload", "--no-startup-delay"],
    "sms": ["db_worker", "--queue-name", "dispatch_sms", "--interval", "0.2", "--no-reload", "--no-startup-delay"],
    "periodic": ["run_periodic", "--every", "60"],
}


class Processes:
    def __init__(self, env: dict, logdir: str):
        self.env, self.logdir, self.procs = env, logdir, {}

    def start(self, name: str) -> None:
        log = open(Path(self.logdir) / f"{name}.log", "a")  # noqa: SIM115 - closed with the process
        self.procs[name] = subprocess.Popen(
            [str(ROOT / ".venv/bin/python"), "manage.py", *PROCESSES[name]],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def kill(self, name: str) -> None:
        proc = self.procs[name]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def watch_phone_list(flagged: dict, stop: threading.Event) -> None:
    """Poll the "phone the recipient" selector once a second; keep when each message first appeared on it."""
    from django.db import connection
    from django.utils import timezone

    from freightdesk.messaging.selectors import dispatch_sms_to_phone

    while not stop.is_set():
        now = timezone.now()
        for pk in dispatch_sms_to_phone(now=now).values_list("pk", flat=True):
            flagged.setdefault(pk, now)
        stop.wait(1.0)
    connection.close()


def killer(procs: Processes, kills: int, seconds: float, done: list, stop: threading.Event, rng) -> None:
    moments = sorted(rng.uniform(5, seconds) for _ in range(kills))
    start = time.monotonic()
    for i, moment in enumerate(moments):
        if stop.wait(max(0.0, moment - (time.monotonic() - start))):
            return
        name = "sms" if i % 2 == 0 else "worker"
        procs.kill(name)
        done.append((round(time.monotonic() - start, 1), name))
        time.sleep(1.0)
        procs.start(name)


def take_and_dispatch(n: int, seconds: float) -> list[int]:
    from django.contrib.auth import get_user_model

    from freightdesk.demo.examples import EXAMPLE_ORDER
    from freightdesk.dispatch.services import dispatch_order
    from freightdesk.orders.forms import OrderForm
    from freightdesk.orders.intake import take_order

    agent = get_user_model().objects.get(username="8011")
    form = OrderForm({**EXAMPLE_ORDER, "channel": "phone"})
    assert form.is_valid(), form.errors
    ids, start = [], time.monotonic()
    for i in range(n):
        order = take_order(data=form.cleaned_data, channel="phone", agent=agent).order  # confirmed on the call
        dispatch_order(order=order, agent=agent)
        ids.append(order.pk)
        ahead = start + seconds * (i + 1) / n - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
    return ids


def wait_until_sent(deadline_s: float) -> bool:
    from freightdesk.messaging.models import Message

    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if not Message.objects.filter(state="queued").exists():
            return True
        time.sleep(2)
    return False


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))] if ordered else 0


def check(gateway, flagged: dict) -> tuple[list[str], list[str]]:
    """(figures, failures)."""
    from freightdesk.messaging.models import Message, MessageKind

    messages = list(Message.objects.select_related("order"))
    counts = Counter(d["key"] for d in gateway.deliveries)
    first_at = {}
    for d in gateway.deliveries:
        first_at.setdefault(d["key"], d["at"])
    keys = {m.idempotency_key for m in messages}
    failures = []
    twice = {k: n for k, n in counts.items() if n > 1}
    missing = keys - set(counts)
    unknown = set(counts) - keys
    states = Counter(m.state for m in messages)
    if twice:
        failures.append(f"{len(twice)} messages delivered more than once: {sorted(twice.items())[:10]}")
    if missing:
        failures.append(f"{len(missing)} messages never delivered")
    if unknown:
        failures.append(f"{len(unknown)} deliveries of unknown keys")
    figures = [
        f"messages: {len(messages)} ({dict(Counter(m.kind for m in messages))}), states {dict(states)}",
        f"gateway: {gateway.calls} send calls, {len(gateway.deliveries)} deliveries, {gateway.lookups} look-up "
        f"calls (pages), duplicates {len(twice)}",
    ]
    for kind in (MessageKind.DISPATCH, MessageKind.DRIVER_LINK):
        rows = [m for m in messages if m.kind == kind]
        late, told, untold, delays = 0, 0, [], []
        for m in rows:
            confirmed = m.order.confirmed_at
            if m.idempotency_key not in first_at:
                continue
            delay = first_at[m.idempotency_key] - confirmed.timestamp()
            delays.append(delay)
            if delay > LIMIT.total_seconds():
                late += 1
                if m.pk in flagged and flagged[m.pk] - confirmed <= LIMIT:
                    told += 1
                else:
                    untold.append((m.pk, round(delay)))
        figures.append(
            f"{kind}: {len(rows)}; confirmation -> gateway p50 {percentile(delays, 50):.1f} s, p95 "
            f"{percentile(delays, 95):.1f} s, p99 {percentile(delays, 99):.1f} s, max {max(delays, default=0):.1f} s; "
            f"over 3 min {late} (agent told to phone within 3 min: {told})"
        )
        if kind == MessageKind.DISPATCH:
            figures.append(f"dispatch SMS on the phone list at some point: {len(flagged)}")
            if untold:
                failures.append(f"{len(untold)} dispatch SMS over 3 minutes, agent not told to phone: {untold[:10]}")
    return figures, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=300, help="spread the orders over this many seconds")
    parser.add_argument("--gateway", default="aliyun", choices=["aliyun", "tencent"])
    parser.add_argument("--fail", type=float, default=0.5, help="share of the gateway's calls that fail")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds each gateway call takes")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--drain-timeout", type=float, default=900)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    tmp = tempfile.mkdtemp(prefix="fault_outbox_")
    database_url = prepare_database(tmp)
    from freightdesk.messaging.tests.fakes import FakeGateway

    gateway = FakeGateway(args.gateway).start()
    gateway.random = random.Random(args.seed)
    gateway.delay = args.latency
    env = child_env(database_url, gateway, args.gateway)
    os.environ.update({k: env[k] for k in env if k not in {"DEBUG", "SECRET_KEY"}})
    import django

    django.setup()
    from django.core.management import call_command

    from freightdesk.demo.data import load_demo

    call_command("migrate", verbosity=0)
    load_demo()
    gateway.fail_ratio = args.fail  # migrations and demo data send nothing; fail from now on

    procs = Processes(env, tmp)
    for name in PROCESSES:
        procs.start(name)
    stop, flagged, kills = threading.Event(), {}, []
    watcher = threading.Thread(target=watch_phone_list, args=(flagged, stop), daemon=True)
    killing = threading.Thread(target=killer, args=(procs, args.kills, args.seconds, kills, stop, rng), daemon=True)
    started = time.monotonic()
    watcher.start()
    killing.start()
    try:
        take_and_dispatch(args.orders, args.seconds)
        killing.join()
        drained = wait_until_sent(args.drain_timeout)
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        procs.stop_all()
    watcher.join(timeout=5)
    figures, failures = check(gateway, flagged)
    gateway.stop()
    db = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(
        f"fault run on {db}: {args.orders} orders over {args.seconds:.0f} s, gateway {args.gateway} failing "
        f"{args.fail:.0%} (latency {args.latency} s, idempotency key not honoured), seed {args.seed}"
    )
    print(f"workers SIGKILLed {len(kills)} times at {kills}; all sent: {drained}; wall {elapsed:.0f} s; logs in {tmp}")
    for line in figures:
        print("  " + line)
    if not drained:
        failures.append("messages still queued after the drain timeout")
    for line in failures:
        print("FAIL: " + line)
    print("OK" if not failures else "FAILED")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
