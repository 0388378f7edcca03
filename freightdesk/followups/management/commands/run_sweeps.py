"""The safety sweep of follow-ups (SPEC §7, §8, §10): once, or every N seconds (``--every 60``).

Deferred tasks run each check at its due time; this catches any check whose task was lost
(worker down, queue wiped). Run exactly one loop per deployment beside the db_worker(s): each
check is claimed with a conditional UPDATE, so a second sweeper, or a task racing the sweep,
never runs a check twice — it only wastes a query.
"""

import time

from django.core.management.base import BaseCommand

from freightdesk.followups.services import sweep


class Command(BaseCommand):
    help = "Run every follow-up check that is due (once, or in a loop with --every SECONDS)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="Repeat every N seconds; 0 = once.")

    def handle(self, *args, every, **options):
        while True:
            ran = sweep()
            if ran or options["verbosity"] > 1:
                self.stdout.write(f"checks run: {ran}")
            if not every:
                return
            time.sleep(every)
