"""Retrying a task that failed: enqueue it again later with its arguments, then report it.

For tasks whose work cannot be rebuilt from the database (an email carrying a secret that is stored only
as a hash); the RSVP emails have an outbox of their own (participation/outbox.py).
"""

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task_backends

from .mail import send_templated_mail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_PAUSES = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)


def retry_or_report(task, *, args: tuple, attempt: int, error: Exception, report) -> None:
    """Called from inside ``task`` when attempt number ``attempt`` (1-based) failed: enqueues attempt + 1
    after a pause, or, after MAX_ATTEMPTS (or on a backend that cannot defer, like the immediate one of the
    tests), logs the failure at ERROR and calls ``report()``. Raises nothing: the failure is handled."""
    message = f"{type(error).__name__}: {error}"[:500]
    backend = task_backends[task.backend]
    if attempt < MAX_ATTEMPTS and backend.supports_defer:
        logger.warning("Task %s failed (attempt %d), will retry: %s", task.name, attempt, message)
        task.using(run_after=timezone.now() + RETRY_PAUSES[attempt - 1]).enqueue(*args, attempt=attempt + 1)
        return
    logger.error("Task %s failed %d times; giving up: %s", task.name, attempt, message)
    report(message)


def send_mail_or_retry(task, *, args: tuple, attempt: int, report, **mail) -> None:
    """``send_templated_mail(**mail)`` from inside ``task``; a failure is retried, then reported
    (``retry_or_report``), never lost silently."""
    try:
        send_templated_mail(**mail)
    except Exception as error:  # noqa: BLE001 -- retried, then reported
        retry_or_report(task, args=args, attempt=attempt, error=error, report=report)
