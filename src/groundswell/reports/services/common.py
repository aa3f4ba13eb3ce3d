import datetime as dt

from django.db import transaction
from django.utils import timezone

from groundswell.core.page_cache import public_changed
from groundswell.core.services import audit_record

from ..cache import report_changed
from ..models import Review


def record(**kwargs):
    """``audit_record`` for the reports' services, which also renews the campaign's public report once the
    change is committed (see reports/cache.py)."""
    entry = audit_record(**kwargs)
    campaign = kwargs.get("campaign")
    if campaign is not None:
        campaign_id = campaign.pk
        # Now and again at commit: a report built in between from uncommitted reads is left behind.
        report_changed(campaign_id)
        transaction.on_commit(lambda: report_changed(campaign_id))
        public_changed(campaign_slug=campaign.slug)
    return entry


def set_review(item, *, status: str, note: str = "", now: dt.datetime | None = None, also=()) -> None:
    """Writes a moderator's decision on a report-back, photo or incident: its status, when it was approved
    (empty unless it is) and the note the organizer sees; ``also`` names more fields to save."""
    item.status = status
    item.approved_at = (now or timezone.now()) if status == Review.APPROVED else None
    item.moderation_note = note
    item.save(update_fields=["status", "approved_at", "moderation_note", *also])
