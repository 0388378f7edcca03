"""Benchmark: the worker drains 10,000 queued messages to the file (or console) backend at
>= 500 messages/s on SQLite (issue 4, Performance).

Run: .venv/bin/python bench/bench_outbox.py [--n 10000] [--backend file|console] [--per-message]
A throwaway SQLite database (WAL, IMMEDIATE, as in production settings) is migrated, N
messages are written queued, and the real worker (``manage.py db_worker --batch`` on the
"messages" queue, in this process) sends them:
  - default: the safety-drain task (``drain_outbox``), which claims and marks messages in
    batches of 200 — how a backlog is cleared;
  - ``--per-message``: one ``send_messages`` task per message, as dispatches enqueue them —
    the worst case, dominated by the task queue's own bookkeeping.
The console backend's output goes to /dev/null so the terminal is not what is measured.
"""

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(tmp: str, backend: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench_outbox.sqlite3"
    os.environ["SMS_BACKEND"] = backend
    os.environ["SMS_FILE_PATH"] = f"{tmp}/sms.jsonl"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freightdesk.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def queue_messages(n: int) -> list[int]:
    from django.utils import timezone

    from freightdesk.messaging.models import Message

    now = timezone.now()
    start = Message.objects.count()
    Message.objects.bulk_create(
        [
            Message(
                kind="dispatch",
                recipient_role="driver",
                recipient_name="张师傅",
                to=f"+86138{i:08d}",
                text=f"261123{i % 1000:03d}客王先13800138000配件15件200公斤2.2方汽配城往火车站收货马先13900139000现付。8011",
                signature="【滴客】",
                segments=2,
                idempotency_key=f"bench-{start + i}",
                created_at=now,
                next_attempt_at=now,
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    return list(Message.objects.filter(state="queued").values_list("pk", flat=True))


def run_worker() -> None:
    from django.core.management import call_command

    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="messages", verbosity=0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--backend", default="file", choices=["file", "console"])
    parser.add_argument("--per-message", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp, args.backend)
        from freightdesk.messaging.models import Message
        from freightdesk.messaging.tasks import drain_outbox, send_messages

        ids = queue_messages(args.n)
        if args.per_message:
            for pk in ids:
                send_messages.enqueue(message_ids=[pk])
        else:
            drain_outbox.enqueue()
        start, start_cpu = time.perf_counter(), time.process_time()
        run_worker()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        sent = Message.objects.filter(state="sent").count()
        lines = sent
        if args.backend == "file":
            with open(f"{tmp}/sms.jsonl", encoding="utf-8") as written:
                lines = sum(1 for _ in written)
        mode = "one task per message" if args.per_message else "drain task"
        print(
            f"{mode}, {args.backend} backend: {sent:,}/{args.n:,} sent ({lines:,} written) in {elapsed:.2f} s "
            f"= {sent / elapsed:,.0f} messages/s (CPU {cpu:.2f} s)"
        )
        assert sent == args.n == lines, "messages lost or duplicated"
        print("PASS" if sent / elapsed >= 500 else "FAIL", "(at least 500 messages/s)")


if __name__ == "__main__":
    main()
