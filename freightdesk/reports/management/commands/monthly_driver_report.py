from django.core.management.base import BaseCommand

from freightdesk.reports.tasks import monthly_driver_report


class Command(BaseCommand):
    help = "Enqueue the monthly driver report (default: last month). Run from cron on the 1st of each month."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="any day of the month, YYYY-MM-DD")
        parser.add_argument("--now", action="store_true", help="generate in this process instead of enqueueing")

    def handle(self, *args, month=None, now=False, **options):
        if now:
            self.stdout.write(str(monthly_driver_report.call(month)))
        else:
            self.stdout.write(str(monthly_driver_report.enqueue(month).id))
