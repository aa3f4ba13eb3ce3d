"""Atom feeds of new actions (campaign, country) and of the call's updates, read back with xml.etree the way
a feed reader reads them: absolute links from BASE_URL, public actions only, newest approval first, plain
text summaries, and never a piece of personal data."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groundswell.actions.models import Action
from groundswell.core.page_cache import public_changed
from tests.factories import (
    ActionFactory,
    CallTranslationFactory,
    CampaignFactory,
    OrganizationFactory,
    RSVPFactory,
)

pytestmark = pytest.mark.django_db

BASE_URL = "https://actions.example.org"
NS = {"a": "http://www.w3.org/2005/Atom"}

# Personal data that must never appear in a feed or an export (also used by test_export.py).
ORGANIZER_EMAIL = "quiet.organizer@secret-mailbox.example.net"
ORG_EMAIL = "desk@secret-ngo-mailbox.example.net"
RSVP_EMAIL = "shy.participant@secret-inbox.example.net"
RSVP_NAME = "Philomena Quietwater"
HIDDEN_VENUE = "Back room of the bakery at number 12"
EXACT_LATITUDE, EXACT_LONGITUDE = 52.512345, 13.398765
SECRETS = [
    ORGANIZER_EMAIL,
    ORG_EMAIL,
    RSVP_EMAIL,
    RSVP_NAME,
    HIDDEN_VENUE,
    "secret-",
    str(EXACT_LATITUDE),
    str(EXACT_LONGITUDE),
    "52.51234",
    "13.39876",
]


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE_URL


def private_data_campaign():
    """A campaign whose public action has a hidden venue, an exact point kept private, a contact email, an
    organization with a private email and an RSVP; plus a pending action with its own contact."""
    campaign = CampaignFactory()
    organization = OrganizationFactory(contact_email=ORG_EMAIL)
    action = ActionFactory(
        campaign=campaign,
        title="Vigil by the river",
        contact_email=ORGANIZER_EMAIL,
        host_organization=organization,
        location_precision=Action.Precision.ABOUT_1KM,
        venue=HIDDEN_VENUE,
        latitude=EXACT_LATITUDE,
        longitude=EXACT_LONGITUDE,
    )
    RSVPFactory(action=action, email=RSVP_EMAIL, name=RSVP_NAME)
    ActionFactory(campaign=campaign, status=Action.Status.PENDING, contact_email="pending." + ORGANIZER_EMAIL)
    return campaign, action


def assert_no_personal_data(body: str, url: str):
    for secret in SECRETS:
        assert secret not in body, (secret, url)


def actions_url(campaign, query: str = "") -> str:
    return reverse("public:campaign_actions_atom", kwargs={"slug": campaign.slug}) + (
        f"?{query}" if query else ""
    )


def country_url(campaign, country: str) -> str:
    return reverse("public:country_actions_atom", kwargs={"slug": campaign.slug, "country": country})


def call_url(campaign, query: str = "") -> str:
    return reverse("public:call_atom", kwargs={"slug": campaign.slug}) + (f"?{query}" if query else "")


def parse(response) -> ET.Element:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 -- our own output, made by the view under test


def entries(feed: ET.Element) -> list[dict]:
    found = []
    for entry in feed.findall("a:entry", NS):
        summary = entry.find("a:summary", NS)
        found.append(
            {
                "title": entry.findtext("a:title", namespaces=NS),
                "link": entry.find("a:link[@rel='alternate']", NS).get("href"),
                "id": entry.findtext("a:id", namespaces=NS),
                "published": entry.findtext("a:published", namespaces=NS),
                "updated": entry.findtext("a:updated", namespaces=NS),
                "summary": summary.text if summary is not None else "",
                "summary_type": summary.get("type") if summary is not None else None,
            }
        )
    return found


# --- new actions --------------------------------------------------------------------------------------------


def test_actions_feed_lists_public_actions_newest_approval_first_with_absolute_links(client):
    campaign = CampaignFactory()
    older = ActionFactory(
        campaign=campaign, title="Older rally", approved_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    )
    newer = ActionFactory(
        campaign=campaign, title="Newer vigil", approved_at=dt.datetime(2026, 9, 5, tzinfo=dt.UTC)
    )
    ActionFactory(campaign=campaign, title="Waiting stand", status=Action.Status.PENDING, approved_at=None)
    ActionFactory(campaign=campaign, title="Rejected stand", status=Action.Status.REJECTED, approved_at=None)
    ActionFactory(campaign=CampaignFactory(), title="Other campaign's march")

    feed = parse(client.get(actions_url(campaign)))

    items = entries(feed)
    assert [item["title"] for item in items] == ["Newer vigil", "Older rally"]
    assert items[0]["link"] == f"{BASE_URL}/c/{campaign.slug}/actions/{newer.pk}/"
    assert items[1]["link"] == f"{BASE_URL}/c/{campaign.slug}/actions/{older.pk}/"
    assert items[0]["published"].startswith("2026-09-05")
    assert len({item["id"] for item in items}) == 2
    assert all(item["id"].startswith("tag:actions.example.org,") for item in items)
    assert feed.find("a:link[@rel='alternate']", NS).get("href") == f"{BASE_URL}/c/{campaign.slug}/actions/"
    assert feed.find("a:link[@rel='self']", NS).get("href").startswith(f"{BASE_URL}/feeds/c/{campaign.slug}/")
    assert "Clean water for every neighbourhood" in feed.findtext("a:title", namespaces=NS)


def test_actions_feed_entry_holds_local_time_with_zone_place_and_plain_text_description(client):
    action = ActionFactory(
        timezone="Asia/Tokyo",
        city="Tokyo",
        country="JP",
        latitude=35.69,
        longitude=139.7,
        venue="North gate of the park",
        local_start=dt.datetime(2026, 10, 12, 19, 0),
        description="Bring a <b>candle</b> & a friend.",
    )

    response = client.get(actions_url(action.campaign))
    (item,) = entries(parse(response))

    assert item["summary_type"] == "text"
    assert "19:00" in item["summary"] and "Asia/Tokyo" in item["summary"] and "JST" in item["summary"]
    assert "North gate of the park, Tokyo, Japan" in item["summary"]
    assert "Bring a <b>candle</b> & a friend." in item["summary"]  # text, escaped in the XML
    assert b"&lt;b&gt;candle" in response.content


def test_actions_feed_marks_cancelled_public_actions(client):
    action = ActionFactory(title="Picnic protest", status=Action.Status.CANCELLED)

    (item,) = entries(parse(client.get(actions_url(action.campaign))))

    assert item["title"] == "Cancelled: Picnic protest"
    assert "cancelled" in item["summary"]


def test_country_feed_lists_only_that_countrys_actions(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign, title="Berlin stand")
    ActionFactory(
        campaign=campaign,
        title="Nairobi march",
        city="Nairobi",
        country="KE",
        latitude=-1.28,
        longitude=36.82,
    )

    feed = parse(client.get(country_url(campaign, "ke")))

    assert [item["title"] for item in entries(feed)] == ["Nairobi march"]
    assert "Kenya" in feed.findtext("a:title", namespaces=NS)
    assert (
        feed.find("a:link[@rel='alternate']", NS).get("href")
        == f"{BASE_URL}/c/{campaign.slug}/actions/?country=KE"
    )


@pytest.mark.parametrize("country", ["xx", "DEU", "1a"])
def test_country_feed_of_an_unknown_country_is_not_found(client, country):
    campaign = CampaignFactory()
    assert client.get(country_url(campaign, country)).status_code == 404


def test_feeds_of_a_draft_campaign_are_not_found(client):
    campaign = CampaignFactory(status="draft")
    ActionFactory(campaign=campaign)
    assert client.get(actions_url(campaign)).status_code == 404
    assert client.get(call_url(campaign)).status_code == 404


def test_actions_feed_is_cacheable_and_answers_304_until_an_action_changes(client):
    action = ActionFactory()
    url = actions_url(action.campaign)

    first = client.get(url)
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    ActionFactory(campaign=action.campaign, title="A new approved action")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_actions_feed_in_the_language_of_lang(client):
    action = ActionFactory(status=Action.Status.CANCELLED)

    response = client.get(actions_url(action.campaign, "lang=fr"))

    feed = parse(response)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert feed.find("a:link[@rel='self']", NS).get("href").endswith("actions.atom?lang=fr")
    assert entries(feed)[0]["title"] != f"Cancelled: {action.title}"


# --- the call's updates -------------------------------------------------------------------------------------


def test_call_feed_has_one_entry_per_translation_newest_first(client):
    campaign = CampaignFactory()
    CallTranslationFactory(campaign=campaign, language="fr", title="De l'eau propre pour chaque quartier")
    CallTranslationFactory(campaign=campaign, language="de", title="Sauberes Wasser für jedes Viertel")

    feed = parse(client.get(call_url(campaign)))

    items = entries(feed)
    assert [item["title"].split(" (")[0] for item in items] == [
        "Sauberes Wasser für jedes Viertel",
        "De l'eau propre pour chaque quartier",
        "Clean water for every neighbourhood",
    ]
    assert items[0]["link"] == f"{BASE_URL}/c/{campaign.slug}/?lang=de"
    assert "Test every public tap each month" in items[2]["summary"]
    assert items[2]["summary_type"] == "text"


def test_call_feed_gives_each_update_a_new_entry_id(client):
    campaign = CampaignFactory()
    translation = campaign.translations.get()
    before = entries(parse(client.get(call_url(campaign))))[0]

    translation.body = "A sharper text."
    translation.save()
    public_changed(campaign_slug=campaign.slug)  # as the service that saves a translation does
    after = entries(parse(client.get(call_url(campaign))))[0]

    assert after["id"] != before["id"]
    assert after["updated"] > before["updated"]
    assert "A sharper text." in after["summary"]


def test_call_feed_with_lang_holds_only_that_translation_and_says_when_it_is_outdated(client):
    campaign = CampaignFactory()
    original = campaign.translations.get()
    original.source_updated_at = dt.datetime(2026, 9, 10, tzinfo=dt.UTC)
    original.save()
    CallTranslationFactory(
        campaign=campaign,
        language="fr",
        title="De l'eau propre",
        source_updated_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
    )

    feed = parse(client.get(call_url(campaign, "lang=fr")))

    (item,) = entries(feed)
    assert item["title"].startswith("De l'eau propre")
    assert item["link"] == f"{BASE_URL}/c/{campaign.slug}/?lang=fr"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert "De l'eau propre" in feed.findtext("a:title", namespaces=NS)
    assert "suit une version antérieure de l'original" in item["summary"]  # in its language
    # Without lang, the feed is in the default language: one document whatever the reader's browser says.
    everything = {item["link"][-2:]: item for item in entries(parse(client.get(call_url(campaign))))}
    assert "follows an earlier version of the original" in everything["fr"]["summary"]
    assert "earlier version" not in everything["en"]["summary"]


def test_call_feed_answers_304_until_the_call_changes(client):
    campaign = CampaignFactory()
    first = client.get(call_url(campaign))
    assert client.get(call_url(campaign), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    CallTranslationFactory(campaign=campaign, language="es", title="Agua limpia")

    assert client.get(call_url(campaign), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


# --- privacy and cost ---------------------------------------------------------------------------------------


def test_no_feed_holds_personal_data_hidden_venue_or_exact_point(client):
    campaign, action = private_data_campaign()
    urls = [
        actions_url(campaign),
        country_url(campaign, "de"),
        call_url(campaign),
        actions_url(campaign, "lang=ar"),
    ]
    for url in urls:
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert_no_personal_data(body, url)
    assert action.title in client.get(actions_url(campaign)).content.decode()


def test_campaign_page_links_its_atom_feeds_in_its_head(client):
    campaign = CampaignFactory()

    body = client.get(reverse("public:campaign", kwargs={"slug": campaign.slug})).content.decode()

    head = body.split("</head>", 1)[0]
    links = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', head)
    assert any(link.startswith(actions_url(campaign)) for link in links)
    assert any(link.startswith(call_url(campaign)) for link in links)


def campaign_with_actions(n: int):
    campaign = CampaignFactory()
    host = OrganizationFactory()
    for _ in range(n):
        ActionFactory(campaign=campaign, host_organization=host)
    ActionFactory(campaign=campaign, host_name="A group without an organization")
    return campaign


@pytest.mark.parametrize("url_of", [actions_url, lambda campaign: country_url(campaign, "DE")])
def test_actions_feed_query_count_is_the_same_for_1_and_3_actions(client, django_assert_num_queries, url_of):
    small, large = campaign_with_actions(1), campaign_with_actions(3)
    with CaptureQueriesContext(connection) as one:
        assert len(entries(parse(client.get(url_of(small))))) == 2

    with django_assert_num_queries(len(one)):
        assert len(entries(parse(client.get(url_of(large))))) == 4


def test_call_feed_query_count_is_the_same_for_1_and_3_translations(client, django_assert_num_queries):
    small, large = CampaignFactory(), CampaignFactory()
    for language in ("fr", "de", "es"):
        CallTranslationFactory(campaign=large, language=language)
    with CaptureQueriesContext(connection) as one:
        assert len(entries(parse(client.get(call_url(small))))) == 1

    with django_assert_num_queries(len(one)):
        assert len(entries(parse(client.get(call_url(large))))) == 4
