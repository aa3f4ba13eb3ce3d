"""Background work (Django's Tasks API). Tasks take primary keys; the outbox rows say what to send."""

from django_tasks import task


@task()
def send_scheduled_email(email_id: int) -> str:
    """Sends one outbox email now if it is due and still wanted (asked for when it was planned)."""
    from .outbox import scheduled_email_send

    return scheduled_email_send(email_id=email_id)


@task()
def dispatch_scheduled_emails() -> dict:
    """Sends every due email: reminders, digests, retries, and anything a lost enqueue left behind.
    The scheduler (``groundswell scheduler``, started by ``groundswell serve``) enqueues it every minute."""
    from .outbox import scheduled_email_dispatch

    return scheduled_email_dispatch()


@task()
def purge_personal_data() -> dict:
    """Erases RSVP personal data past its retention (the scheduler enqueues it every hour), deletes photo
    files no photo names any more (their action or campaign was deleted), and deletes finished task results
    older than a day: their arguments can hold an organizer's secret link."""
    from django.core.management import call_command
    from django_tasks import task_backends

    from groundswell.organizations.retention import endorsement_purge_unverified
    from groundswell.reports.retention import photo_files_orphaned_delete

    from .retention import rsvp_purge

    result = rsvp_purge()
    result["unverified_endorsements"] = endorsement_purge_unverified()
    result["orphaned_photo_files"] = photo_files_orphaned_delete()
    if type(task_backends["default"]).__module__.startswith("django_tasks_db"):
        call_command("prune_db_task_results", min_age_days=1, verbosity=0)
    return result
