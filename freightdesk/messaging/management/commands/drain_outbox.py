"""Send every due outbound message now, or keep doing so every N seconds (the safety drain)."""

import time

from django.core.management.base import BaseCommand

from freightdesk.messaging.outbox import deliver_all


class Command(BaseCommand):
    help = "Send due SMS messages (once, or in a loop with --every SECONDS)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="Repeat every N seconds; 0 = once.")

    def handle(self, *args, every, **options):
        while True:
            report = deliver_all()
            if report.claimed or options["verbosity"] > 1:
                self.stdout.write(
                    f"sent {len(report.sent)}, retrying {len(report.retrying)}, failed {len(report.failed)}"
                )
            if not every:
                return
            time.sleep(every)
