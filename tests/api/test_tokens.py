"""An organization's token submits actions into moderation and reads its own actions."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from groundswell.actions.models import Action
from groundswell.api.models import ApiToken
from groundswell.api.services import api_token_create, api_token_revoke
from groundswell.core.models import AuditEntry
from tests.factories import ActionFactory, CampaignFactory, OrganizationFactory, UserFactory, grant

pytestmark = pytest.mark.django_db
URL = "/api/v1/campaigns/clean-water/actions"


def payload(campaign, **overrides):
    day = campaign.start_date + dt.timedelta(days=5)
    return {
        "type": "vigil",
        "title": "Vigil by the river",
        "starts_at": f"{day}T18:00",
        "ends_at": f"{day}T19:30",
        "city": "Berlin",
        "country": "DE",
        "venue": "Old bridge",
        "location_precision": "km",
        **overrides,
    }


def post(client, campaign, auth, **overrides):
    return client.post(URL, payload(campaign, **overrides), content_type="application/json", **auth)


def test_submission_creates_a_pending_action_hosted_by_the_organization(client, campaign, organization, auth):
    response = post(client, campaign, auth)

    assert response.status_code == 201, response.json()
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == Action.Status.PENDING
    assert action.host_organization == organization
    assert action.contact_email == "office@river-friends.example.org"
    assert action.timezone == "Europe/Berlin"
    assert action.starts_at == dt.datetime.combine(
        campaign.start_date + dt.timedelta(days=5), dt.time(18), tzinfo=ZoneInfo("Europe/Berlin")
    )
    assert response.json()["venue"] is None  # shown "about 1 km": the venue stays private
    assert AuditEntry.objects.filter(verb="api.action.submitted", target_id=str(action.pk)).exists()


def test_submitted_action_is_in_me_actions_but_not_in_public_lists(client, campaign, auth):
    action_id = post(client, campaign, auth).json()["id"]
    ActionFactory(campaign=campaign, host_name="Someone else")

    own = client.get("/api/v1/me/actions", **auth).json()["items"]
    public = client.get(URL).json()["items"]

    assert [(a["id"], a["status"], a["is_public"]) for a in own] == [(action_id, "pending", False)]
    assert action_id not in {a["id"] for a in public}
    assert client.get(f"{URL}/{action_id}").status_code == 404
    assert client.get("/api/v1/campaigns/clean-water/statistics").json()["actions"] == 1


def test_submission_with_a_point_and_a_time_zone(client, campaign, auth):
    response = post(
        client, campaign, auth, city="Smallville", latitude=52.4, longitude=13.1, timezone="Europe/Berlin"
    )

    assert response.status_code == 201, response.json()
    assert Action.objects.get(pk=response.json()["id"]).latitude == 52.4


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"country": "ZZ"}, "country"),
        ({"city": "Nowhereville"}, "city"),
        ({"latitude": 52.4}, "latitude"),
        ({"ends_at": "2026-01-01T10:00"}, "ends_at"),
        ({"starts_at": "9999-12-31T23:59"}, "starts_at"),
        ({"type": "party"}, "type"),
        ({"title": "   "}, "title"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"contact_email": "not an email"}, "contact_email"),
        ({"city": "Springfield", "country": "US"}, "city"),
    ],
)
def test_bad_submissions_are_422_with_a_message_and_change_nothing(client, campaign, auth, overrides, field):
    response = post(client, campaign, auth, **overrides)

    assert response.status_code == 422
    assert response.json()["detail"]
    assert field in {error["field"] for error in response.json()["errors"]}, response.json()
    assert not Action.objects.exists()


def test_an_action_outside_the_window_is_422_from_the_services(client, campaign, auth):
    early = campaign.start_date - dt.timedelta(days=3)
    response = post(client, campaign, auth, starts_at=f"{early}T10:00", ends_at=f"{early}T11:00")

    assert response.status_code == 422
    assert "window" in response.json()["detail"]


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", "Basic abc", "Bearer "])
def test_missing_or_wrong_token_is_401(client, campaign, header):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}

    submit = client.post(URL, payload(campaign), content_type="application/json", **headers)
    own = client.get("/api/v1/me/actions", **headers)

    assert submit.status_code == own.status_code == 401
    assert submit.json()["detail"]
    assert not Action.objects.exists()


def test_a_revoked_token_is_401(client, campaign, token, auth):
    api_token_revoke(actor=None, api_token=ApiToken.objects.get())

    assert post(client, campaign, auth).status_code == 401


def test_a_token_of_another_campaign_is_403(client, campaign, organization):
    _t, other = api_token_create(
        actor=None, campaign=CampaignFactory(slug="other"), organization=organization
    )

    response = post(client, campaign, {"HTTP_AUTHORIZATION": f"Bearer {other}"})

    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Action.objects.exists()


def test_me_actions_lists_only_the_organizations_actions_in_the_tokens_campaign(
    client, campaign, organization, auth
):
    mine = ActionFactory(campaign=campaign, host_organization=organization, status=Action.Status.REJECTED)
    ActionFactory(campaign=CampaignFactory(), host_organization=organization)
    ActionFactory(campaign=campaign, host_organization=OrganizationFactory())

    own = client.get("/api/v1/me/actions", **auth).json()["items"]

    assert [(a["id"], a["status"]) for a in own] == [(mine.pk, "rejected")]


def test_submissions_are_rate_limited_per_token(client, campaign, auth, settings):
    settings.API_SUBMISSIONS_PER_HOUR = 2
    assert post(client, campaign, auth).status_code == 201
    assert post(client, campaign, auth).status_code == 201

    response = post(client, campaign, auth)

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert Action.objects.count() == 2


def test_only_a_coordinator_creates_tokens(campaign, organization):
    from django.core.exceptions import PermissionDenied

    moderator = UserFactory()
    grant(moderator, campaign, "moderator")
    coordinator = UserFactory()
    grant(coordinator, campaign, "coordinator")

    with pytest.raises(PermissionDenied):
        api_token_create(actor=moderator, campaign=campaign, organization=organization)
    api_token, value = api_token_create(actor=coordinator, campaign=campaign, organization=organization)

    assert api_token.created_by == coordinator
    assert value not in api_token.token_hash and len(api_token.token_hash) == 64


def test_command_creates_lists_and_revokes_tokens(client, campaign, organization, capsys):
    call_command("api_token", "create", "--campaign", "clean-water", "--organization", "River Friends")
    value = capsys.readouterr().out.strip().splitlines()[-1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {value}"}
    assert client.get("/api/v1/me/actions", **auth).status_code == 200

    call_command("api_token", "list", "--campaign", "clean-water")
    listing = capsys.readouterr().out
    assert "River Friends" in listing and "active" in listing and value not in listing

    call_command("api_token", "revoke", str(ApiToken.objects.get().pk))
    assert client.get("/api/v1/me/actions", **auth).status_code == 401


def test_command_refuses_an_unknown_organization(campaign):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No organization"):
        call_command("api_token", "create", "--campaign", "clean-water", "--organization", "Nobody")


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": "Vigil \ud800"},
        {"description": "Bring \ud800 candles"},
        {"venue": "Bridge\x00"},
        {"description": "Bring\x00 candles"},
        {"online_url": "https://example.org/a\x00b"},
        {"city": "Ber\x00lin"},
        {"contact_email": "a\x00@example.org"},
    ],
)
def test_odd_characters_in_a_submission_never_reach_the_database_as_they_are(
    client, campaign, auth, overrides
):
    body = json.dumps(payload(campaign, **overrides))

    response = client.post(URL, body, content_type="application/json", **auth)

    assert response.status_code in {201, 422}, response.content
    for action in Action.objects.all():
        assert (
            "\x00" not in action.title + action.description + action.venue + action.city + action.online_url
        )
