from django.core.management.base import BaseCommand

from freightdesk.tickets.followups import send_due_reminders


class Command(BaseCommand):
    help = "Remind owners before SLA deadlines, mark and escalate breaches, remind due callbacks (each minute)."

    def handle(self, *args, **options):
        counts = send_due_reminders()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
