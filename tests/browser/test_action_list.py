import re

import pytest
from playwright.sync_api import expect

from groundswell.campaigns.demo import demo_load
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filters_update_the_list_and_the_url(page, live_server):
    demo_load(actions=300)
    page.goto(f"{live_server.url}/c/clean-water/actions/")
    groups_before = page.locator("#action-results .country-group").count()
    assert groups_before > 5
    page.select_option("#f-country", "FR")
    expect(page).to_have_url(re.compile(r"country=FR"))
    expect(page.locator("#action-results h2")).to_contain_text("France")
    page.select_option("#f-type", "vigil")
    expect(page).to_have_url(re.compile(r"(?=.*type=vigil)(?=.*country=FR)"))
    screenshot(page, "action-list-filtered")
    # The URL can be shared: loading it shows the same filtered list.
    shared = page.url
    page.goto(shared)
    expect(page.locator("#f-country")).to_have_value("FR")
    expect(page.locator("#f-type")).to_have_value("vigil")


def test_near_a_city_on_a_phone(page, live_server):
    demo_load(actions=300)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/c/clean-water/actions/")
    page.fill("#near-city", "Lyon")
    page.select_option("#near-country", "FR")
    page.locator("[data-near-form] button[type=submit]").click()
    expect(page.locator("#action-results h2")).to_contain_text("Lyon")
    expect(page.locator("#action-results .action-meta").first).to_contain_text("km away")
    screenshot(page, "action-list-near-phone")
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
