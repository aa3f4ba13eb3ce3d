"""An action's public page, poster and QR code keep what is private and refuse what they should: no exact
point, venue or email unless the place is exact, hostile text escaped, hidden actions not found, GET and
HEAD only, few queries."""

import pytest
from django.urls import reverse

from groundswell.actions.models import Action
from tests.factories import ActionFactory, CallTranslationFactory, CampaignFactory, OrganizationFactory
from tests.public.action_page_support import BASE_URL, encodes, json_ld_of, parse, tokyo_action, urls

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "organizer.private@hidden.example.net"
SECRET_VENUE = "Back door of number 12, Hidden Lane"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.BASE_URL = BASE_URL


@pytest.mark.parametrize("precision", [Action.Precision.ABOUT_1KM, Action.Precision.CITY])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_nothing_reveals_the_exact_point_venue_or_email(client, precision, language):
    action = tokyo_action(
        location_precision=precision,
        venue=SECRET_VENUE,
        contact_email=SECRET_EMAIL,
        latitude=35.691234,
        longitude=139.703456,
        # Fixes the offset's direction: north-east, so both coordinates move.
        edit_token_hash="f" * 64,
    )
    public = (action.public_latitude, action.public_longitude)
    exact = (action.latitude, action.longitude)
    for decimals in (6, 5, 4):
        for public_value, exact_value in zip(public, exact, strict=True):
            assert f"{public_value:.{decimals}f}" != f"{exact_value:.{decimals}f}"
    forbidden = [SECRET_VENUE, "Back door", "hidden.example.net"]
    for value in exact:
        for decimals in (6, 5, 4):
            text = f"{value:.{decimals}f}"
            forbidden += [text, text.replace(".", ",")]

    page = client.get(urls(action)["action"] + f"?lang={language}").content.decode()
    poster = client.get(urls(action)["action_poster"] + f"?lang={language}").content.decode()
    qr = client.get(urls(action)["action_qr"]).content.decode()
    for name, body in (("page", page), ("poster", poster), ("qr", qr)):
        for text in forbidden:
            assert text not in body, (name, text)

    data = json_ld_of(page)
    assert data["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": action.public_latitude,
        "longitude": action.public_longitude,
    }
    assert data["location"]["name"] == ("Tokyo, Japon" if language == "fr" else "Tokyo, Japan")
    (map_attributes,) = parse(page).map_attributes
    # Dots whatever the language: the script parses them as numbers.
    assert float(map_attributes["data-lat"]) == action.public_latitude
    assert float(map_attributes["data-lon"]) == action.public_longitude
    assert map_attributes["data-precision"] == precision
    assert encodes(qr, f"{BASE_URL}{urls(action)['action']}")


def test_exact_place_shows_venue_and_point_but_never_the_email(client):
    action = tokyo_action(venue="Market square stage", contact_email=SECRET_EMAIL)
    page = client.get(urls(action)["action"]).content.decode()
    poster = client.get(urls(action)["action_poster"]).content.decode()
    assert "Market square stage" in page and "Market square stage" in poster
    (map_attributes,) = parse(page).map_attributes
    assert (map_attributes["data-lat"], map_attributes["data-lon"]) == ("35.690123", "139.700456")
    # Our basemap has no streets: the region around the point, unless the operator configured tiles.
    assert map_attributes["data-zoom"] == "6"
    for body in (page, poster, client.get(urls(action)["action_qr"]).content.decode()):
        assert "hidden.example.net" not in body


HOSTILE_TITLE = '</script><script>alert("title")</script><img src=x onerror=alert(1)> & "quotes"'
HOSTILE_DESCRIPTION = (
    '<script>alert("description")</script> </script><img src=x onerror=alert(2)> [click](javascript:alert(3))'
)


def test_hostile_title_and_description_are_escaped_everywhere(client):
    action = tokyo_action(title=HOSTILE_TITLE, description=HOSTILE_DESCRIPTION, host_name="<b>Host</b>")
    page = client.get(urls(action)["action"]).content.decode()
    poster = client.get(urls(action)["action_poster"]).content.decode()
    for body in (page, poster):
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert 'href="javascript:' not in body
        assert "<b>Host</b>" not in body
        assert "&lt;/script&gt;&lt;script&gt;alert(&quot;title&quot;)" in body
    # JSON-LD: nothing can close the element; the values come back intact.
    data = json_ld_of(page)
    assert data["name"] == HOSTILE_TITLE
    assert data["organizer"]["name"] == "<b>Host</b>"
    assert '<script>alert("description")</script>' in data["description"]
    assert page.count("</script>") == page.count("<script")
    parsed = parse(page)
    assert parsed.meta["og:title"] == HOSTILE_TITLE
    assert len(parsed.json_ld) == 1


def _not_public_actions():
    campaign = CampaignFactory()
    draft = CampaignFactory(status="draft")
    return [
        ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None),
        ActionFactory(campaign=campaign, status=Action.Status.REJECTED, approved_at=None),
        # Cancelled before anyone approved it: never public.
        ActionFactory(campaign=campaign, status=Action.Status.CANCELLED, approved_at=None),
        ActionFactory(campaign=draft),
    ]


@pytest.mark.parametrize("route", ["action", "action_poster", "action_qr"])
def test_actions_the_public_may_not_see_are_404(client, route):
    for action in _not_public_actions():
        assert client.get(urls(action)[route]).status_code == 404, action.status
    visible = ActionFactory()
    elsewhere = CampaignFactory()
    assert client.get(urls(visible)[route]).status_code == 200
    wrong_campaign = reverse(f"public:{route}", kwargs={"slug": elsewhere.slug, "pk": visible.pk})
    assert client.get(wrong_campaign).status_code == 404
    unknown = reverse(f"public:{route}", kwargs={"slug": visible.campaign.slug, "pk": visible.pk + 1000})
    assert client.get(unknown).status_code == 404


@pytest.mark.parametrize("route", ["action", "action_poster", "action_qr"])
def test_pages_answer_get_and_head_only(client, route):
    url = urls(ActionFactory())[route]
    assert client.head(url).status_code == 200  # link checkers and crawlers ask with HEAD
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("route", ["action", "action_poster", "action_qr"])
def test_query_count_is_small(client, django_assert_max_num_queries, route):
    action = tokyo_action(host_organization=OrganizationFactory())
    CallTranslationFactory(campaign=action.campaign, language="fr", title="De l'eau")
    with django_assert_max_num_queries(4):
        assert client.get(urls(action)[route] + "?lang=fr").status_code == 200
