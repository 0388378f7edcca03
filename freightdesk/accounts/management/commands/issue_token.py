from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from freightdesk.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Print a new API bearer token for USERNAME (it carries that user's roles)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for, e.g. 'website'.")

    def handle(self, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        _, raw = ApiToken.issue(user, name=name)
        self.stdout.write(raw)
