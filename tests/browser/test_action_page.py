"""The action page and its poster in a real Chromium: the visitor's time, the small map, sharing, printing."""

import re
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from groundswell.actions.models import Action
from tests.browser.conftest import ARTIFACTS, page_in, screenshot
from tests.public.action_page_support import tokyo_action as support_tokyo_action

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A4 at 96 dpi.
A4_VIEWPORT = {"width": 794, "height": 1123}


def tokyo_action(**overrides):
    """The public tests' Tokyo demonstration, with a description for the page and poster to show."""
    overrides.setdefault(
        "description", "Bring a cup. We test the water of the neighbourhood's taps and share the results."
    )
    return support_tokyo_action(**overrides)


def test_action_page_shows_the_visitors_time_when_their_zone_differs(browser, live_server):
    action = tokyo_action()
    url = f"{live_server.url}{action.get_absolute_url()}"
    in_new_york = action.starts_at.astimezone(ZoneInfo("America/New_York"))

    with page_in(browser, timezone_id="America/New_York") as page:
        page.goto(url)
        viewer_time = page.locator("[data-viewer-time]")
        expect(viewer_time).to_be_visible()
        expect(viewer_time).to_contain_text("Your time:")
        expect(viewer_time).to_contain_text(in_new_york.strftime("%H:%M"))
        expect(viewer_time).to_contain_text(in_new_york.strftime("%A"))
        expect(viewer_time).to_contain_text("America/New_York")
        # The action's own time stays, labelled with its zone.
        expect(page.locator(".action-facts")).to_contain_text("Monday 12 October 2026, 14:00")
        expect(page.locator(".action-facts")).to_contain_text("(Asia/Tokyo, JST)")
        screenshot(page, "action-page-viewer-time")

    with page_in(browser, timezone_id="Asia/Tokyo") as page:
        page.goto(url)
        expect(page.locator(".action-map--ready")).to_be_visible()  # the script has run
        expect(page.locator("[data-viewer-time]")).to_be_hidden()


@pytest.mark.parametrize(
    ("precision", "mark"),
    [(Action.Precision.EXACT, ".gs-pin"), (Action.Precision.ABOUT_1KM, "path.action-map__area")],
)
def test_small_map_is_drawn_around_the_public_point(page, live_server, precision, mark):
    action = tokyo_action(location_precision=precision)
    page.goto(f"{live_server.url}{action.get_absolute_url()}")
    small_map = page.locator(".action-map")
    expect(small_map).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(small_map).to_have_class(re.compile(r"\baction-map--drawn\b"))  # the basemap is loaded
    expect(small_map.locator(mark)).to_have_count(1)
    centre = page.evaluate(
        "(() => { const c = document.querySelector('.action-map').groundswellMap.getCenter();"
        " return [c.lat, c.lng]; })()"
    )
    assert centre == pytest.approx([action.public_latitude, action.public_longitude], abs=1e-6)
    # Not a tab stop, and it doesn't pan under a finger or a wheel.
    assert small_map.get_attribute("tabindex") is None
    assert page.evaluate("document.querySelector('.action-map').groundswellMap.dragging.enabled()") is False
    box = small_map.bounding_box()
    assert box["height"] > 150
    screenshot(page, f"action-page-{precision}")


def test_action_page_fits_a_phone_and_works_from_the_keyboard(browser, live_server):
    action = tokyo_action(location_precision=Action.Precision.ABOUT_1KM)
    with page_in(browser, viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True) as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
        page.goto(f"{live_server.url}{action.get_absolute_url()}")
        expect(page.locator(".action-map--drawn")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        screenshot(page, "action-page-375")

        # Keyboard alone: Tab reaches the link and the Copy button; Enter copies.
        copy = page.locator("[data-share-copy]")
        expect(copy).to_be_visible()
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.hasAttribute('data-share-copy')"):
                break
        else:
            pytest.fail("the Copy button cannot be reached with the Tab key")
        page.keyboard.press("Enter")
        expect(page.locator("[data-share-status]")).to_have_text("Link copied.")
        assert page.evaluate("navigator.clipboard.readText()") == page.input_value("[data-share-url]")
        assert page.input_value("[data-share-url]").endswith(action.get_absolute_url())

        page.goto(f"{live_server.url}{action.get_absolute_url()}poster/")
        expect(page.locator(".poster__qr-code svg")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        screenshot(page, "action-poster-375")


def test_action_page_in_arabic_reads_right_to_left(page, live_server):
    action = tokyo_action(location_precision=Action.Precision.CITY)
    page.goto(f"{live_server.url}{action.get_absolute_url()}?lang=ar")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    expect(page.locator(".action-map--drawn")).to_be_visible()
    expect(page.locator(".action-map path.action-map__area, .action-map .gs-pin")).to_have_count(0)
    # The address reads left to right inside the right-to-left page.
    assert page.locator("[data-share-url]").get_attribute("dir") == "ltr"
    screenshot(page, "action-page-ar")


def test_action_page_at_desktop_width(page, live_server):
    action = tokyo_action(host_name="Shinjuku Water Circle")
    page.goto(f"{live_server.url}{action.get_absolute_url()}")
    expect(page.locator(".action-map--drawn")).to_be_visible()
    # Map and share box beside the details, not under them.
    details, aside = (
        page.locator(".action-layout__main").bounding_box(),
        page.locator(".action-layout__side").bounding_box(),
    )
    assert aside["x"] > details["x"] + details["width"] - 1
    # Structured data is a data block: Chromium neither runs it nor reports it to the CSP.
    assert page.locator('script[type="application/ld+json"]').count() == 1
    screenshot(page, "action-page-1280")


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def _pdf_to_png(pdf: bytes, name: str) -> None:
    """For a person to look at: the first page of the PDF as an image, when poppler is installed."""
    if not shutil.which("pdftoppm"):
        return
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(ARTIFACTS / name)], check=True
    )


@pytest.mark.parametrize(
    ("name", "overrides"),
    [
        ("action-poster", {}),
        (
            "action-poster-worst-case",
            {
                "status": Action.Status.CANCELLED,
                "title": "A very long title for a poster: " + "clean water for every street and school " * 3,
                "description": "Long description of the action. " * 100,
                "venue": "The long-named community hall of the neighbourhood association, back entrance",
                "host_name": "The Association of Friends of the Rivers and the Lakes of the Kanto Plain",
            },
        ),
    ],
)
def test_poster_prints_on_one_page(page, live_server, name, overrides):
    action = tokyo_action(**overrides)
    page.set_viewport_size(A4_VIEWPORT)
    page.goto(f"{live_server.url}{action.get_absolute_url()}poster/")
    expect(page.locator("[data-print]")).to_be_visible()
    qr = page.locator(".poster__qr-code svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 200  # large enough to scan from a few steps away
    if action.status == Action.Status.CANCELLED:
        expect(page.locator(".poster__cancelled")).to_have_text(re.compile("cancelled", re.IGNORECASE))
        expect(page.locator(".poster__cancelled")).to_have_css("text-transform", "uppercase")
    screenshot(page, name)

    page.emulate_media(media="print")
    expect(page.locator(".poster-tools")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    screenshot(page, f"{name}-print")
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, print_background=True)
        assert _pdf_pages(pdf) == 1, paper
        _pdf_to_png(pdf, f"{name}-{paper.lower()}")
    # The code is whole on paper: inside the sheet, not clipped by it.
    sheet, code = page.locator(".poster").bounding_box(), qr.bounding_box()
    assert code["y"] + code["height"] <= sheet["y"] + sheet["height"] + 1


def test_poster_print_button_opens_the_print_dialog(page, live_server):
    action = tokyo_action()
    page.goto(f"{live_server.url}{action.get_absolute_url()}poster/")
    # Headless Chromium has no dialog to show: count the calls instead.
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") == 1
    page.get_by_role("link", name="Back to the action").click()
    expect(page.locator("h1")).to_have_text("Tap water tasting in Shinjuku")
