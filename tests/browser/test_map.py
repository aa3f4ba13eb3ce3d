import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from groundswell.actions.filters import ActionFilters
from groundswell.actions.models import Action
from groundswell.actions.selectors import action_public_list
from groundswell.campaigns.demo import demo_load
from tests.browser.conftest import screenshot
from tests.factories import ActionFactory, CampaignFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIONS = 300


@pytest.fixture
def demo():
    return demo_load(actions=ACTIONS).campaign


def public_count(campaign, **filters) -> int:
    return Action.objects.filter(campaign=campaign, status=Action.Status.APPROVED, **filters).count()


def open_map(page, url):
    page.goto(url)
    expect(page.locator(".gs-map[data-ready]")).to_have_count(1)
    return page.locator(".gs-map")


def inside_map(page, selector: str):
    """The markers matching ``selector`` that lie inside the map's frame (a few are drawn just outside)."""
    frame = page.locator(".gs-map").bounding_box()
    found = []
    for marker in page.locator(selector).all():
        box = marker.bounding_box()
        if (
            box
            and frame["x"] + 20 < box["x"] < frame["x"] + frame["width"] - 20
            and (frame["y"] + 20 < box["y"] < frame["y"] + frame["height"] - 20)
        ):
            found.append(marker)
    return found


def zoom_until_points(page, steps: int = 12):
    """Click clusters until single actions are drawn in the map's frame; returns the first of them."""
    for _ in range(steps):
        points = inside_map(page, ".gs-point")
        if points:
            return points[0]
        rendered = page.locator(".gs-map").get_attribute("data-rendered")
        inside_map(page, ".gs-cluster")[0].click()
        expect(page.locator(".gs-map")).not_to_have_attribute("data-rendered", rendered)
        page.wait_for_timeout(300)  # the zoom animation
    raise AssertionError("no single action after zooming in")


def test_map_shows_clusters_with_counts_and_popups(page, live_server, demo):
    map_element = open_map(page, f"{live_server.url}/c/{demo.slug}/map/")

    expect(page.locator("[data-map-count]")).to_have_text(f"{ACTIONS} actions shown")
    assert map_element.get_attribute("data-shown") == str(ACTIONS)
    clusters = page.locator(".gs-cluster")
    assert clusters.count() > 3
    counts = [int(text) for text in clusters.all_inner_texts()]
    assert all(count >= 2 for count in counts) and max(counts) > 10
    # Country shapes from our own server, no tile server.
    expect(page.locator(".gs-map--basemap")).to_have_count(1)
    assert page.locator(".leaflet-tile").count() == 0
    screenshot(page, "map-desktop")

    zoom_until_points(page).click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup.locator(".map-popup__title")).to_be_visible()
    href = popup.locator("a").get_attribute("href")
    action = Action.objects.get(pk=int(re.search(r"/actions/(\d+)/\?lang=en$", href)[1]))
    expect(popup.locator(".map-popup__title")).to_have_text(action.title)
    expect(popup).to_contain_text(action.city)
    expect(popup).to_contain_text(action.timezone)
    assert action.contact_email not in popup.inner_text()
    page.wait_for_timeout(400)  # the popup's pan into view
    screenshot(page, "map-popup")


def test_changing_a_filter_redraws_the_map_and_updates_the_url(page, live_server, demo):
    open_map(page, f"{live_server.url}/c/{demo.slug}/map/")

    page.select_option("#f-type", "vigil")

    vigils = public_count(demo, action_type="vigil")
    assert 0 < vigils < ACTIONS
    expect(page.locator("[data-map-count]")).to_have_text(f"{vigils} actions shown")
    expect(page.locator(".gs-map")).to_have_attribute("data-shown", str(vigils))
    assert parse_qs(urlsplit(page.url).query) == {"type": ["vigil"], "lang": ["en"]}
    list_link = urlsplit(page.get_attribute("[data-map-list-link]", "href"))
    assert list_link.path.endswith("/actions/") and parse_qs(list_link.query) == {
        "type": ["vigil"],
        "lang": ["en"],
    }
    # No full reload: the document is still the one loaded from /map/ with only its language.
    assert page.evaluate("performance.getEntriesByType('navigation')[0].name").endswith("/map/?lang=en")

    country = (
        Action.objects.filter(campaign=demo, status="approved", action_type="vigil")
        .values_list("country", flat=True)
        .first()
    )
    page.select_option("#f-country", country)
    both = public_count(demo, action_type="vigil", country=country)
    expect(page.locator(".gs-map")).to_have_attribute("data-shown", str(both))
    assert parse_qs(urlsplit(page.url).query) == {"type": ["vigil"], "country": [country], "lang": ["en"]}

    # The URL is shareable: opening it shows the same actions.
    page.goto(page.url)
    expect(page.locator(".gs-map[data-ready]")).to_have_attribute("data-shown", str(both))
    expect(page.locator("#f-type")).to_have_value("vigil")


def test_text_search_submits_without_reloading(page, live_server, demo):
    open_map(page, f"{live_server.url}/c/{demo.slug}/map/")
    city = Action.objects.filter(campaign=demo, status="approved").values_list("city", flat=True).first()

    page.fill("#f-q", city)
    page.press("#f-q", "Enter")

    expected = ActionFilters(q=city).apply(action_public_list(campaign=demo)).count()
    assert expected > 0
    expect(page.locator(".gs-map")).to_have_attribute("data-shown", str(expected))
    assert parse_qs(urlsplit(page.url).query) == {"q": [city], "lang": ["en"]}
    assert page.evaluate("performance.getEntriesByType('navigation')[0].name").endswith("/map/?lang=en")


def test_map_works_with_the_keyboard(page, live_server, demo):
    open_map(page, f"{live_server.url}/c/{demo.slug}/map/")
    # Markers are redrawn whenever the map moves; data-key names "the same" marker across redraws.
    key = zoom_until_points(page).get_attribute("data-key")
    point = page.locator(f'.gs-point[data-key="{key}"]')
    point.focus()
    expect(point).to_be_focused()
    assert point.get_attribute("role") == "button" and point.get_attribute("tabindex") == "0"
    assert point.get_attribute("aria-label")
    page.keyboard.press("Enter")

    link = page.locator(".leaflet-popup-content a")
    expect(link).to_be_focused()
    expect(link).to_have_text("See the action")
    # Escape closes the popup and the focus goes back to the marker (redrawn meanwhile: same key).
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(page.locator(f'.gs-point[data-key="{key}"]')).to_be_focused()
    # Zoom buttons are reachable too.
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("href", "#")


def test_map_on_a_phone_in_arabic(page, live_server, demo):
    page.set_viewport_size({"width": 375, "height": 812})
    open_map(page, f"{live_server.url}/c/{demo.slug}/map/?lang=ar")

    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = page.locator(".gs-map").bounding_box()
    assert box["width"] > 300 and box["height"] > 250
    assert page.locator(".gs-cluster").count() > 0
    expect(page.locator("[data-map-list-link]")).to_be_visible()
    screenshot(page, "map-phone-ar")

    zoom_until_points(page).click()
    expect(page.locator(".leaflet-popup-content .map-popup__title")).to_be_visible()
    page.wait_for_timeout(400)  # the popup's pan into view
    popup = page.locator(".leaflet-popup-content-wrapper").bounding_box()
    assert popup["x"] >= 0 and popup["x"] + popup["width"] <= 375
    screenshot(page, "map-phone-ar-popup")


def test_map_on_a_phone(page, live_server, demo):
    page.set_viewport_size({"width": 375, "height": 812})
    open_map(page, f"{live_server.url}/c/{demo.slug}/map/?lang=en")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator(".gs-cluster").count() > 0
    screenshot(page, "map-phone")


def test_actions_at_one_place_are_spread_out(page, live_server):
    """ "City" precision puts every action of a city on its centre: at the largest zoom the group opens
    into single markers around the place instead of zooming further."""
    campaign = CampaignFactory()
    for n in range(5):
        ActionFactory(
            campaign=campaign,
            location_precision="city",
            public_latitude=52.52,  # Berlin's centre, as public_point() gives it for a known city
            public_longitude=13.41,
            title=f"Stand {n} in Berlin",
        )
    open_map(page, f"{live_server.url}/c/{campaign.slug}/map/")
    expect(page.locator("[data-map-count]")).to_have_text("5 actions shown")

    for _ in range(14):
        if page.locator(".gs-point--spread").count():
            break
        inside_map(page, ".gs-cluster")[0].click()
        page.wait_for_timeout(400)

    expect(page.locator(".gs-point--spread")).to_have_count(5)
    page.locator(".gs-point--spread").first.click()
    expect(page.locator(".leaflet-popup-content .map-popup__title")).to_contain_text("in Berlin")
