"""The coordinators' statistics page in Chromium: uPlot draws every chart, in both directions, with no
Content-Security-Policy error, and the numbers stay available under each chart."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from groundswell.actions.models import Action
from groundswell.reports.models import Review
from tests.browser.conftest import screenshot
from tests.factories import (
    ActionFactory,
    CampaignFactory,
    EndorsementFactory,
    RSVPFactory,
    UserFactory,
    grant,
)
from tests.factories.reports import IncidentFactory, ReportBackFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLACES = [
    ("Berlin", "DE", "Europe/Berlin"),
    ("Lyon", "FR", "Europe/Paris"),
    ("Nairobi", "KE", "Africa/Nairobi"),
    ("Recife", "BR", "America/Recife"),
    ("Osaka", "JP", "Asia/Tokyo"),
    ("Chiang Mai", "TH", "Asia/Bangkok"),
]
TYPES = [Action.Type.DEMONSTRATION, Action.Type.INFO_STAND, Action.Type.VIGIL, Action.Type.PUBLIC_MEETING]


def a_busy_campaign():
    campaign = CampaignFactory(slug="clean-water")
    start = dt.date.today() - dt.timedelta(days=12)
    for index in range(30):
        city, country, zone = PLACES[(index * 5) % len(PLACES) if index % 3 else 0]
        action = ActionFactory(
            campaign=campaign,
            city=city,
            country=country,
            timezone=zone,
            action_type=TYPES[index % len(TYPES)],
            local_start=dt.datetime.combine(start + dt.timedelta(days=index % 9), dt.time(11)),
            status=Action.Status.PENDING if index % 7 == 0 else Action.Status.APPROVED,
        )
        if action.status == Action.Status.APPROVED:
            RSVPFactory(action=action, party_size=1 + index % 4)
            if index % 2:
                ReportBackFactory(action=action, attendance=20 + 7 * index)
    for index in range(12):
        EndorsementFactory(
            campaign=campaign, approved_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=index % 6)
        )
    EndorsementFactory(campaign=campaign, status="pending", verified_at=dt.datetime.now(dt.UTC))
    for country, people, visibility in [("DE", 4, "public"), ("KE", 12, "coordinators"), ("BR", 2, "counts")]:
        IncidentFactory(campaign=campaign, country=country, people_affected=people, visibility=visibility)
    IncidentFactory(campaign=campaign, country="TH", status=Review.PENDING, approved_at=None)
    return campaign


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/dashboard/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "correct horse battery staple")
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("h1")).to_be_visible()


def test_statistics_page_draws_every_chart(page, live_server):
    campaign = a_busy_campaign()
    grant(UserFactory(username="coord"), campaign, "coordinator")
    log_in(page, live_server, "coord")

    page.goto(f"{live_server.url}/dashboard/c/{campaign.slug}/statistics/")

    figures = page.locator("figure.chart")
    expect(figures).to_have_count(7)
    expect(page.locator("figure.chart--drawn")).to_have_count(7)
    expect(page.locator("figure.chart .uplot canvas")).to_have_count(7)
    # Each drawn canvas has a size: uPlot laid it out in its container.
    for box in [canvas.bounding_box() for canvas in page.locator("figure.chart .uplot canvas").all()]:
        assert box["width"] > 200 and box["height"] > 100
    # The numbers are folded away under each drawn chart, and unfold.
    numbers = page.locator("#chart-incidents-per-country details.chart__numbers")
    expect(numbers.locator("table")).to_be_hidden()
    numbers.locator("summary").click()
    expect(numbers.locator("table")).to_contain_text("Kenya")
    expect(numbers.locator("table")).to_contain_text("12")
    # Hovering a line chart shows the values in its legend.
    plot = page.locator("#chart-actions-per-day .uplot .u-over")
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    plot.hover(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(page.locator("#chart-actions-per-day .u-legend .u-value").nth(1)).not_to_have_text("–")
    screenshot(page, "dashboard-statistics")

    # Printing unfolds every table, and keeps each chart within an A4 text column.
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(page.locator("details.chart__numbers[open]")).to_have_count(7)
    widths = page.locator("figure.chart .uplot canvas").evaluate_all("cs => cs.map(c => c.clientWidth)")
    assert widths and all(width <= 645 for width in widths), widths


def test_statistics_page_mirrors_in_arabic(page, live_server):
    campaign = a_busy_campaign()
    grant(UserFactory(username="coord"), campaign, "coordinator")
    log_in(page, live_server, "coord")

    page.goto(f"{live_server.url}/dashboard/c/{campaign.slug}/statistics/?lang=ar")

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("figure.chart--drawn")).to_have_count(7)
    screenshot(page, "dashboard-statistics-ar")


def test_charts_without_javascript_show_the_tables(browser, live_server):
    campaign = a_busy_campaign()
    grant(UserFactory(username="mod"), campaign, "moderator")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        log_in(page, live_server, "mod")
        page.goto(f"{live_server.url}/dashboard/c/{campaign.slug}/statistics/")
        # A moderator sees no incidents chart; every table is readable without a script.
        expect(page.locator("figure.chart")).to_have_count(6)
        expect(page.locator("figure.chart table").first).to_be_visible()
        expect(page.locator("#chart-actions-per-type table")).to_contain_text("Demonstration")
    finally:
        context.close()
