from django.db import transaction

from groundswell.core.services import audit_record

from ..cache import report_changed


def record(**kwargs):
    """``audit_record`` for the reports' services, which also renews the campaign's public report once the
    change is committed (see reports/cache.py)."""
    entry = audit_record(**kwargs)
    campaign = kwargs.get("campaign")
    if campaign is not None:
        campaign_id = campaign.pk
        transaction.on_commit(lambda: report_changed(campaign_id))
    return entry
