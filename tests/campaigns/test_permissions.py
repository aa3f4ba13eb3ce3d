"""Editing a campaign and its call is refused by the services themselves, not only by the dashboard's
views: a refused call writes nothing and records nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from groundswell.campaigns.models import CallTranslation, Campaign, DayOfAction
from groundswell.campaigns.services import call_translation_save, campaign_update
from groundswell.core.models import AuditEntry
from tests.factories import CampaignFactory, actor

pytestmark = pytest.mark.django_db


actor_for = actor


def all_translations() -> list[tuple]:
    return list(
        CallTranslation.objects.order_by("pk").values_list(
            "pk", "campaign_id", "language", "title", "body", "demands", "is_original", "source_updated_at"
        )
    )


def campaign_state(campaign) -> tuple:
    row = Campaign.objects.values_list("start_date", "end_date", "status", "high_risk", "updated_at").get(
        pk=campaign.pk
    )
    days = list(DayOfAction.objects.filter(campaign=campaign).order_by("date").values_list("date", flat=True))
    return row, days


def changed_window(campaign) -> dict:
    start = campaign.start_date + dt.timedelta(days=1)
    return {
        "start_date": start,
        "end_date": campaign.end_date + dt.timedelta(days=1),
        "status": Campaign.Status.ARCHIVED,
        "days_of_action": [start],
        "high_risk": True,
    }


@pytest.mark.parametrize(
    "kind", ["moderator", "plain staff", "translator of Arabic only", "coordinator elsewhere"]
)
def test_call_translation_save_refuses_anyone_not_translating_that_language(kind):
    campaign = CampaignFactory()
    actor = actor_for(kind, campaign)
    before = all_translations()
    with pytest.raises(PermissionDenied):
        call_translation_save(
            actor=actor, campaign=campaign, language="fr", title="Titre", body="Texte", demands=["Un"]
        )
    with pytest.raises(PermissionDenied):
        call_translation_save(
            actor=actor, campaign=campaign, language="en", title="Replaced", body="Replaced", demands=[]
        )
    assert all_translations() == before
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("kind", ["translator of Arabic only", "coordinator", "superuser"])
def test_call_translation_save_by_an_allowed_translator_is_audited(kind):
    campaign = CampaignFactory()
    actor = actor_for(kind, campaign)
    arabic = call_translation_save(
        actor=actor, campaign=campaign, language="ar", title="عنوان", body="نص", demands=[]
    )
    assert CallTranslation.objects.get(campaign=campaign, language="ar") == arabic
    entry = AuditEntry.objects.get()
    assert (entry.verb, entry.actor, entry.target_id) == ("campaigns.call.created", actor, str(arabic.pk))


@pytest.mark.parametrize("kind", ["moderator", "translator", "plain staff", "coordinator elsewhere"])
def test_campaign_update_refuses_anyone_but_the_campaigns_coordinators(kind):
    campaign = CampaignFactory()
    actor = actor_for(kind, campaign)
    before = campaign_state(campaign)
    with pytest.raises(PermissionDenied):
        campaign_update(actor=actor, campaign=campaign, **changed_window(campaign))
    assert campaign_state(campaign) == before
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("kind", ["coordinator", "superuser"])
def test_campaign_update_by_a_coordinator_or_superuser_is_audited(kind):
    campaign = CampaignFactory()
    actor = actor_for(kind, campaign)
    change = changed_window(campaign)
    campaign_update(actor=actor, campaign=campaign, **change)
    (start, end, status, high_risk, _updated), days = campaign_state(campaign)
    assert (start, end, status, high_risk) == (change["start_date"], change["end_date"], "archived", True)
    assert days == change["days_of_action"]
    entry = AuditEntry.objects.get()
    assert (entry.verb, entry.actor, entry.campaign) == ("campaigns.campaign.updated", actor, campaign)
