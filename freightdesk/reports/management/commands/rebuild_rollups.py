from datetime import date

from django.core.management.base import BaseCommand, CommandError

from freightdesk.reports.rollup_rebuild import rebuild_all
from freightdesk.reports.rollups import install_triggers


class Command(BaseCommand):
    help = (
        "Recompute the reports' per-day summary rows from the raw rows (every day, or the local days --from..--to) "
        "and reinstall their triggers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="first local day, YYYY-MM-DD")
        parser.add_argument("--to", dest="last", help="last local day, inclusive, YYYY-MM-DD")
        parser.add_argument("--database", default="default")

    def handle(self, *args, first=None, last=None, database="default", **options):
        if bool(first) != bool(last):
            raise CommandError("Give both --from and --to, or neither.")
        try:
            first_day, last_day = (date.fromisoformat(first), date.fromisoformat(last)) if first else (None, None)
        except ValueError as exc:
            raise CommandError(f"Dates are YYYY-MM-DD: {exc}") from exc
        if first_day and last_day < first_day:
            raise CommandError("--to is before --from.")
        install_triggers(database)
        rebuild_all(first_day, last_day, using=database, log=self.stdout.write)
