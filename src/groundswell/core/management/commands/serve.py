"""``groundswell serve``: the web server (gunicorn) and the task worker together, stopped together."""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Groundswell with gunicorn and run the background task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("GROUNDSWELL_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("GROUNDSWELL_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("GROUNDSWELL_WEB_WORKERS", str((os.cpu_count() or 1) + 1))),
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("GROUNDSWELL_WEB_THREADS", "4"))
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Serve only; run the task worker and the scheduler elsewhere.",
        )

    def handle(self, *args, host, port, workers, threads, no_worker, **options):
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {port}.")
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "groundswell.settings"),
        }
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "groundswell.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--logger-class",
            "groundswell.core.gunicorn_logging.RedactingLogger",
            # Behind nginx, which keeps its own access log, GROUNDSWELL_ACCESS_LOG=0 saves its cost here.
            *(["--access-logfile", "-"] if os.environ.get("GROUNDSWELL_ACCESS_LOG", "1") != "0" else []),
            "--graceful-timeout",
            "10",
            "--forwarded-allow-ips",
            os.environ.get("GROUNDSWELL_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        children = {"web": subprocess.Popen(web, env=env)}  # noqa: S603 -- our own interpreter and arguments
        if not no_worker:
            worker = [sys.executable, "-m", "groundswell", "db_worker", "--interval", "1"]
            children["worker"] = subprocess.Popen(worker, env=env)  # noqa: S603 -- as above
            # Enqueues the periodic tasks (due reminders every minute, data erasure every hour).
            scheduler = [sys.executable, "-m", "groundswell", "scheduler"]
            children["scheduler"] = subprocess.Popen(scheduler, env=env)  # noqa: S603 -- as above
        self.stdout.write(
            f"Groundswell is serving on http://{host}:{port}/ — coordinators log in at "
            f"http://{host}:{port}/dashboard/ (Ctrl-C stops it)."
        )

        stopping = False

        def stop(signum, _frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        try:
            while not stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(
                            f"The {name} process stopped (exit code {child.returncode}); stopping."
                        )
                        exit_code = child.returncode or 1
                        stopping = True
                time.sleep(0.3)
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.terminate()
            deadline = time.monotonic() + 15
            for child in children.values():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
            self.stdout.write("Stopped.")
        if exit_code:
            raise CommandError("A server process failed.", returncode=exit_code)
