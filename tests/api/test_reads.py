"""The public endpoints answer what the database holds, and only the public part of it."""

import datetime as dt

import pytest

from groundswell.actions.models import Action
from groundswell.organizations.models import Endorsement
from tests.factories import (
    ActionFactory,
    CallTranslationFactory,
    CampaignFactory,
    EndorsementFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db


def test_campaign_list_shows_published_campaigns_only(client, campaign):
    CampaignFactory(slug="draft-one", status="draft")

    body = client.get("/api/v1/campaigns").json()

    assert [c["slug"] for c in body] == ["clean-water"]
    assert body[0]["title"] == "Clean water for every neighbourhood"
    assert body[0]["days_of_action"] == [
        {"date": str(campaign.start_date + dt.timedelta(days=5)), "label": ""}
    ]


def test_campaign_detail_of_a_draft_is_404_with_a_message(client):
    CampaignFactory(slug="draft-one", status="draft")

    response = client.get("/api/v1/campaigns/draft-one")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_translations_list_every_language_and_mark_outdated_ones(client, campaign):
    CallTranslationFactory(
        campaign=campaign,
        language="fr",
        title="De l'eau propre",
        source_updated_at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC),
    )

    body = client.get("/api/v1/campaigns/clean-water/translations").json()

    assert [(t["language"], t["is_original"], t["is_outdated"]) for t in body] == [
        ("en", True, False),
        ("fr", False, True),
    ]
    one = client.get("/api/v1/campaigns/clean-water/translations/fr").json()
    assert one["title"] == "De l'eau propre"
    assert client.get("/api/v1/campaigns/clean-water/translations/xx").status_code == 404


def test_days_of_action_are_listed(client, campaign):
    body = client.get("/api/v1/campaigns/clean-water/days").json()

    assert body == [{"date": str(d.date), "label": d.label} for d in campaign.days_of_action.all()]


def test_action_list_shows_approved_and_cancelled_public_actions_only(client, campaign):
    approved = ActionFactory(campaign=campaign, title="Approved stand")
    cancelled = ActionFactory(campaign=campaign, status=Action.Status.CANCELLED)
    ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None)
    ActionFactory(campaign=campaign, status=Action.Status.REJECTED, approved_at=None)
    ActionFactory(campaign=CampaignFactory())

    body = client.get("/api/v1/campaigns/clean-water/actions").json()

    assert {a["id"] for a in body["items"]} == {approved.pk, cancelled.pk}
    item = next(a for a in body["items"] if a["id"] == approved.pk)
    assert item["title"] == "Approved stand"
    assert item["venue"] == "Market square"
    assert item["location"] == {"latitude": 52.52437, "longitude": 13.41053, "precision": "exact"}
    assert item["url"].endswith(f"/c/clean-water/actions/{approved.pk}/")
    assert body["next"] is None


def test_action_detail_is_404_for_a_pending_action(client, campaign):
    pending = ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None)
    public = ActionFactory(campaign=campaign)

    assert client.get(f"/api/v1/campaigns/clean-water/actions/{pending.pk}").status_code == 404
    assert client.get(f"/api/v1/campaigns/clean-water/actions/{public.pk}").json()["id"] == public.pk


def test_endorsements_show_approved_ones_with_public_fields(client, campaign):
    EndorsementFactory(
        campaign=campaign,
        organization=OrganizationFactory(name="Water Union", country="FR", website="https://wu.example.org/"),
    )
    EndorsementFactory(campaign=campaign, status=Endorsement.Status.PENDING)

    EndorsementFactory(
        campaign=campaign,
        signer_kind="individual",
        signer_name="Private Signer",
        list_publicly=False,
        organization=OrganizationFactory(name="", country="FR", website=""),
    )

    body = client.get("/api/v1/campaigns/clean-water/endorsements").json()

    assert body["items"] == [
        {
            "signer": "organization",
            "name": "Water Union",
            "kind": "",
            "country": "FR",
            "website": "https://wu.example.org/",
        },
        {"signer": "individual", "name": None, "kind": "", "country": "FR", "website": ""},
    ]
    assert "Private Signer" not in str(body)


def test_statistics_count_approved_actions_and_endorsements(client, campaign):
    ActionFactory(campaign=campaign, country="DE")
    ActionFactory(campaign=campaign, country="FR", city="Paris", action_type=Action.Type.VIGIL)
    ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None)
    EndorsementFactory(campaign=campaign)
    day = str(campaign.start_date + dt.timedelta(days=5))

    body = client.get("/api/v1/campaigns/clean-water/statistics").json()

    assert body == {
        "actions": 2,
        "countries": 2,
        "endorsements": 1,
        "by_country": {"DE": 1, "FR": 1},
        "by_type": {"info_stand": 1, "vigil": 1},
        "by_day": {day: 2},
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/campaigns",
        "/api/v1/campaigns/clean-water/actions",
        "/api/v1/campaigns/clean-water/endorsements",
        "/api/v1/campaigns/clean-water/statistics",
        "/api/v1/campaigns/clean-water/translations",
    ],
)
def test_public_lists_take_as_many_queries_for_3_items_as_for_1(
    client, campaign, path, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add():
        CampaignFactory()
        ActionFactory(campaign=campaign, host_organization=OrganizationFactory())
        EndorsementFactory(campaign=campaign)
        CallTranslationFactory(campaign=campaign, language=f"x{Action.objects.count()}")

    add()
    with CaptureQueriesContext(connection) as one:
        assert client.get(path).status_code == 200
    add()
    add()
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(path).status_code == 200
