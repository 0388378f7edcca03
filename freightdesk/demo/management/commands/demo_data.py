from django.core.management.base import BaseCommand

from freightdesk.demo.data import load_demo


class Command(BaseCommand):
    help = "Load the demo regions, rates, staff and customer account (idempotent) and print the logins."

    def handle(self, *args, **options):
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("FreightDesk demo data loaded. Open http://127.0.0.1:8000/"))
        self.stdout.write("Demo logins (username or agent id / password / role):")
        for username, password, role in logins:
            self.stdout.write(f"  {username:<10} {password:<12} {role}")
