"""Links to the calendar files from the public pages: they lead to working calendars, from
GROUNDSWELL_BASE_URL, in the page's language."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import ActionFactory, CampaignFactory
from tests.public.test_ical import BASE_URL, action_ics_url, events, read

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE_URL


def links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'(?:href|value)="([^"]+)"', html)]


def feed_links(html: str) -> list[str]:
    return [link for link in links(html) if link.split("?")[0].endswith(".ics")]


def get_page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_action_page_links_to_its_ics(client):
    action = ActionFactory()

    html = get_page(client, action.get_absolute_url())

    assert action_ics_url(action) + "?lang=en" in links(html)  # links keep the page's language
    assert "Add to calendar (.ics)" in html
    assert set(events(read(client.get(action_ics_url(action))))) == {action.pk}


def test_campaign_page_offers_the_feed_over_https_and_webcal(client):
    campaign = CampaignFactory()
    action = ActionFactory(campaign=campaign)
    path = reverse("public:campaign_ics", kwargs={"slug": campaign.slug})

    html = get_page(client, reverse("public:campaign", kwargs={"slug": campaign.slug}))

    assert "Subscribe to the calendar" in html
    assert set(feed_links(html)) == {
        f"{BASE_URL}{path}?lang=en",
        f"webcal://actions.example.org{path}?lang=en",
    }
    assert set(events(read(client.get(f"{path}?lang=en")))) == {action.pk}


def test_calendar_page_offers_the_feed_and_the_filtered_countrys(client):
    campaign = CampaignFactory()
    url = reverse("public:calendar", kwargs={"slug": campaign.slug})
    campaign_path = reverse("public:campaign_ics", kwargs={"slug": campaign.slug})
    country_path = reverse("public:country_ics", kwargs={"slug": campaign.slug, "country": "de"})

    unfiltered = feed_links(get_page(client, url))
    filtered_html = get_page(client, url + "?country=DE")

    assert {link.split("?")[0] for link in unfiltered} == {
        f"{BASE_URL}{campaign_path}",
        f"webcal://actions.example.org{campaign_path}",
    }
    assert f"{BASE_URL}{country_path}?lang=en" in feed_links(filtered_html)
    assert f"webcal://actions.example.org{country_path}?lang=en" in feed_links(filtered_html)
    assert "Only the actions in Germany" in filtered_html


def test_action_list_of_one_country_offers_that_countrys_feed(client):
    campaign = CampaignFactory()
    action = ActionFactory(campaign=campaign)
    url = reverse("public:action_list", kwargs={"slug": campaign.slug})
    country_path = reverse("public:country_ics", kwargs={"slug": campaign.slug, "country": "de"})

    everywhere = get_page(client, url)
    germany = get_page(client, url + "?country=de")

    assert feed_links(everywhere) == []
    assert f"webcal://actions.example.org{country_path}?lang=en" in feed_links(germany)
    assert set(events(read(client.get(f"{country_path}?lang=en")))) == {action.pk}


def test_feed_links_carry_the_pages_language(client):
    campaign = CampaignFactory()
    path = reverse("public:campaign_ics", kwargs={"slug": campaign.slug})

    html = get_page(client, reverse("public:campaign", kwargs={"slug": campaign.slug}) + "?lang=fr")

    assert f"{BASE_URL}{path}?lang=fr" in feed_links(html)
