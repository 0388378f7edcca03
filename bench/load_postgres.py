"""Copy a bench SQLite database into PostgreSQL, table by table with COPY, so both are measured on the same rows:

    python bench/load_postgres.py [--sqlite var/bench_reports.sqlite3] [--url postgres://postgres@127.0.0.1:5432/fd_bench]

Creates the database if missing and migrates it (same schema and indexes as the SQLite file), empties every
table except django_migrations, copies every table the two have in common (the columns they share; SQLite's
UTC timestamps are read in a UTC session, 0/1 as booleans), moves the id sequences past the copied ids and
runs VACUUM (ANALYZE) (what autovacuum does in production; without it no index-only scans). Everything is one
transaction: a failed load leaves the database as it was. The copy runs as a replica session
(``session_replication_role``): no trigger fires, so the summary tables are the SQLite file's, not summed a second
time by the reports' triggers over the copied rows, and the foreign keys are not checked row by row. The indexes no constraint owns are dropped before the copy and
built after it."""

import argparse
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 20_000


def ensure_database(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"], check=True, env=env, cwd=ROOT)


def drop_secondary_indexes(conn) -> list[str]:
    """Drop the indexes no constraint owns; their definitions, to build each once after the copy (one sort) instead
    of updating it row by row (at 10,000,000 orders the orders' two dozen indexes no longer fit in memory)."""
    rows = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = 'public' AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I', i.indexname)::regclass)"
    ).fetchall()
    for name, _definition in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in rows]


def load(sqlite_path: Path, url: str) -> None:
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    sqlite_tables = {
        name
        for (name,) in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    with psycopg.connect(url) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        pg_tables = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'django_migrations'"
            )
        ]
        conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in pg_tables) + " RESTART IDENTITY CASCADE")
        # the summary tables are copied as they are: their triggers must not add the copied orders and tickets again
        # (nor check the foreign keys row by row; the rows come from a consistent database)
        conn.execute("SET session_replication_role = replica")
        indexes = drop_secondary_indexes(conn)
        for table in sorted(set(pg_tables) & sqlite_tables):
            pg_columns = {
                name: kind
                for name, kind in conn.execute(
                    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s", [table]
                )
            }
            columns = [row[1] for row in source.execute(f'PRAGMA table_info("{table}")') if row[1] in pg_columns]
            booleans = [i for i, c in enumerate(columns) if pg_columns[c] == "boolean"]
            started = time.perf_counter()
            count = 0
            quoted = ", ".join(f'"{c}"' for c in columns)
            with conn.cursor().copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                cursor = source.execute(f'SELECT {quoted} FROM "{table}"')
                while rows := cursor.fetchmany(CHUNK):
                    for row in rows:
                        if booleans:
                            row = list(row)
                            for i in booleans:
                                if row[i] is not None:
                                    row[i] = bool(row[i])
                        copy.write_row(row)
                    count += len(rows)
            if count:
                print(f"  {table}: {count:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
            if "id" in pg_columns and count:
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))"
                )
        started = time.perf_counter()
        conn.execute("SET maintenance_work_mem = '1GB'")
        for definition in indexes:
            conn.execute(definition)
        print(f"  {len(indexes)} indexes built in {time.perf_counter() - started:.1f} s", flush=True)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")  # statistics, and the visibility map index-only scans need


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", type=Path, default=ROOT / "var" / "bench_reports.sqlite3")
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/fd_bench")
    args = parser.parse_args()
    started = time.perf_counter()
    ensure_database(args.url)
    migrate(args.url)
    load(args.sqlite, args.url)
    print(f"loaded in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
