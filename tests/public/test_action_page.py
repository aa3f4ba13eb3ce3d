"""An action's public page, its poster and QR code: structured data, share links, privacy, escaping."""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import segno
from django.urls import reverse

from groundswell.actions.models import Action
from tests.factories import ActionFactory, CallTranslationFactory, CampaignFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

BASE_URL = "https://actions.example.org"
SVG_NS = "{http://www.w3.org/2000/svg}"
SECRET_EMAIL = "organizer.private@hidden.example.net"
SECRET_VENUE = "Back door of number 12, Hidden Lane"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.BASE_URL = BASE_URL


def urls(action) -> dict[str, str]:
    kwargs = {"slug": action.campaign.slug, "pk": action.pk}
    return {
        name: reverse(f"public:{name}", kwargs=kwargs) for name in ("action", "action_poster", "action_qr")
    }


def tokyo_action(**overrides):
    """A 14:00 demonstration in Tokyo: its zone is UTC+9 all year (no daylight saving time)."""
    values = {
        "title": "Tap water tasting in Shinjuku",
        "action_type": Action.Type.DEMONSTRATION,
        "timezone": "Asia/Tokyo",
        "city": "Tokyo",
        "country": "JP",
        "venue": "Central Park east gate",
        "latitude": 35.690123,
        "longitude": 139.700456,
        "local_start": dt.datetime(2026, 10, 12, 14, 0),
    }
    values.update(overrides)
    return ActionFactory(**values)


class _PageParser(HTMLParser):
    """Collects what the tests read from a page: meta tags, the canonical link, the map's data attributes,
    the share box's URL and the JSON-LD blocks."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: list[str] = []
        self.map_attributes: list[dict] = []
        self.share_urls: list[str] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and ("property" in attributes or "name" in attributes):
            self.meta[attributes.get("property") or attributes["name"]] = attributes.get("content", "")
        elif tag == "link" and attributes.get("rel") == "canonical":
            self.canonical.append(attributes["href"])
        elif "data-action-map" in attributes:
            self.map_attributes.append(attributes)
        elif tag == "input" and "data-share-url" in attributes:
            self.share_urls.append(attributes["value"])
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def parse(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    return parser


def json_ld_of(html: str) -> dict:
    # Straight from the bytes, the way a crawler reads it: one block, nothing in it may close the element.
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.DOTALL)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def svg_dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules of a segno SVG (one path of horizontal runs: M/m moves, h lines at y + 0.5)."""
    root = ET.fromstring(svg)  # noqa: S314 -- our own server's output, in a test
    assert root.tag == f"{SVG_NS}svg"
    (path,) = [p for p in root.iter(f"{SVG_NS}path") if p.get("stroke")]
    tokens = re.findall(r"[MmHh]|-?\d+(?:\.\d+)?", path.get("d"))
    dark, x, y, i = set(), 0.0, 0.0, 0
    while i < len(tokens):
        command = tokens[i]
        if command == "M":
            x, y, i = float(tokens[i + 1]), float(tokens[i + 2]), i + 3
        elif command == "m":
            x, y, i = x + float(tokens[i + 1]), y + float(tokens[i + 2]), i + 3
        elif command == "h":
            length = int(float(tokens[i + 1]))
            dark.update((int(x) + k, int(y - 0.5)) for k in range(length))
            x, i = x + length, i + 2
        else:
            raise AssertionError(f"unexpected path command {command}")
    return dark


def encodes(svg: str, text: str) -> bool:
    """Whether the SVG draws the QR code segno makes for ``text``, at any error correction level."""
    drawn = svg_dark_modules(svg)
    for level in "lmqh":
        code = segno.make(text, error=level, micro=False)
        border = (code.symbol_size()[0] - len(code.matrix)) // 2
        expected = {
            (column + border, row + border)
            for row, line in enumerate(code.matrix)
            for column, value in enumerate(line)
            if value
        }
        if drawn == expected:
            return True
    return False


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
