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
