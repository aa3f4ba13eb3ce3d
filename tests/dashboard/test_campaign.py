import datetime as dt

import pytest
from django.urls import reverse

from groundswell.accounts.models import CampaignRole
from groundswell.campaigns.models import Campaign
from groundswell.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/dashboard/c/clean-water/settings/"
ROLES_URL = "/dashboard/c/clean-water/roles/"


def settings_data(campaign, **changes):
    return {
        "start_date": campaign.start_date.isoformat(),
        "end_date": campaign.end_date.isoformat(),
        "status": campaign.status,
        "days": "",
        **changes,
    }


def campaign_state(campaign):
    campaign = Campaign.objects.get(pk=campaign.pk)
    days = list(campaign.days_of_action.order_by("date").values_list("date", flat=True))
    return campaign.start_date, campaign.end_date, campaign.status, campaign.high_risk, days


def test_settings_page_shows_current_values(world, as_user):
    day = world.campaign.days_of_action.get().date
    content = as_user(world.users["coordinator"]).get(SETTINGS_URL).content.decode()
    assert f'value="{world.campaign.start_date.isoformat()}"' in content
    assert f">\n{day.isoformat()}</textarea>" in content


def test_coordinator_changes_window_status_days_and_risk(world, as_user):
    start = world.campaign.start_date
    days = [start + dt.timedelta(days=2), start + dt.timedelta(days=9)]
    response = as_user(world.users["coordinator"]).post(
        SETTINGS_URL,
        settings_data(
            world.campaign,
            end_date=(start + dt.timedelta(days=20)).isoformat(),
            status="archived",
            days=f"{days[1].isoformat()}\n\n  {days[0].isoformat()}  \n",
            high_risk="on",
        ),
        follow=True,
    )

    assert "Saved the campaign&#x27;s settings." in response.content.decode()
    assert campaign_state(world.campaign) == (start, start + dt.timedelta(days=20), "archived", True, days)
    assert AuditEntry.objects.filter(
        verb="campaigns.campaign.updated", actor=world.users["coordinator"]
    ).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"days": "2026-13-45\nnext friday"}, "Not a date (YYYY-MM-DD): 2026-13-45, next friday"),
        ({"days": "2001-01-01"}, "Every day of action must fall inside the campaign window."),
        ({"end_date": "2001-01-01"}, "The campaign cannot end before it starts."),
        ({"status": "deleted"}, "Select a valid choice."),
    ],
)
def test_invalid_settings_show_an_error_and_change_nothing(world, as_user, changes, message):
    before = campaign_state(world.campaign)
    response = as_user(world.users["coordinator"]).post(
        SETTINGS_URL, settings_data(world.campaign, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert campaign_state(world.campaign) == before


def test_coordinator_grants_a_translator_limited_to_languages(world, as_user):
    response = as_user(world.users["coordinator"]).post(
        ROLES_URL, {"username": "newcomer", "role": "translator", "languages": "fr, es-ES ,es"}, follow=True
    )
    assert "newcomer is now translator." in response.content.decode()
    grant = CampaignRole.objects.get(user=world.newcomer, campaign=world.campaign)
    assert (grant.role, grant.languages) == ("translator", ["es", "fr"])
    assert "es, fr" in response.content.decode()

    # The new role opens the pages at once.
    assert as_user(world.newcomer).get("/dashboard/c/clean-water/call/fr/").status_code == 200
    assert as_user(world.newcomer).get("/dashboard/c/clean-water/call/de/").status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"username": "nobody-by-that-name", "role": "moderator"},
            "There is no active account with this user name.",
        ),
        (
            {"username": "newcomer", "role": "moderator", "languages": "fr"},
            "Only a translator&#x27;s role can be",
        ),
        (
            {"username": "newcomer", "role": "translator", "languages": "klingon"},
            "Unknown language codes: klingon",
        ),
        ({"username": "newcomer", "role": "owner"}, "Select a valid choice."),
    ],
)
def test_invalid_role_grant_shows_an_error_and_changes_nothing(world, as_user, data, message):
    roles_before = CampaignRole.objects.count()
    response = as_user(world.users["coordinator"]).post(ROLES_URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CampaignRole.objects.count() == roles_before


def test_roles_page_lists_roles_and_revokes_one(world, as_user):
    client = as_user(world.users["coordinator"])
    content = client.get(ROLES_URL).content.decode()
    for username in ("coord", "mod", "trans", "trans-fr", "spare"):
        assert f'<th scope="row">{username}</th>' in content
    assert "elsewhere" not in content

    moderator_grant = CampaignRole.objects.get(user=world.users["moderator"], campaign=world.campaign)
    response = client.post(
        reverse("dashboard:role_revoke", kwargs={"slug": "clean-water", "pk": moderator_grant.pk})
    )

    assert response.status_code == 302
    assert not CampaignRole.objects.filter(pk=moderator_grant.pk).exists()
    assert as_user(world.users["moderator"]).get("/dashboard/c/clean-water/queue/").status_code == 404


@pytest.mark.parametrize("language", ["fr", "de", "ar"])
def test_settings_dates_stay_iso_in_every_language(world, as_user, language):
    client = as_user(world.users["coordinator"])
    content = client.get(f"{SETTINGS_URL}?lang={language}").content.decode()
    assert f'value="{world.campaign.start_date.isoformat()}"' in content
    assert f'value="{world.campaign.end_date.isoformat()}"' in content
