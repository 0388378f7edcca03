"""`POST /api/v1/orders` with and without an Idempotency-Key against a bare Django JSON POST, in one run,
for one or two code trees (before/after): gunicorn (sync workers) driven by wrk, rounds interleaved.

    git archive <commit> | tar -x -C /tmp/base && ln -s $PWD/.venv /tmp/base/.venv     # optional
    python bench/bench_intake.py [--base /tmp/base] [--rounds 3] [--seconds 15] [--workers 2] [--db PATH]
        [--pg-url postgres://postgres@127.0.0.1:5432/fd_intake --pg-workers 4]      # createdb fd_intake first
        [--customers 0,2000]

Each create posts the seed's example order (full validation, prohibited check, quote, serial, customers, fees,
timeline, the customer's SMS queued, the enquiry row) as agent 8011; with a key, a new key per request. The bare
project (bench/bare/bare_project.py) parses the same body and answers JSON 201. Without --db a fresh database
(var/bench_intake.sqlite3) with the demo master data; --db points at a generated one (e.g. 1,000,000 orders).
--pg-url adds this code on that (empty) PostgreSQL database with --pg-workers workers, in the same rounds. Needs
`wrk` (Debian: `apt-get install wrk`). Prints per round and as medians: creates/s, p50/p99, the ratio to bare and
with/without key, and the medians as BENCH lines for run_all.py.

--customers: the orders' customers, one case per value in every round. 0 is the example order as it is (the same
shipper and consignee in every create, so on PostgreSQL every create locks the same two customer rows until its
commit); N spreads the creates over N known customers, as a desk's are: each request takes a random shipper and
a different random consignee of N numbers (a random name each time) — the N customers are made before the rounds,
so a create finds them known, as most of a desk's do.
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from results import emit, wrk_latency_ms  # noqa: E402

from freightdesk.demo.examples import EXAMPLE_ORDER_JSON  # noqa: E402

LUA = """
wrk.method = "POST"
wrk.body = [[%(body)s]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(token)s"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  math.randomseed(os.time() * 100 + tid)
end
local customers = %(customers)d
local surnames = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"}
local function person()
  local n = math.random(0, customers - 1)
  return n, surnames[math.random(#surnames)] .. (math.random(2) == 1 and "先生" or "女士")
end
local counter = 0
function request()
  counter = counter + 1
  if %(keyed)s then wrk.headers["Idempotency-Key"] = "%(tag)s-" .. tid .. "-" .. counter end
  if customers == 0 then return wrk.format() end
  local shipper, shipper_name = person()
  local consignee, consignee_name = person()
  if consignee == shipper then consignee = (shipper + 1) %% customers end
  local fields = {SP = string.format("%%d", %(first_phone)d + shipper), SN = shipper_name,
                  CP = string.format("%%d", %(first_phone)d + consignee), CN = consignee_name}
  return wrk.format(nil, nil, nil, (string.gsub(wrk.body, "@(%%u%%u)@", fields)))
end
"""
FIRST_PHONE = 13_700_000_000  # the spread customers' numbers: FIRST_PHONE … FIRST_PHONE + N - 1
SEED_CUSTOMERS = """
from freightdesk.customers.services import Visit, remember_customers
numbers = [f"+86{%(first)d + i}" for i in range(%(count)d)]
for start in range(0, len(numbers), 200):
    remember_customers([Visit(name="王先生", phone=n) for n in numbers[start:start + 200]])
"""


def body(customers: int) -> str:
    """The request's JSON: the example order, with placeholders for the customers the script fills in."""
    order = dict(EXAMPLE_ORDER_JSON)
    if customers:
        order["shipper"] = {"name": "@SN@", "phone": "@SP@"}
        order["consignee"] = {"name": "@CN@", "phone": "@CP@"}
    return json.dumps(order, ensure_ascii=False)


def seed_customers(tree: str, env: dict, count: int) -> None:
    """The ``count`` customers of the spread numbers, made once (known customers from the first create on)."""
    manage(tree, env, "shell", "-c", SEED_CUSTOMERS % {"first": FIRST_PHONE, "count": count})


def server_env(db: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "k" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "AXES_ENABLED": "0",
    }


def manage(tree: str, env: dict, *args) -> str:
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=tree, env=env, check=True, capture_output=True, text=True).stdout.strip()


def start(app: str, cwd: str, env: dict, workers: int, port: int, nice: int = 0) -> subprocess.Popen:
    """gunicorn serving ``app`` on ``port`` (at CPU priority ``nice``), once it answers."""
    gunicorn = str(ROOT / ".venv/bin/gunicorn")
    command = [gunicorn, app, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    command = ["nice", "-n", str(nice), *command] if nice else command
    server = subprocess.Popen(command, cwd=cwd, env=env)
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/orders")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"{app} did not start")


def drive(port: int, token: str, *, keyed: bool, seconds: int, connections: int, customers: int = 0) -> dict:
    lua = LUA % {
        "body": body(customers),
        "token": token,
        "keyed": "true" if keyed else "false",
        "tag": uuid.uuid4().hex[:12],
        "customers": customers,
        "first_phone": FIRST_PHONE,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", script.name]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}/api/v1/orders"], capture_output=True, text=True, check=True
    ).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    refused = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    return {
        "rate": (requests - refused) / seconds,
        "refused": refused,
        "p50": wrk_latency_ms(out, 50),
        "p99": wrk_latency_ms(out, 99),
    }


def _line(name: str, r: dict, bare: float) -> str:
    return (
        f"  {name:<30} {r['rate']:7.0f}/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
        f"{r['rate'] / bare:5.2f} of bare" + (f"  ({r['refused']} refused)" if r["refused"] else "")
    )


def fresh(env: dict, db: Path | None, tree: str = str(ROOT)) -> None:
    """A new database with the demo master data (SQLite: the file removed first; PostgreSQL: an empty one), made by
    the code ``tree`` (its own migrations: an older tree gets the schema it knows)."""
    for suffix in ("", "-wal", "-shm") if db else ():
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    manage(tree, env, "migrate", "-v", "0")
    manage(tree, env, "demo_data")


def sides(args) -> list[tuple[str, str, dict, int, str]]:
    """(name, code tree, server environment, workers, agent 8011's token) of every server measured."""
    db = Path(args.db).resolve() if args.db else ROOT / "var" / "bench_intake.sqlite3"
    env = server_env(db)
    if not args.db:
        fresh(env, db)
    token = manage(str(ROOT), env, "issue_token", "8011").splitlines()[-1]
    out = [("before", args.base, env, args.workers, token)] if args.base else []
    if args.base and not args.db:  # a fresh database of the before code's own schema
        base_db = ROOT / "var" / "bench_intake_before.sqlite3"
        base_env = server_env(base_db)
        fresh(base_env, base_db, args.base)
        base_token = manage(args.base, base_env, "issue_token", "8011").splitlines()[-1]
        out = [("before", args.base, base_env, args.workers, base_token)]
    out.append(("after" if args.base else f"SQLite {args.workers}w", str(ROOT), env, args.workers, token))
    if args.pg_url:
        pg_env = {**env, "DATABASE_URL": args.pg_url}
        fresh(pg_env, None)
        pg_token = manage(str(ROOT), pg_env, "issue_token", "8011").splitlines()[-1]
        out.append((f"PostgreSQL {args.pg_workers}w", str(ROOT), pg_env, args.pg_workers, pg_token))
    for _name, tree, server, *_rest in out if max(args.customers) else ():
        seed_customers(tree, server, max(args.customers))
    return out


def one_round(args, round_no: int, servers, results: dict) -> None:
    print(f"round {round_no} (load {os.getloadavg()[0]:.1f})", flush=True)
    token = servers[0][4]
    bare_server = start("bare_project:application", str(HERE / "bare"), dict(os.environ), args.workers, args.port)
    try:
        bare = drive(args.port, token, keyed=False, seconds=args.seconds, connections=args.connections)
    finally:
        bare_server.terminate()
        bare_server.wait()
    results.setdefault("bare Django JSON POST", []).append(bare)
    print(_line("bare Django JSON POST", bare, bare["rate"]), flush=True)
    for name, tree, env, workers, token in servers if round_no % 2 else servers[::-1]:
        server = start("freightdesk.wsgi", tree, env, workers, args.port)
        cases = [(c, k) for c in args.customers for k in (False, True)]
        try:
            for customers, keyed in cases if round_no % 2 else cases[::-1]:
                label = f"{name}, {f'{customers} customers, ' if customers else ''}{'with' if keyed else 'no'} key"
                r = drive(
                    args.port,
                    token,
                    keyed=keyed,
                    seconds=args.seconds,
                    connections=args.connections,
                    customers=customers,
                )
                results.setdefault(label, []).append({**r, "bare": bare["rate"]})
                print(_line(label, r, bare["rate"]), flush=True)
        finally:
            server.terminate()
            server.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="", help="a checkout of the code to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--db", default="")
    parser.add_argument("--pg-url", default="", help="also this code on this empty PostgreSQL database")
    parser.add_argument("--pg-workers", type=int, default=4)
    parser.add_argument("--customers", default="0", help="cases: 0 = the example order, N = spread over N customers")
    parser.add_argument("--size", default="fresh", help="the size column of the BENCH lines")
    parser.add_argument("--port", type=int, default=8771)
    args = parser.parse_args()
    args.customers = [int(n) for n in args.customers.split(",")]
    servers = sides(args)
    results: dict[str, list[dict]] = {}
    for round_no in range(1, args.rounds + 1):
        one_round(args, round_no, servers, results)
    summary(args, servers, results)


def summary(args, servers, results: dict) -> None:
    print(f"\nmedians of {args.rounds} rounds, {args.connections} connections, {args.db or 'fresh database'}")
    median = {
        k: {f: statistics.median(r[f] for r in rs) for f in ("rate", "p50", "p99", "refused")}
        for k, rs in results.items()
    }
    for label, rs in results.items():
        ratio = statistics.median(r["rate"] / r.get("bare", r["rate"]) for r in rs)
        print(_line(label, median[label], median[label]["rate"] / ratio))
        slug = "intake." + re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
        emit(f"{slug}_per_s", args.size, median[label]["rate"])
        emit(f"{slug}_p99_ms", args.size, median[label]["p99"])
    for name, *_rest in servers:
        for customers in args.customers:
            case = f"{name}, {f'{customers} customers, ' if customers else ''}"
            keyed, plain = median[f"{case}with key"], median[f"{case}no key"]
            print(
                f"  {case}with key / without {keyed['rate'] / plain['rate']:.2f} (rate), "
                f"p99 {keyed['p99'] / plain['p99']:.2f}"
            )


if __name__ == "__main__":
    main()
