"""CTI ingest benchmark: 1,000 call events per second on SQLite without loss (issue 8).

Run: .venv/bin/python bench/bench_cti.py [--calls 1000]
Uses a fresh SQLite database in a temp dir; plays each call's four events (ringing, answered,
hangup, recording) through telephony.services.ingest_event, plus 10% duplicates, and checks that
every event is stored exactly once.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
tmp = tempfile.mkdtemp()
os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freightdesk.settings")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from freightdesk.demo.data import load_demo
    from freightdesk.telephony.models import Call, CallEvent
    from freightdesk.telephony.services import ingest_event

    load_demo()
    now = timezone.now()
    events = []
    for i in range(args.calls):
        t0 = now - timedelta(minutes=30) + timedelta(seconds=i)
        cid = f"bench{i}"
        caller = f"139{random.randint(10000000, 99999999)}"
        events += [
            {"event": "ringing", "call_id": cid, "direction": "in", "from": caller, "to": "4008001234",
             "agent": "8011", "at": t0.isoformat()},
            {"event": "answered", "call_id": cid, "agent": "8011", "at": (t0 + timedelta(seconds=6)).isoformat()},
            {"event": "hangup", "call_id": cid, "cause": "normal", "at": (t0 + timedelta(seconds=90)).isoformat()},
            {"event": "recording", "call_id": cid, "url": f"https://pbx.example.com/{cid}.mp3",
             "at": (t0 + timedelta(seconds=92)).isoformat()},
        ]
    events += random.sample(events, len(events) // 10)
    random.shuffle(events)
    latencies = []
    started = time.perf_counter()
    for payload in events:
        t = time.perf_counter()
        ingest_event(payload=payload)
        latencies.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - started
    latencies.sort()
    stored = CallEvent.objects.count()
    complete = Call.objects.filter(state="ended", talk_seconds=84, recording_url__startswith="https").count()
    rate = len(events) / elapsed
    print(f"{len(events)} events ({args.calls} calls, 10% duplicates, shuffled) in {elapsed:.2f} s: {rate:.0f} events/s; "
          f"p50 {latencies[len(latencies) // 2] * 1000:.2f} ms, p95 {latencies[int(len(latencies) * .95)] * 1000:.2f} ms; "
          f"stored {stored}/{args.calls * 4}, complete calls {complete}/{args.calls}")
    assert stored == args.calls * 4 and complete == args.calls, "events lost"


if __name__ == "__main__":
    main()
