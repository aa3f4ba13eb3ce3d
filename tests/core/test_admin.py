"""The admin shows actions and roles but cannot change them: those writes go through the services."""

import pytest

from groundswell.actions.models import Action
from groundswell.core.models import AuditEntry
from tests.factories import ActionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


def test_admin_shows_an_action_but_cannot_change_it(admin_client):
    action = ActionFactory(location_precision="exact")
    url = f"/admin/actions/action/{action.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="location_precision"' not in page.content.decode()
    admin_client.post(url, {"location_precision": "city", "title": "Changed in the admin"})
    action.refresh_from_db()
    assert action.title != "Changed in the admin" and action.location_precision == "exact"
    assert admin_client.get("/admin/actions/action/add/").status_code == 403
    assert admin_client.post(f"/admin/actions/action/{action.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()
    assert not AuditEntry.objects.exists()


def test_admin_cannot_grant_roles(admin_client):
    assert admin_client.get("/admin/accounts/campaignrole/add/").status_code == 403
    assert admin_client.get("/admin/accounts/campaignrole/").status_code == 200


def test_campaign_changes_in_the_admin_are_audited(admin_client):
    from tests.factories import CampaignFactory

    campaign = CampaignFactory()
    data = {
        "slug": campaign.slug,
        "name": "Renamed",
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "status": campaign.status,
        "original_language": "en",
        "days_of_action-TOTAL_FORMS": 0,
        "days_of_action-INITIAL_FORMS": 0,
        "translations-TOTAL_FORMS": 0,
        "translations-INITIAL_FORMS": 0,
    }
    response = admin_client.post(f"/admin/campaigns/campaign/{campaign.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(verb="campaigns.campaign.updated")
    assert entry.data == {"fields": ["name"], "via": "admin"}
