"""``groundswell scheduler``: enqueues the periodic tasks for the worker. Run exactly one (``groundswell
serve`` starts it); a second one would only enqueue work that finds nothing left to do."""

import signal
import time

from django.core.management.base import BaseCommand, CommandError

from groundswell.participation.tasks import dispatch_scheduled_emails, purge_personal_data


class Command(BaseCommand):
    help = "Enqueue the periodic tasks: due emails every --interval seconds, data erasure every hour."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between email dispatches.")
        parser.add_argument("--purge-interval", type=float, default=3600.0)
        parser.add_argument("--once", action="store_true", help="Enqueue each task once and stop.")

    def handle(self, *args, interval, purge_interval, once, **options):
        if interval <= 0 or purge_interval <= 0:
            raise CommandError("--interval and --purge-interval must be positive.")
        stopping = False

        def stop(signum, _frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        next_dispatch = next_purge = time.monotonic()
        while not stopping:
            now = time.monotonic()
            if now >= next_dispatch:
                dispatch_scheduled_emails.enqueue()
                next_dispatch = now + interval
            if now >= next_purge:
                purge_personal_data.enqueue()
                next_purge = now + purge_interval
            if once:
                break
            time.sleep(min(1.0, max(0.05, min(next_dispatch, next_purge) - time.monotonic())))
