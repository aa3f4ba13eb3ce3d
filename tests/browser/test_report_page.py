"""The campaign report in a real browser: the map and the charts are drawn, nothing breaks the CSP, it
fits a phone, and printing gives a clean PDF."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import page_in, screenshot
from tests.reports.report_support import build_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report_url(live_server):
    built = build_campaign()
    return f"{live_server.url}/c/{built.campaign.slug}/report/"


IMAGES_LOADED = """() => Array.from(document.querySelectorAll(".report-photo img"))
    .every((img) => img.complete && img.naturalWidth > 0)"""


def wait_until_drawn(page):
    page.locator(".report-photo img").last.scroll_into_view_if_needed()  # lazy images load
    expect(page.locator("#report-map[data-ready]")).to_have_count(1)
    expect(page.locator("#report-map")).to_have_attribute("data-shown", "4")
    expect(page.locator("figure.chart.chart--drawn")).to_have_count(5)
    # Every thumbnail has loaded (the photo view served it).
    # (polled from here: wait_for_function evaluates a string, which the page's CSP forbids)
    for _ in range(100):
        if page.evaluate(IMAGES_LOADED):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("a thumbnail did not load")


def test_report_page_draws_map_and_charts_and_prints(page, report_url, tmp_path):
    console = []
    page.on("console", lambda message: console.append((message.type, message.text)))
    page.goto(report_url)
    wait_until_drawn(page)

    assert page.locator("[data-map-count]").inner_text() == "4 actions took place"
    expect(page.locator("[data-report-print]")).to_be_visible()
    assert page.locator('[data-stat="actions_took_place"]').inner_text() == "4"
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "report-desktop")

    # Print: no navigation, no buttons, the map replaced by a note, the numbers still there.
    page.emulate_media(media="print")
    expect(page.locator("[data-report-print]")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#report-map")).to_be_hidden()
    expect(page.locator(".report-print-note")).to_be_visible()
    expect(page.locator(".chart__table").first).to_be_visible()
    screenshot(page, "report-print")
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 3
    (tmp_path / "report.pdf").write_bytes(pdf)

    assert [text for kind, text in console if kind == "error"] == []


def test_report_page_fits_a_phone(browser, report_url):
    with page_in(browser, viewport={"width": 375, "height": 812}, locale="en-GB", is_mobile=True) as phone:
        errors = []
        phone.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        phone.goto(report_url)
        wait_until_drawn(phone)
        # Nothing wider than the screen.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        phone.evaluate("window.scrollTo(0, 0)")
        screenshot(phone, "report-phone")
        assert errors == []


def test_report_page_in_arabic_is_right_to_left(browser, report_url):
    with page_in(browser) as page:
        page.goto(report_url + "?lang=ar")
        wait_until_drawn(page)
        assert page.evaluate("document.documentElement.dir") == "rtl"
        screenshot(page, "report-arabic")
