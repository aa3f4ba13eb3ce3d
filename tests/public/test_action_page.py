"""An action's public page, its poster and QR code: structured data, times in zones, share links, the small
map. What they keep private and refuse is in test_action_page_safety.py."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from groundswell.actions.models import Action
from tests.factories import ActionFactory, CallTranslationFactory, OrganizationFactory
from tests.public.action_page_support import BASE_URL, encodes, json_ld_of, parse, tokyo_action, urls

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.BASE_URL = BASE_URL


def test_json_ld_describes_the_event_in_its_own_zone(client):
    organization = OrganizationFactory(
        name="Shinjuku Water Circle", website="https://water-circle.example.org/"
    )
    action = tokyo_action(
        host_organization=organization, description="Bring a **cup**; we test & taste.\n\nAll welcome."
    )
    data = json_ld_of(client.get(urls(action)["action"]).content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "Tap water tasting in Shinjuku"
    assert data["startDate"] == "2026-10-12T14:00:00+09:00"
    assert data["endDate"] == "2026-10-12T16:00:00+09:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Central Park east gate, Tokyo, Japan",
        "address": {"@type": "PostalAddress", "addressLocality": "Tokyo", "addressCountry": "JP"},
        "geo": {"@type": "GeoCoordinates", "latitude": 35.690123, "longitude": 139.700456},
    }
    assert data["description"] == "Bring a cup; we test & taste. All welcome."
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Shinjuku Water Circle",
        "url": "https://water-circle.example.org/",
    }
    assert data["url"] == f"{BASE_URL}{urls(action)['action']}"


def test_json_ld_and_poster_of_a_cancelled_action_say_cancelled(client):
    action = tokyo_action(status=Action.Status.CANCELLED)
    page = client.get(urls(action)["action"]).content.decode()
    assert json_ld_of(page)["eventStatus"] == "https://schema.org/EventCancelled"
    assert parse(page).meta["og:title"] == "Cancelled: Tap water tasting in Shinjuku"
    poster = client.get(urls(action)["action_poster"]).content.decode()
    assert '<p class="poster__cancelled">Cancelled</p>' in poster
    assert "poster--cancelled" in poster


def test_poster_of_a_scheduled_action_is_not_marked_cancelled(client):
    poster = client.get(urls(tokyo_action())["action_poster"]).content.decode()
    assert "poster__cancelled" not in poster and "poster--cancelled" not in poster


def test_json_ld_of_an_online_action_has_a_virtual_location(client):
    action = tokyo_action(action_type=Action.Type.ONLINE, online_url="https://meet.example.org/water")
    page = client.get(urls(action)["action"]).content.decode()
    data = json_ld_of(page)
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.org/water"}
    assert parse(page).map_attributes == []  # no map for an online action


def test_json_ld_of_an_action_with_a_place_and_a_stream_is_mixed(client):
    action = tokyo_action(online_url="https://stream.example.org/water")
    data = json_ld_of(client.get(urls(action)["action"]).content.decode())
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in data["location"]] == ["Place", "VirtualLocation"]


def test_page_shows_the_time_in_the_actions_zone_and_gives_the_instant_to_the_script(client):
    page = client.get(urls(tokyo_action())["action"]).content.decode()
    assert "Monday 12 October 2026, 14:00" in page
    assert "(Asia/Tokyo, JST)" in page
    assert 'data-starts="2026-10-12T14:00:00+09:00"' in page
    assert 'data-ends="2026-10-12T16:00:00+09:00"' in page
    assert 'data-timezone="Asia/Tokyo"' in page


def test_open_graph_canonical_and_share_links_come_from_base_url_not_the_host_header(client):
    action = tokyo_action()
    path = urls(action)["action"]
    response = client.get(path, HTTP_HOST="localhost")
    assert response.status_code == 200
    page = parse(response.content.decode())
    expected = f"{BASE_URL}{path}"
    assert page.meta["og:url"] == expected
    assert page.canonical == [expected]
    assert page.share_urls == [expected]
    assert json_ld_of(response.content.decode())["url"] == expected
    assert page.meta["og:type"] == "website"
    assert page.meta["og:title"] == "Tap water tasting in Shinjuku"
    assert page.meta["og:description"].startswith("12 October 2026, 14:00 (Asia/Tokyo)")
    assert page.meta["og:site_name"] == "Clean water for every neighbourhood"
    assert "localhost" not in response.content.decode()

    poster = client.get(urls(action)["action_poster"], HTTP_HOST="localhost").content.decode()
    assert parse(poster).canonical == [expected]
    assert "localhost" not in poster
    qr = client.get(urls(action)["action_qr"], HTTP_HOST="localhost").content.decode()
    assert encodes(qr, expected)
    assert not encodes(qr, f"http://localhost{path}")


def test_qr_code_is_valid_svg_encoding_the_page_address(client):
    action = tokyo_action()
    other = tokyo_action(campaign=action.campaign)
    response = client.get(urls(action)["action_qr"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert "public" in response["Cache-Control"] and max_age >= 30 * 24 * 3600
    svg = response.content.decode()
    assert "style" not in svg  # a strict CSP blocks style attributes when the SVG is inlined
    assert encodes(svg, f"{BASE_URL}{urls(action)['action']}")
    assert not encodes(svg, f"{BASE_URL}{urls(other)['action']}")

    # The poster inlines the very same code, with a text alternative.
    poster = client.get(urls(action)["action_poster"]).content.decode()
    assert svg in poster
    assert 'role="img" aria-label="QR code with the address of this action’s page"' in poster


def test_poster_carries_the_essentials(client):
    action = tokyo_action(description="Bring a **cup**. " + "More water facts. " * 40)
    CallTranslationFactory(campaign=action.campaign, language="fr", title="De l'eau propre partout")
    poster = client.get(urls(action)["action_poster"]).content.decode()
    assert "Tap water tasting in Shinjuku" in poster
    assert "Monday 12 October 2026" in poster and "14:00 – 16:00" in poster
    assert "(Asia/Tokyo, JST)" in poster
    assert "Central Park east gate" in poster and "Tokyo" in poster and "Japan" in poster
    assert "Clean water for every neighbourhood" in poster
    assert "Bring a cup. More water facts." in poster and "**" not in poster
    assert "More water facts. " * 30 not in poster  # shortened for the sheet
    assert f"{BASE_URL}{urls(action)['action']}" in poster
    # The campaign's title follows the visitor's language.
    poster_fr = client.get(urls(action)["action_poster"] + "?lang=fr").content.decode()
    assert "De l&#x27;eau propre partout" in poster_fr


def test_page_in_arabic_keeps_iso_times_and_dotted_coordinates(client):
    action = tokyo_action()
    page = client.get(urls(action)["action"] + "?lang=ar").content.decode()
    assert 'dir="rtl"' in page
    assert 'data-starts="2026-10-12T14:00:00+09:00"' in page
    assert json_ld_of(page)["startDate"] == "2026-10-12T14:00:00+09:00"
    (map_attributes,) = parse(page).map_attributes
    assert map_attributes["data-lat"] == "35.690123"


def test_local_times_follow_the_actions_zone_across_daylight_saving(client):
    # 01:30 in New York on the night clocks go back happens twice; the stored instant decides the offset.
    starts = dt.datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York"))
    action = ActionFactory(
        timezone="America/New_York", city="New York", country="US", starts_at=starts, ends_at=starts
    )
    data = json_ld_of(client.get(urls(action)["action"]).content.decode())
    assert data["startDate"] == "2026-11-01T01:30:00-05:00"


def test_small_map_zooms_in_close_only_with_an_operators_tiles(client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    action = tokyo_action()
    (map_attributes,) = parse(client.get(urls(action)["action"]).content.decode()).map_attributes
    assert map_attributes["data-zoom"] == "13"
    assert map_attributes["data-tile-url"] == "https://tiles.example.org/{z}/{x}/{y}.png"
