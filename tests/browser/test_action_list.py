import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groundswell.actions.selectors import action_public_list
from groundswell.campaigns.demo import demo_load
from groundswell.campaigns.models import Campaign
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
    expect(page.locator("#action-results h2").first).to_contain_text("Lyon")
    expect(page.locator("#action-results .action-meta").first).to_contain_text("km away")
    screenshot(page, "action-list-near-phone")
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def assert_no_empty_parameters(url: str):
    parameters = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    assert parameters, url
    assert [name for name, value in parameters if not value] == [], url


def test_near_me_and_the_filters_combine(page, live_server):
    demo_load(actions=300)
    page.goto(f"{live_server.url}/c/clean-water/actions/")
    page.select_option("#f-type", "vigil")
    expect(page).to_have_url(re.compile(r"type=vigil"))
    assert_no_empty_parameters(page.url)

    # Then the nearest to a typed city: still vigils only.
    page.fill("#near-city", "Lyon")
    page.select_option("#near-country", "FR")
    page.locator("[data-near-form] button[type=submit]").click()
    expect(page.locator("#action-results h2").first).to_contain_text("Lyon")
    expect(page).to_have_url(re.compile(r"(?=.*type=vigil)(?=.*near_city=Lyon)(?=.*near_country=FR)"))
    assert_no_empty_parameters(page.url)
    meta = page.locator("#action-results .action-meta")
    expect(meta.first).to_contain_text("km away")
    assert meta.count() > 1
    assert all(" · Vigil" in text for text in meta.all_inner_texts())

    # On the near results, changing the country keeps "near" (and the type).
    public = action_public_list(campaign=Campaign.objects.get(slug="clean-water"))
    upcoming_vigils = public.filter(action_type="vigil", ends_at__gte=timezone.now())
    country = Counter(upcoming_vigils.values_list("country", flat=True)).most_common(1)[0][0]
    page.select_option("#f-country", country)
    expect(page).to_have_url(re.compile(rf"(?=.*country={country})(?=.*near_city=Lyon)(?=.*type=vigil)"))
    expect(page.locator("#action-results h2").first).to_contain_text("Nearest actions to Lyon")
    assert_no_empty_parameters(page.url)
    cities = set(upcoming_vigils.filter(country=country).values_list("city", flat=True))
    meta = page.locator("#action-results .action-meta")
    expect(meta).to_have_count(min(30, upcoming_vigils.filter(country=country).count()))
    for text in meta.all_inner_texts():
        assert " · Vigil" in text and text.split(" · ")[1] in cities, text

    # And a reload of the pushed URL shows the same.
    page.reload()
    expect(page.locator("#action-results h2").first).to_contain_text("Nearest actions to Lyon")
    expect(page.locator("#f-type")).to_have_value("vigil")
    expect(page.locator("#f-country")).to_have_value(country)
    expect(page.locator("#near-city")).to_have_value("Lyon")


def test_near_my_position_keeps_the_filters_and_a_typed_city_replaces_it(page, live_server):
    demo_load(actions=300)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 45.7578, "longitude": 4.8320})  # Lyon, to the metre
    page.goto(f"{live_server.url}/c/clean-water/actions/?type=vigil")
    page.fill("#near-city", "Paris")
    page.locator("[data-near-locate]").click()
    # Only two decimals leave the browser; the typed city gives way to the position.
    expect(page).to_have_url(re.compile(r"\?lang=en&type=vigil&near=45\.76%2C4\.83$"))
    expect(page.locator("#action-results h2").first).to_contain_text("Nearest actions to your position")
    expect(page.locator("#near-city")).to_have_value("")

    # A city typed afterwards replaces the position.
    page.fill("#near-city", "Lyon")
    page.select_option("#near-country", "FR")
    page.locator("[data-near-form] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"\?lang=en&type=vigil&near_city=Lyon&near_country=FR$"))
    expect(page.locator("#action-results h2").first).to_contain_text("Nearest actions to Lyon")
