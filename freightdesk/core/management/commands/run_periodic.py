"""The periodic safety net, in one process: every job in settings.PERIODIC_JOBS, once or every N seconds.

Deadlines run as deferred tasks on the worker; these jobs catch whatever a lost task missed
(follow-up sweep, outbox drain, ticket reminders) and do the calendar work (the monthly driver
report). Each job is idempotent and claims its rows with conditional updates, so running this
on two machines wastes queries but never does work twice. One failing job is logged and does
not stop the others.
"""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger("freightdesk.periodic")


class Command(BaseCommand):
    help = "Run the periodic jobs (settings.PERIODIC_JOBS) once, or every N seconds with --every."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="Repeat every N seconds; 0 = once.")

    def handle(self, *args, every, **options):
        jobs = [(path, import_string(path)) for path in settings.PERIODIC_JOBS]
        while True:
            for path, job in jobs:
                try:
                    result = job()
                except Exception:
                    logger.exception("periodic job %s failed", path)
                else:
                    if options["verbosity"] > 1:
                        self.stdout.write(f"{path}: {result}")
            close_old_connections()
            if not every:
                return
            time.sleep(every)
