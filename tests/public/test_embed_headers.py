"""What the widget changes in HTTP headers, and only there: CORS on its data alone, framing allowed on its two
frames alone, HTTP caching like the other public data. Our own pages keep the strict defaults."""

import json

import pytest
from django.urls import reverse

from tests.factories import ActionFactory, CampaignFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

CORS = "Access-Control-Allow-Origin"
OTHER_SITE = "http://member-site.example.net"


def url(campaign, name, query=""):
    return reverse(f"public:{name}", kwargs={"slug": campaign.slug}) + (f"?{query}" if query else "")


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_widget_data_answers_any_origin_without_credentials(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)

    response = client.get(url(campaign, "embed_data"), headers={"origin": OTHER_SITE})

    assert response.status_code == 200
    assert response[CORS] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["actions"]
    # The answer is the same for every origin and every visitor: the language is in its URL (a request
    # without one is sent there, and that redirect is readable from other sites too).
    assert response.language_redirect.endswith("lang=en")
    assert "Vary" not in response


def test_widget_data_answers_a_preflight(client):
    campaign = CampaignFactory()

    response = client.options(
        url(campaign, "embed_data"),
        headers={
            "origin": OTHER_SITE,
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )

    assert response.status_code == 204
    assert response[CORS] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "if-none-match" in response["Access-Control-Allow-Headers"].lower()
    assert int(response["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Allow-Credentials" not in response


def test_widget_data_refuses_writes(client):
    campaign = CampaignFactory()
    assert client.post(url(campaign, "embed_data")).status_code == 405


def test_widget_data_is_cacheable_and_answers_304(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)

    first = client.get(url(campaign, "embed_data"))
    again = client.get(url(campaign, "embed_data"), headers={"if-none-match": first["ETag"]})

    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    assert "stale-while-revalidate" in first["Cache-Control"]
    assert first["ETag"].startswith('W/"')
    assert again.status_code == 304 and again.content == b""
    assert again[CORS] == "*"  # a revalidation from another origin must be readable too


def test_widget_data_changes_when_an_action_is_approved(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    first = client.get(url(campaign, "embed_data"))

    ActionFactory(campaign=campaign, title="A new vigil")
    again = client.get(url(campaign, "embed_data"), headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    assert "A new vigil" in again.content.decode()


def test_nothing_else_sends_cors_headers(client):
    campaign = CampaignFactory()
    action = ActionFactory(campaign=campaign)
    staff = UserFactory()
    grant(staff, campaign, "coordinator")
    pages = [
        campaign.get_absolute_url(),
        reverse("public:rsvp", kwargs={"slug": campaign.slug, "pk": action.pk}),
        reverse("public:action", kwargs={"slug": campaign.slug, "pk": action.pk}),
        url(campaign, "map"),
        url(campaign, "map_data"),
        url(campaign, "embed"),
        url(campaign, "embed_frame"),
        url(campaign, "embed_map"),
        "/dashboard/login/",
    ]
    for page in pages:
        response = client.get(page, headers={"origin": OTHER_SITE})
        assert response.status_code == 200, page
        assert CORS not in response, page
    client.force_login(staff)
    dashboard = client.get("/dashboard/", headers={"origin": OTHER_SITE})
    assert dashboard.status_code == 200
    assert CORS not in dashboard


@pytest.mark.parametrize("name", ["embed_frame", "embed_map"])
def test_widget_frames_may_be_framed_by_any_site(client, name):
    campaign = CampaignFactory()

    response = client.get(url(campaign, name, "show=call,actions,map"))

    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = directives(response)
    assert policy["frame-ancestors"] == "frame-ancestors *"
    # The rest of our policy stays strict.
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["default-src"] == "default-src 'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]


def test_other_pages_still_refuse_to_be_framed(client):
    campaign = CampaignFactory()
    for page in [
        campaign.get_absolute_url(),
        url(campaign, "embed"),
        url(campaign, "map"),
        "/dashboard/login/",
    ]:
        response = client.get(page)
        assert response["X-Frame-Options"] == "DENY", page
        assert directives(response)["frame-ancestors"] == "frame-ancestors 'none'", page


def test_widget_responses_set_no_cookies(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    for name in ("embed_data", "embed_frame", "embed_map"):
        response = client.get(url(campaign, name, "language=en&country=DE&show=call,actions,map"))
        assert response.status_code == 200, name
        assert not response.cookies, name
        assert "Set-Cookie" not in response, name
