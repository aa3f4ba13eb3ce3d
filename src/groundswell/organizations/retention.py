"""Deleting endorsements whose purpose ended before they began: never verified in time."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Endorsement, Organization


@transaction.atomic
def endorsement_purge_unverified(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Deletes endorsements not verified within ENDORSEMENT_CONFIRM_DAYS of the last request to verify,
    with the organization row made for them (it holds the private email) when nothing else uses it.
    Returns how many endorsements."""
    now = now or timezone.now()
    before = now - dt.timedelta(days=settings.ENDORSEMENT_CONFIRM_DAYS)
    stale = Endorsement.objects.filter(status=Endorsement.Status.UNVERIFIED).filter(
        Q(requested_at__lt=before) | Q(requested_at__isnull=True, created_at__lt=before)
    )
    if dry_run:
        return stale.count()
    organization_ids = list(stale.values_list("organization_id", flat=True))
    stale.delete()
    Organization.objects.filter(
        pk__in=organization_ids, endorsements__isnull=True, actions__isnull=True, api_tokens__isnull=True
    ).delete()
    return len(organization_ids)
