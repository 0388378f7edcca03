"""Shared bench setup: point Django at the bench database (DATABASE_URL or var/bench.sqlite3)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(default_db: str = "bench.sqlite3"):
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / default_db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freightdesk.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def percentile(samples, p):
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def wrk_against_gunicorn(
    *, env: dict, workers: int, port: int, script: str, path: str, connections: int, seconds: int
) -> str:
    """Start gunicorn on ROOT's project with `env`, wait until it answers, drive `path` with wrk
    (2 threads, `script` as its Lua file) for `seconds`, stop gunicorn; return wrk's output."""
    import subprocess
    import time
    import urllib.request

    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "freightdesk.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        return subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(connections),
                "-d",
                f"{seconds}s",
                "--latency",
                "-s",
                script,
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        server.terminate()
        server.wait()
