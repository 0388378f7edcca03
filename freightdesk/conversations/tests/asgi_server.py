"""A real ASGI server (uvicorn, in a subprocess) on the test database, optionally on a travelled clock."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

RUN = """
import sys, time_machine, uvicorn
if sys.argv[2]:
    time_machine.travel(sys.argv[2], tick=True).start()
uvicorn.run(
    "freightdesk.asgi:application", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
    ws_max_size=int(sys.argv[3]),
)
"""


def procfile_ws_max_size() -> int:
    """The frame cap the web process runs with (Procfile.dev's ``--ws-max-size``), so tests serve the same."""
    words = (Path(settings.BASE_DIR) / "Procfile.dev").read_text().split()
    return int(words[words.index("--ws-max-size") + 1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_server(port: int, *, at: str = "", redis: tuple[str, str] | None = None) -> subprocess.Popen:
    """uvicorn serving freightdesk.asgi on `port`, the clock at `at` (ticking) when given; waits until it listens.
    With ``redis=(url, prefix)`` its channel layer and cache are that Redis under that prefix (several servers)."""
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "freightdesk.settings_test"}
    env.pop("REDIS_URL", None)
    if redis:  # the site's own settings, which read REDIS_URL (the test settings keep everything in-process)
        env |= {"REDIS_URL": redis[0], "CHANNELS_PREFIX": redis[1], "CACHE_PREFIX": redis[1]}
        env["DJANGO_SETTINGS_MODULE"] = "freightdesk.settings"
    args = [sys.executable, "-c", RUN, str(port), at, str(procfile_ws_max_size())]
    server = subprocess.Popen(args, cwd=settings.BASE_DIR, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the ASGI server did not start")
