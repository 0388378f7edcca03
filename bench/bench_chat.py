"""Online chat under load: N WebSocket clients in N/2 conversations (a customer by key, an agent by session),
each side sending a message every 2 s for 60 s; delivery latency (sender's send -> the other side's receipt),
p50/p95/p99, and nothing lost (every message reached the other side). The same clients against a bare
Channels echo consumer (same layer, no database) in the same run, for the ratio. ``--redis`` runs two server
processes on REDIS_URL's Redis, customers on one and agents on the other. ``--database-url`` runs on another
database (a PostgreSQL database of that name is dropped and created afresh); ``--window-ms`` sets the servers'
CHAT_WRITE_WINDOW_MS (how long a message waits for others to share its write transaction).

    python bench/bench_chat.py [--clients 500] [--seconds 60] [--redis] [--database-url postgres://...]
"""

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "bench_chat.sqlite3"
SERVER_ENV = {
    "DATABASE_URL": f"sqlite:///{DB}",
    "DEBUG": "0",
    "SECRET_KEY": "bench-chat-not-secret",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
    "CHAT_MESSAGES_PER_MINUTE": "1000000",  # every bench client comes from 127.0.0.1
}


def fresh_database(url: str) -> None:
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm", "-writers.lock"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(url.replace(f"/{name}", "/postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def prepare(pairs: int) -> list[dict]:
    """A fresh database with `pairs` open conversations, each held by one of the agents (by session)."""
    fresh_database(SERVER_ENV["DATABASE_URL"])
    env = {**os.environ, **SERVER_ENV}
    subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freightdesk.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore

    from freightdesk.accounts.models import StaffProfile
    from freightdesk.conversations.models import Conversation

    group = Group.objects.get_or_create(name="agent")[0]
    sessions = []
    for i in range(max(1, pairs // 10)):
        user = User.objects.create_user(f"bench{i}", password=uuid.uuid4().hex)
        user.groups.add(group)
        StaffProfile.objects.create(user=user, agent_id=f"{9000 + i}")
        store = SessionStore()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append((user, store.session_key))
    rows = Conversation.objects.bulk_create(
        Conversation(
            channel="chat",
            status="open",
            customer_name=f"客户{n}",
            customer_phone=f"+86138{n:08d}",
            agent=sessions[n % len(sessions)][0],
        )
        for n in range(pairs)
    )
    return [{"id": c.pk, "key": c.access_key, "session": sessions[n % len(sessions)][1]} for n, c in enumerate(rows)]


def start_server(app: str, port: int, extra_env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/uvicorn"),
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV, **extra_env},
    )
    for _ in range(100):
        try:
            import socket

            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"{app} did not start on {port}")


class Side:
    def __init__(self, url: str, headers: dict, role: str, stats: dict):
        self.url, self.headers, self.role, self.stats = url, headers, role, stats

    async def run(self, seconds: float, started: asyncio.Event, begin: float):
        import websockets

        async with websockets.connect(self.url, additional_headers=self.headers, max_queue=None) as ws:
            started.set()
            reader = asyncio.create_task(self.read(ws))
            await asyncio.sleep(max(0.0, begin - time.time()) + random.uniform(0, 2))
            end = begin + seconds
            while time.time() < end:
                tag = f"{self.role}:{uuid.uuid4().hex[:12]}"
                self.stats["sent"][tag] = time.time()
                await ws.send(json.dumps({"type": "message", "text": tag, "from": self.role}))
                await asyncio.sleep(2)
            await asyncio.sleep(3)  # what is in flight arrives
            reader.cancel()

    async def read(self, ws):
        async for raw in ws:
            data = json.loads(raw)
            text = data.get("text") or ""
            if data.get("type") == "message" and text.partition(":")[0] not in ("", self.role) and ":" in text:
                sent = self.stats["sent"].get(text)
                if sent is not None and text not in self.stats["got"]:
                    self.stats["got"][text] = time.time() - sent


async def drive(urls: list[tuple[str, dict, str]], seconds: float) -> dict:
    stats = {"sent": {}, "got": {}}
    begin = time.time() + 5 + len(urls) / 200
    sides = [Side(url, headers, role, stats) for url, headers, role in urls]
    events = [asyncio.Event() for _ in sides]
    tasks = []
    for side, event in zip(sides, events, strict=True):
        tasks.append(asyncio.create_task(side.run(seconds, event, begin)))
        await asyncio.sleep(0.005)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    stats["errors"] = [repr(r) for r in results if isinstance(r, BaseException)]
    return stats


def report(name: str, stats: dict) -> dict:
    latencies = sorted(stats["got"].values())
    pick = lambda p: latencies[min(len(latencies) - 1, round(p / 100 * (len(latencies) - 1)))] * 1000  # noqa: E731
    row = {
        "case": name,
        "sent": len(stats["sent"]),
        "delivered": len(latencies),
        "lost": len(stats["sent"]) - len(latencies),
        "p50_ms": round(pick(50), 1) if latencies else None,
        "p95_ms": round(pick(95), 1) if latencies else None,
        "p99_ms": round(pick(99), 1) if latencies else None,
        "errors": len(stats["errors"]),
    }
    print(json.dumps(row, ensure_ascii=False), flush=True)
    if stats["errors"]:
        print("  first error:", stats["errors"][0], flush=True)
    return row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--redis", action="store_true", help="two server processes on REDIS_URL")
    parser.add_argument("--database-url", default=SERVER_ENV["DATABASE_URL"])
    parser.add_argument("--window-ms", type=float, help="the servers' CHAT_WRITE_WINDOW_MS")
    args = parser.parse_args()
    SERVER_ENV["DATABASE_URL"] = args.database_url
    if args.window_ms is not None:
        SERVER_ENV["CHAT_WRITE_WINDOW_MS"] = str(args.window_ms)
    print(f"database: {args.database_url.split('://')[0]}; write window: {args.window_ms} ms", flush=True)
    pairs = args.clients // 2
    extra = {}
    if args.redis:
        extra = {
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "CHANNELS_PREFIX": f"bench-{uuid.uuid4().hex[:8]}",
        }
    conversations = prepare(pairs)
    ports = (8731, 8732) if args.redis else (8731, 8731)
    print(f"load average before: {os.getloadavg()}", flush=True)

    servers = [start_server("bench.chat_echo_asgi:application", p, extra) for p in sorted(set(ports))]
    echo = [(f"ws://127.0.0.1:{ports[0]}/ws/echo/{c['id']}/", {}, "customer") for c in conversations] + [
        (f"ws://127.0.0.1:{ports[1]}/ws/echo/{c['id']}/", {}, "agent") for c in conversations
    ]
    baseline = report("bare Channels echo consumer", asyncio.run(drive(echo, args.seconds)))
    for s in servers:
        s.terminate()
        s.wait()

    servers = [start_server("freightdesk.asgi:application", p, extra) for p in sorted(set(ports))]
    chat = [
        (f"ws://127.0.0.1:{ports[0]}/ws/conversations/{c['id']}/?key={c['key']}&after=999999999", {}, "customer")
        for c in conversations
    ] + [
        (
            f"ws://127.0.0.1:{ports[1]}/ws/conversations/{c['id']}/?after=999999999",
            {"Cookie": f"sessionid={c['session']}", "Origin": f"http://127.0.0.1:{ports[1]}"},
            "agent",
        )
        for c in conversations
    ]
    measured = report("FreightDesk chat (stored, then fanned out)", asyncio.run(drive(chat, args.seconds)))
    for s in servers:
        s.terminate()
        s.wait()
    from freightdesk.conversations.models import ConversationMessage

    print(f"messages stored: {ConversationMessage.objects.count()}; load average after: {os.getloadavg()}")
    if baseline["p95_ms"] and measured["p95_ms"]:
        print(f"p95 ratio to the bare consumer: {measured['p95_ms'] / baseline['p95_ms']:.1f}x")


if __name__ == "__main__":
    main()
