"""``groundswell setup``: everything a fresh installation needs, safe to run again and again."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Migrate, collect static files, load the demo campaign once and create the first coordinator account."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo campaign.")
        parser.add_argument("--username", default="coordinator", help="User name of the first account.")

    def handle(self, *args, no_demo, username, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("compile_translations", verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        # Whatever the storage: with DEBUG off (any server) only STATIC_ROOT serves the CSS and JavaScript.
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("Static files collected.")
        from groundswell.campaigns.models import Campaign

        if not no_demo and not Campaign.objects.exists():
            call_command("demo", stdout=self.stdout)
        self._first_account(username)

    @transaction.atomic
    def _first_account(self, username):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                f"An administrator account exists already. Forgot the password? "
                f"Run: groundswell changepassword {username}"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        line = "=" * 64
        self.stdout.write(
            f"{line}\nA coordinator account was created. This password is shown only once:\n"
            f"  user name: {username}\n  password:  {password}\n"
            f"Log in at {settings.BASE_URL}/dashboard/\n{line}"
        )
