"""Where one `POST /api/v1/orders` spends its CPU: cProfile over N creates in one process, and the SQL
statements of one create with and without an Idempotency-Key.

    python bench/profile_intake.py [--creates 300] [--key] [--top 40] [--sort tottime|cumulative] [--code=PATH]

A fresh database (var/profile_intake.sqlite3) with the demo master data; agent 8011's token; the seed's
example order posted through Django's full handler (every middleware, ninja, the view) as gunicorn would.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _setup import ROOT, setup  # noqa: E402

# --code=PATH: profile another checkout (e.g. the code before a change) against the same kind of database
CODE = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--code=")), "")
if CODE:
    sys.path.insert(0, CODE)

DB = ROOT / "var" / "profile_intake.sqlite3"
for suffix in ("", "-wal", "-shm"):
    Path(f"{DB}{suffix}").unlink(missing_ok=True)
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-" + "k" * 40)
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["AXES_ENABLED"] = "0"
setup()
import freightdesk  # noqa: E402

print("code:", Path(freightdesk.__file__).parent.parent)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from freightdesk.accounts.models import ApiToken  # noqa: E402
from freightdesk.demo.examples import EXAMPLE_ORDER_JSON  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--creates", type=int, default=300)
    parser.add_argument("--key", action="store_true", help="send an Idempotency-Key (a new one per create)")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--code", default="", help="a checkout to profile instead of this one (--code=PATH)")
    parser.add_argument("--callers", default="", help="print the callers of the functions matching this")
    parser.add_argument("--trace", default="", help="print the Python stack of each statement containing this")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("demo_data", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    token = ApiToken.issue(get_user_model().objects.get(username="8011"), name="profile")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = json.dumps(EXAMPLE_ORDER_JSON, ensure_ascii=False)
    counter = iter(range(10**9))

    def create(key: bool):
        headers = {"Idempotency-Key": f"profile-{next(counter)}"} if key else {}
        response = client.post("/api/v1/orders", body, content_type="application/json", headers=headers)
        assert response.status_code == 201, response.content

    if args.trace:

        def show(execute, sql, params, many, context):
            if args.trace in sql:
                print("".join(traceback.format_stack(limit=14)[:-2]))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(show):
            create(args.key)
    for key in (False, True):
        create(key)  # warm
        with CaptureQueriesContext(connection) as queries:
            create(key)
        print(f"\n--- SQL of one create {'with' if key else 'without'} a key: {len(queries)} statements")
        for q in queries:
            print("  ", q["sql"][:150])
    for key in (False, True):
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.creates):
            create(key)
        took = (time.perf_counter() - started) / args.creates * 1000
        cpu = (time.process_time() - cpu) / args.creates * 1000
        with_key = "with" if key else "without"
        print(f"{args.creates} creates {with_key} a key, no profiler: {took:.2f} ms each, {cpu:.2f} ms CPU")
    started = time.perf_counter()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.creates):
        create(args.key)
    profile.disable()
    elapsed = time.perf_counter() - started
    print(
        f"\n{args.creates} creates in {elapsed:.2f} s under the profiler: {elapsed / args.creates * 1000:.2f} ms each"
    )
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats(args.sort)
    stats.print_callers(args.callers) if args.callers else stats.print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
