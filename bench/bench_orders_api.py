"""POST /api/v1/orders under load: gunicorn on SQLite, driven by wrk from a second process.

    python bench/bench_orders_api.py [--workers <cores>] [--seconds 20] [--connections 8]

A fresh database (var/bench_api.sqlite3) is migrated and loaded with the demo master data;
agent 8011 gets a token; wrk posts the seed's example order (full validation, prohibited
check, quote, serial, customers, fees, timeline, enquiry task row) for N seconds. Prints
orders/s, latency percentiles and checks that the database holds exactly as many orders
as wrk saw 201s, with unique serials.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from _setup import ROOT, wrk_against_gunicorn

from freightdesk.demo.examples import EXAMPLE_ORDER_JSON

DB = ROOT / "var" / "bench_api.sqlite3"
BODY = EXAMPLE_ORDER_JSON
LUA = """
wrk.method = "POST"
wrk.body = [[%s]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %s"
local created = 0
local others = 0
response = function(status, headers, body)
  if status == 201 then created = created + 1 else
    if others == 0 then io.write("first refusal: ", status, " ", body, "\\n") end
    others = others + 1
  end
end
"""


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    # One sync worker per core: with more, a worker holding SQLite's write lock gets descheduled (RESULTS.md).
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{DB}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "k" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "AXES_ENABLED": "0",
    }
    manage("migrate", "-v", "0", env=env)
    manage("demo_data", env=env)
    token = manage("issue_token", "8011", env=env).splitlines()[-1]
    print("token", token[:10], len(token))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % (json.dumps(BODY, ensure_ascii=False), token))
    out = wrk_against_gunicorn(
        env=env,
        workers=args.workers,
        port=args.port,
        script=script.name,
        path="/api/v1/orders",
        connections=args.connections,
        seconds=args.seconds,
    )
    print(out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='freightdesk.settings';django.setup();"
            "from freightdesk.orders.models import Order;from django.db.models import Count;"
            "print(Order.objects.count(), Order.objects.values('serial').distinct().count())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    print(f"wrk requests {requests}, non-2xx {non2xx}; orders in database {check[0]}, distinct serials {check[1]}")
    print(f"orders/s: {(requests - non2xx) / args.seconds:.0f}")


if __name__ == "__main__":
    main()
