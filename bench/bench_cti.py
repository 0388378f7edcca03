"""CTI ingest benchmark: 1,000 call events per second on SQLite without loss (issue 8).

Two modes, each on a fresh SQLite database in a temp dir with the demo data:

    python bench/bench_cti.py [--calls 1000] [--batch 1]
        in process: each call's four events (ringing, answered, hangup, recording) plus 10 %
        duplicates, shuffled (out of order), through telephony.ingest.ingest_events in batches
        of --batch events (1 = one event per call of the service, as POST /cti/events does).

    python bench/bench_cti.py --http [--workers 3] [--connections 8] [--seconds 15] [--batch 0]
        over HTTP: gunicorn (sync workers) serving the project, wrk posting distinct events
        (4 per call, interleaved over the connections, so they also arrive out of order):
        --batch 0 posts one event per request to POST /api/v1/cti/events, --batch N posts N
        events per request to POST /api/v1/cti/events/batch.

Both check that nothing was lost: every accepted event stored exactly once and every call that
received its four events converged to the complete record.
"""

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from _setup import wrk_against_gunicorn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="bench_cti_")
DB = f"{TMP}/bench_cti.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freightdesk.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402


def call_events(cid, t0, caller, agent="8011"):
    return [
        {
            "event": "ringing",
            "call_id": cid,
            "direction": "in",
            "from": caller,
            "to": "4008001234",
            "agent": agent,
            "queue": "orders",
            "at": t0.isoformat(),
        },
        {"event": "answered", "call_id": cid, "agent": agent, "at": (t0 + timedelta(seconds=6)).isoformat()},
        {"event": "hangup", "call_id": cid, "cause": "normal", "at": (t0 + timedelta(seconds=90)).isoformat()},
        {
            "event": "recording",
            "call_id": cid,
            "url": f"https://pbx.example.com/{cid}.mp3",
            "at": (t0 + timedelta(seconds=92)).isoformat(),
        },
    ]


def in_process(args):
    from django.db import connection

    from freightdesk.telephony.ingest import ingest_events
    from freightdesk.telephony.models import Call, CallEvent

    now = timezone.now()
    events = []
    for i in range(args.calls):
        caller = random.choice(["13800138000", "021-88887777", "88887777", f"139{random.randint(10**7, 10**8 - 1)}"])
        events += call_events(
            f"bench{i}", now - timedelta(minutes=30) + timedelta(seconds=i), caller, random.choice(["8011", "8012"])
        )
    events += random.sample(events, len(events) // 10)
    random.shuffle(events)
    batches = [events[i : i + args.batch] for i in range(0, len(events), args.batch)]
    latencies = []
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        for batch in batches:
            t = time.perf_counter()
            ingest_events(batch)
            latencies.append(time.perf_counter() - t)
        elapsed = time.perf_counter() - started
    latencies.sort()
    stored = CallEvent.objects.count()
    complete = Call.objects.filter(state="ended", talk_seconds=84, recording_url__startswith="https").count()
    print(
        f"in process, batches of {args.batch}: {len(events)} events ({args.calls} calls, 10% duplicates, "
        f"shuffled) in {elapsed:.2f} s: {len(events) / elapsed:.0f} events/s; "
        f"{len(statements) / len(events):.1f} SQL statements per event; per batch p50 "
        f"{latencies[len(latencies) // 2] * 1000:.2f} ms, p95 {latencies[int(len(latencies) * 0.95)] * 1000:.2f} ms; "
        f"stored {stored}/{args.calls * 4}, complete calls {complete}/{args.calls}"
    )
    assert stored == args.calls * 4 and complete == args.calls, "events lost"


LUA = r"""
local token, batch, path = "%(token)s", %(batch)d, "%(path)s"
local callers = {%(callers)s}
local steps = {"ringing", "answered", "hangup", "recording"}
local threads, n = {}, 0
function setup(thread)
  n = n + 1
  thread:set("tid", n)
  table.insert(threads, thread)
end
function init(args)
  counter, ok, others, base = 0, 0, 0, os.time() - 300
end
local function stamp(offset)
  return os.date("!%%Y-%%m-%%dT%%H:%%M:%%S+00:00", base + offset)
end
local function one()
  local k, step = math.floor(counter / 4), counter %% 4
  counter = counter + 1
  local cid = "w" .. tid .. "-" .. k
  local t = k %% 200
  if step == 0 then
    return string.format('{"event":"ringing","call_id":"%%s","direction":"in","from":"%%s","to":"4008001234",' ..
      '"agent":"%%s","queue":"orders","at":"%%s"}', cid, callers[k %% #callers + 1], 8011 + k %% 2, stamp(t))
  elseif step == 1 then
    return string.format('{"event":"answered","call_id":"%%s","agent":"%%s","at":"%%s"}', cid, 8011 + k %% 2,
      stamp(t + 6))
  elseif step == 2 then
    return string.format('{"event":"hangup","call_id":"%%s","cause":"normal","at":"%%s"}', cid, stamp(t + 90))
  end
  return string.format('{"event":"recording","call_id":"%%s","url":"https://pbx.example.com/%%s.mp3","at":"%%s"}',
    cid, cid, stamp(t + 92))
end
function request()
  local body
  if batch == 0 then body = one() else
    local items = {}
    for i = 1, batch do items[i] = one() end
    body = '{"events":[' .. table.concat(items, ",") .. ']}'
  end
  return wrk.format("POST", path, {["Content-Type"] = "application/json",
                                   ["Authorization"] = "Bearer " .. token}, body)
end
function response(status, headers, body)
  if status == 200 then ok = ok + 1 else
    if others == 0 then io.write("first refusal: ", status, " ", body, "\n") end
    others = others + 1
  end
end
function done(summary, latency, requests)
  local t_ok, t_others = 0, 0
  for _, thread in ipairs(threads) do
    t_ok = t_ok + thread:get("ok")
    t_others = t_others + thread:get("others")
  end
  io.write(string.format("RESULT ok=%%d others=%%d\n", t_ok, t_others))
end
"""


def over_http(args):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from freightdesk.accounts.models import ApiToken
    from freightdesk.telephony.models import Call, CallEvent

    pbx, _ = get_user_model().objects.get_or_create(username="pbx")
    pbx.groups.add(Group.objects.get_or_create(name="integration")[0])
    token = ApiToken.issue(pbx, name="bench")[1]
    callers = ["13800138000", "021-88887777", "88887777"] + [
        f"139{random.randint(10**7, 10**8 - 1)}" for _ in range(97)
    ]
    django.db.connections.close_all()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "k" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "AXES_ENABLED": "0",
    }
    path = "/api/v1/cti/events" if args.batch == 0 else "/api/v1/cti/events/batch"
    script = Path(TMP) / "cti.lua"
    script.write_text(
        LUA % {"token": token, "batch": args.batch, "path": path, "callers": ",".join(json.dumps(c) for c in callers)}
    )
    out = wrk_against_gunicorn(
        env=env,
        workers=args.workers,
        port=args.port,
        script=str(script),
        path=path,
        connections=args.connections,
        seconds=args.seconds,
    )
    print(out)
    ok, others = (int(x) for x in re.search(r"RESULT ok=(\d+) others=(\d+)", out).groups())
    sent = ok * max(args.batch, 1)
    stored = CallEvent.objects.count()
    full = Call.objects.filter(events__isnull=False).values("pk").annotate(n=django.db.models.Count("events"))
    full_ids = [row["pk"] for row in full if row["n"] == 4]
    complete = Call.objects.filter(
        pk__in=full_ids, state="ended", talk_seconds=84, recording_url__startswith="https"
    ).count()
    mode = "one event per request" if args.batch == 0 else f"batches of {args.batch} events"
    print(
        f"HTTP, gunicorn -w {args.workers} (sync), wrk -t2 -c{args.connections} {args.seconds}s, {mode}: "
        f"{sent} events accepted (200) = {sent / args.seconds:.0f} events/s, {others} refused; "
        f"stored {stored} (>= accepted; requests still in flight at the end also land), "
        f"calls with all 4 events {len(full_ids)}, of them complete {complete}"
    )
    assert others == 0 and stored >= sent and complete == len(full_ids), "events lost or calls not converged"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument(
        "--batch",
        type=int,
        default=None,
        help="events per batch (in process: default 1; HTTP: 0 = single-event endpoint)",
    )
    parser.add_argument("--http", action="store_true")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    if args.batch is None:
        args.batch = 0 if args.http else 1
    call_command("migrate", verbosity=0)
    from freightdesk.demo.data import load_demo

    load_demo()
    print(f"load average before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    (over_http if args.http else in_process)(args)
    print(f"load average after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")


if __name__ == "__main__":
    main()
