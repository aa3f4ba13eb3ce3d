"""Erasing personal data when its purpose has ended. Counts stay: rows keep their status and party size."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import RSVP, ScheduledEmail


@transaction.atomic
def rsvp_purge(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Erases names and emails of RSVPs to actions that ended more than RETENTION_DAYS ago, and deletes
    RSVPs never confirmed within RSVP_CONFIRM_HOURS (they never counted). Returns how many of each."""
    now = now or timezone.now()
    ended_before = now - dt.timedelta(days=settings.RETENTION_DAYS)
    to_erase = RSVP.objects.filter(action__ends_at__lt=ended_before, erased_at=None)
    expired = RSVP.objects.filter(
        status=RSVP.Status.UNCONFIRMED, requested_at__lt=now - dt.timedelta(hours=settings.RSVP_CONFIRM_HOURS)
    )
    if dry_run:
        return {"erased": to_erase.count(), "expired": expired.count()}
    ScheduledEmail.objects.filter(rsvp__in=to_erase, status=ScheduledEmail.Status.SCHEDULED).update(
        status=ScheduledEmail.Status.SKIPPED
    )
    erased = to_erase.update(
        name="",
        email="",
        email_key="",
        calendar_token_hash="",
        pending_update={},
        submission_id="",
        erased_at=now,
    )
    deleted = expired.count()
    expired.delete()
    return {"erased": erased, "expired": deleted}
