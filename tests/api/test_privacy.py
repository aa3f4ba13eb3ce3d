"""No personal data in any API answer: create it, fetch every endpoint, and look for it."""

import pytest

from groundswell.actions.models import Action
from groundswell.api.api import api
from tests.factories import ActionFactory, EndorsementFactory, OrganizationFactory, RSVPFactory

pytestmark = pytest.mark.django_db

SECRETS = {
    "action contact email": "hidden-organizer@private.example.net",
    "venue of an action shown about 1 km": "Back room of the Blue Door",
    "exact latitude": "52.512345",
    "exact longitude": "13.398765",
    "RSVP name": "Quentin Quietly",
    "RSVP email": "quentin@private.example.org",
    "organization contact email": "board@river-secret.example.org",
}


@pytest.fixture
def private_data(campaign, organization, token):
    host = OrganizationFactory(
        name="Blue Door Collective", contact_email=SECRETS["organization contact email"]
    )
    EndorsementFactory(campaign=campaign, organization=host)
    action = ActionFactory(
        campaign=campaign,
        host_organization=host,
        location_precision=Action.Precision.ABOUT_1KM,
        venue=SECRETS["venue of an action shown about 1 km"],
        latitude=float(SECRETS["exact latitude"]),
        longitude=float(SECRETS["exact longitude"]),
        contact_email=SECRETS["action contact email"],
    )
    RSVPFactory(action=action, name=SECRETS["RSVP name"], email=SECRETS["RSVP email"])
    # The token's own (pending) action carries the same kind of secrets.
    own = ActionFactory(
        campaign=campaign,
        host_organization=organization,
        status=Action.Status.PENDING,
        approved_at=None,
        location_precision=Action.Precision.CITY,
        venue="Flat 3, second floor",
        contact_email="own-contact@private.example.net",
    )
    return {"action": action, "own": own}


def test_no_endpoint_answers_personal_data(client, campaign, private_data, token, auth):
    action, own = private_data["action"], private_data["own"]
    paths = [
        "/api/v1/campaigns",
        "/api/v1/campaigns/clean-water",
        "/api/v1/campaigns/clean-water/translations",
        "/api/v1/campaigns/clean-water/translations/en",
        "/api/v1/campaigns/clean-water/days",
        "/api/v1/campaigns/clean-water/actions",
        "/api/v1/campaigns/clean-water/actions?limit=1",
        f"/api/v1/campaigns/clean-water/actions/{action.pk}",
        "/api/v1/campaigns/clean-water/actions?updated_since=2000-01-01T00:00:00Z",
        "/api/v1/campaigns/clean-water/endorsements",
        "/api/v1/campaigns/clean-water/statistics",
        "/api/v1/campaigns/clean-water/report",
        "/api/v1/me/actions",
        "/api/v1/openapi.json",
    ]
    # Every GET operation of the document is covered (a new one must be added here).
    documented = {
        path.removeprefix("/api/v1")
        for path, item in api.get_openapi_schema(path_prefix="/api/v1")["paths"].items()
        if "get" in item
    }
    covered = {
        p.split("?")[0]
        .removeprefix("/api/v1")
        .replace(str(action.pk), "{action_id}")
        .replace("clean-water", "{slug}")
        .replace("translations/en", "translations/{language}")
        for p in paths
    }
    assert documented <= covered | {"/openapi.json"}, documented - covered
    secrets = {
        **SECRETS,
        "own venue": "Flat 3, second floor",
        "own contact": "own-contact@private.example.net",
    }
    secrets["edit token hash"] = action.edit_token_hash
    secrets["api token"] = token

    for path in paths:
        response = client.get(path, **auth)
        assert response.status_code == 200, (path, response.content)
        text = response.content.decode()
        for what, value in secrets.items():
            assert value not in text, f"{what} leaked in {path}"

    public = client.get(f"/api/v1/campaigns/clean-water/actions/{action.pk}").json()
    assert public["venue"] is None
    assert (public["location"]["latitude"], public["location"]["longitude"]) == (
        round(action.public_latitude, 4),
        round(action.public_longitude, 4),
    )
    assert [a["venue"] for a in client.get("/api/v1/me/actions", **auth).json()["items"]] == [None]
    assert own.pk in {a["id"] for a in client.get("/api/v1/me/actions", **auth).json()["items"]}


def test_a_submission_answer_holds_no_contact_email(client, campaign, auth):
    day = campaign.start_date.isoformat()
    response = client.post(
        "/api/v1/campaigns/clean-water/actions",
        {
            "type": "rally",
            "title": "Rally",
            "starts_at": f"{day}T12:00",
            "ends_at": f"{day}T13:00",
            "city": "Berlin",
            "country": "DE",
            "venue": "Courtyard behind the bakery",
            "location_precision": "city",
            "contact_email": "someone@private.example.net",
        },
        content_type="application/json",
        **auth,
    )

    assert response.status_code == 201, response.json()
    text = response.content.decode()
    assert "someone@private.example.net" not in text
    assert "office@river-friends" not in text
    assert "Courtyard behind the bakery" not in text
