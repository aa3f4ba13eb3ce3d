import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from groundswell.actions.models import Action
from tests.browser.conftest import screenshot
from tests.factories import CallTranslationFactory, CampaignFactory, UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_approve_and_find_action_on_campaign_page(page, live_server, requests_made):
    campaign = CampaignFactory()
    moderator = UserFactory(username="mod")
    grant(moderator, campaign, "moderator")
    day = campaign.start_date + dt.timedelta(days=2)

    # An organizer registers an action, without an account.
    page.goto(f"{live_server.url}/c/{campaign.slug}/actions/new/")
    expect(page.locator(".place-point-map.place-point-map--ready")).to_be_visible()
    page.select_option("#id_action_type", "info_stand")
    page.fill("#id_title", "Water testing stand at the harbour")
    page.fill("#id_description", "Free testing of tap water samples.")
    page.fill("#id_starts_local", f"{day}T10:00")
    page.fill("#id_ends_local", f"{day}T14:00")
    page.fill("#id_city", "Kraków")
    page.select_option("#id_country", "PL")
    page.fill("#id_venue", "Harbour gate")
    page.check("input[name=location_precision][value=km]")
    page.fill("#id_contact_email", "stand@private.example.net")
    screenshot(page, "action-form")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("waiting for moderation")
    action = Action.objects.get(title="Water testing stand at the harbour")
    assert action.status == Action.Status.PENDING and action.timezone == "Europe/Warsaw"

    # Not public yet.
    page.goto(f"{live_server.url}/c/{campaign.slug}/")
    expect(page.get_by_text("Water testing stand at the harbour")).to_have_count(0)

    # A moderator logs in and approves it from the queue.
    page.goto(f"{live_server.url}/dashboard/")
    page.fill("input[name=username]", "mod")
    page.fill("input[name=password]", "correct horse battery staple")
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.goto(f"{live_server.url}/dashboard/c/{campaign.slug}/queue/")
    row = page.locator(f"[data-action-id='{action.pk}']")
    expect(row).to_contain_text("Water testing stand at the harbour")
    screenshot(page, "moderation-queue")
    row.get_by_role("button", name=re.compile("^Approve$")).click()
    expect(page.get_by_text("Water testing stand at the harbour")).to_have_count(0)
    action.refresh_from_db()
    assert action.status == Action.Status.APPROVED

    # The public finds it on the campaign page, under its country: at once for a new visitor; this browser
    # keeps the copy it saw a moment ago for its max-age, unless it reloads.
    page.goto(f"{live_server.url}/c/{campaign.slug}/")
    page.reload()
    group = page.locator("#country-PL").locator("..")
    expect(group).to_contain_text("Water testing stand at the harbour")
    expect(group).to_contain_text("10:00")
    screenshot(page, "campaign-page")
    assert any("/static/" in url for url in requests_made)


def test_arabic_campaign_page_is_right_to_left(page, live_server):
    campaign = CampaignFactory()
    CallTranslationFactory(
        campaign=campaign,
        language="ar",
        title="مياه نظيفة لكل حي",
        body="نطالب بمياه **آمنة** وبأسعار معقولة في كل مدينة.",
        demands=["فحص كل صنبور عام كل شهر"],
    )
    page.goto(f"{live_server.url}/c/{campaign.slug}/?lang=ar")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    heading = page.locator("h1")
    expect(heading).to_have_text("مياه نظيفة لكل حي")
    # Right-to-left for real: the heading's text starts at the right edge of the content column.
    box = heading.bounding_box()
    main = page.locator("main").bounding_box()
    assert abs((box["x"] + box["width"]) - (main["x"] + main["width"])) < 40
    screenshot(page, "campaign-page-ar")
    # A shared link in Arabic does not change the visitor's own choice; the switcher does, and it is
    # remembered: the next page asked for without ?lang is Arabic.
    page.locator(".language-switcher a[hreflang=ar]").click()
    expect(page).to_have_url(re.compile(r"\?lang=ar$"))
    page.goto(f"{live_server.url}/c/{campaign.slug}/actions/")
    expect(page).to_have_url(re.compile(r"/actions/\?lang=ar$"))
    assert page.evaluate("document.documentElement.dir") == "rtl"
