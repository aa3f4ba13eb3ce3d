import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from groundswell.campaigns.models import CallTranslation, Campaign
from groundswell.campaigns.selectors import call_for, campaign_moment
from groundswell.campaigns.services import call_translation_save, campaign_create, campaign_update
from tests.factories import CampaignFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def test_campaign_create_makes_original_call_and_days():
    admin = UserFactory(is_superuser=True)
    campaign = campaign_create(
        actor=admin,
        slug="rivers",
        name="Rivers",
        start_date=dt.date(2027, 5, 1),
        end_date=dt.date(2027, 5, 15),
        original_language="fr",
        title="Des rivières vivantes",
        body="Texte",
        demands=[" Un ", "", "Deux"],
        days_of_action=[dt.date(2027, 5, 8), dt.date(2027, 5, 9)],
    )
    call = campaign.translations.get()
    assert call.is_original and call.language == "fr" and call.demands == ["Un", "Deux"]
    assert [d.date for d in campaign.days_of_action.all()] == [dt.date(2027, 5, 8), dt.date(2027, 5, 9)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_date": dt.date(2027, 4, 1)}, "end_date"),
        ({"days_of_action": [dt.date(2027, 6, 1)]}, "days"),
        ({"original_language": "klingon"}, "original_language"),
        ({"slug": "not a slug!"}, "slug"),
    ],
)
def test_campaign_create_refuses_bad_input(changes, field):
    values = {
        "actor": None,
        "system": True,
        "slug": "rivers",
        "name": "Rivers",
        "start_date": dt.date(2027, 5, 1),
        "end_date": dt.date(2027, 5, 15),
        "original_language": "en",
        "title": "T",
        "body": "B",
        "demands": [],
        "days_of_action": [dt.date(2027, 5, 8)],
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        campaign_create(**values)
    assert field in error.value.message_dict
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("make_actor", [UserFactory, lambda: None], ids=["staff", "no actor without system"])
def test_only_superusers_create_campaigns(make_actor):
    with pytest.raises(PermissionDenied):
        campaign_create(
            actor=make_actor(),
            slug="x",
            name="X",
            start_date=dt.date(2027, 1, 1),
            end_date=dt.date(2027, 1, 2),
            original_language="en",
            title="T",
            body="B",
            demands=[],
            days_of_action=[],
        )
    assert not Campaign.objects.exists()


def test_translation_becomes_outdated_when_original_changes():
    campaign = CampaignFactory()
    coordinator = UserFactory()
    grant(coordinator, campaign, "coordinator")
    french = call_translation_save(
        actor=coordinator, campaign=campaign, language="fr", title="Titre", body="Texte", demands=["Un"]
    )
    assert not call_for(campaign=campaign, preferred_languages=["fr"]).is_outdated
    call_translation_save(
        actor=coordinator,
        campaign=campaign,
        language="en",
        title="New title",
        body="New text",
        demands=["One"],
    )
    campaign = Campaign.objects.get(pk=campaign.pk)
    choice = call_for(campaign=campaign, preferred_languages=["fr"])
    assert choice.translation == french and choice.is_outdated
    call_translation_save(
        actor=coordinator, campaign=campaign, language="fr", title="Nouveau", body="Texte", demands=["Un"]
    )
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert not call_for(campaign=campaign, preferred_languages=["fr"]).is_outdated


def test_translator_limited_to_languages():
    campaign = CampaignFactory()
    translator = UserFactory()
    grant(translator, campaign, "translator", languages=["ar"])
    call_translation_save(
        actor=translator, campaign=campaign, language="ar", title="عنوان", body="نص", demands=[]
    )
    with pytest.raises(PermissionDenied):
        call_translation_save(
            actor=translator, campaign=campaign, language="es", title="T", body="B", demands=[]
        )
    assert set(CallTranslation.objects.values_list("language", flat=True)) == {"en", "ar"}


def test_campaign_update_is_for_coordinators_and_validates():
    campaign = CampaignFactory()
    moderator = UserFactory()
    grant(moderator, campaign, "moderator")
    args = {
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "status": "archived",
        "days_of_action": [campaign.start_date],
        "high_risk": True,
    }
    with pytest.raises(PermissionDenied):
        campaign_update(actor=moderator, campaign=campaign, **args)
    coordinator = UserFactory()
    grant(coordinator, campaign, "coordinator")
    with pytest.raises(ValidationError):
        campaign_update(
            actor=coordinator, campaign=campaign, **{**args, "days_of_action": [dt.date(2001, 1, 1)]}
        )
    campaign_update(actor=coordinator, campaign=campaign, **args)
    campaign.refresh_from_db()
    assert campaign.status == "archived" and campaign.high_risk
    assert [d.date for d in campaign.days_of_action.all()] == [campaign.start_date]


@pytest.mark.parametrize(
    ("today", "phase", "next_day", "is_day"),
    [
        (dt.date(2027, 4, 28), "before", dt.date(2027, 5, 8), False),
        (dt.date(2027, 5, 8), "during", dt.date(2027, 5, 8), True),
        (dt.date(2027, 5, 10), "during", dt.date(2027, 5, 12), False),
        (dt.date(2027, 5, 20), "after", None, False),
    ],
)
def test_campaign_moment(today, phase, next_day, is_day):
    campaign = CampaignFactory(
        start_date=dt.date(2027, 5, 1),
        end_date=dt.date(2027, 5, 15),
        days=[dt.date(2027, 5, 8), dt.date(2027, 5, 12)],
    )
    moment = campaign_moment(campaign=campaign, today=today)
    assert moment.phase == phase
    assert (moment.next_day_of_action.date if moment.next_day_of_action else None) == next_day
    assert moment.today_is_day_of_action is is_day
