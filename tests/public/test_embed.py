"""The widget's data (/c/<slug>/embed/data.json) and the pages that write and show it: what they contain,
in which language, for which country, and that nothing private gets in."""

import datetime as dt
import json
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import escape

from groundswell.actions.models import Action
from groundswell.campaigns.models import Campaign
from groundswell.organizations.models import Endorsement
from tests.factories import (
    ActionFactory,
    CallTranslationFactory,
    CampaignFactory,
    EndorsementFactory,
    OrganizationFactory,
    RSVPFactory,
)

pytestmark = pytest.mark.django_db

BASE_URL = "https://actions.example.org"
FRENCH_TITLE = "De l'eau propre pour chaque quartier"
ARABIC_TITLE = "مياه نظيفة لكل حي"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.BASE_URL = BASE_URL


def url(campaign, name="embed_data", query=""):
    return reverse(f"public:{name}", kwargs={"slug": campaign.slug}) + (f"?{query}" if query else "")


def get_data(client, campaign, query="", **headers):
    response = client.get(url(campaign, query=query), headers=headers)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def multilingual_campaign():
    campaign = CampaignFactory()
    CallTranslationFactory(
        campaign=campaign, language="fr", title=FRENCH_TITLE, body="Nous appelons à **l'eau potable**."
    )
    CallTranslationFactory(campaign=campaign, language="ar", title=ARABIC_TITLE, body="ندعو إلى مياه آمنة.")
    return campaign


def test_embed_data_counts_equal_the_database(client):
    campaign = CampaignFactory()
    ActionFactory.create_batch(2, campaign=campaign, country="DE")
    ActionFactory(campaign=campaign, country="FR", city="Lyon", timezone="Europe/Paris")
    ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None)
    ActionFactory(campaign=campaign, status=Action.Status.REJECTED, approved_at=None, country="IT")
    EndorsementFactory.create_batch(2, campaign=campaign)
    EndorsementFactory(campaign=campaign, status=Endorsement.Status.PENDING)

    data = get_data(client, campaign)

    approved = Action.objects.filter(campaign=campaign, status=Action.Status.APPROVED)
    assert data["counts"] == {
        "actions": approved.count(),
        "countries": approved.values("country").distinct().count(),
        "endorsements": Endorsement.objects.filter(campaign=campaign, status="approved").count(),
    }
    assert data["counts"] == {"actions": 3, "countries": 2, "endorsements": 2}
    assert data["labels"]["actions"] == "actions"
    assert data["labels"]["endorsements"] == "endorsing organizations"


def test_embed_data_shows_the_call_in_the_chosen_language(client):
    campaign = multilingual_campaign()

    french = get_data(client, campaign, "language=fr")
    arabic = get_data(client, campaign, "language=ar")
    original = get_data(client, campaign, "language=en")

    assert french["call"]["title"] == FRENCH_TITLE
    assert french["call"]["language"] == "fr" and french["call"]["dir"] == "ltr"
    assert french["call"]["excerpt"] == "Nous appelons à l'eau potable."
    assert french["call"]["url"] == f"{BASE_URL}/c/{campaign.slug}/?lang=fr"
    # The interface's words follow the call's language when we have it.
    assert french["lang"] == "fr" and french["labels"]["demands"] == "Nos revendications"
    assert arabic["call"]["title"] == ARABIC_TITLE
    assert arabic["call"]["dir"] == "rtl" and arabic["dir"] == "rtl" and arabic["lang"] == "ar"
    assert original["call"]["title"] == "Clean water for every neighbourhood"
    assert original["call"]["demands"] == ["Test every public tap each month", "Publish the results"]


def test_embed_data_without_a_language_follows_the_visitor(client):
    campaign = multilingual_campaign()

    by_browser = get_data(client, campaign, "", **{"accept-language": "fr-CH, en;q=0.5"})
    unknown = get_data(client, campaign, "language=sw", **{"accept-language": "ar"})
    missing = get_data(client, campaign, "language=de", **{"accept-language": "en"})

    assert by_browser["call"]["title"] == FRENCH_TITLE
    assert unknown["call"]["title"] == ARABIC_TITLE  # not a language of the call: the visitor's
    assert missing["call"]["title"] == "Clean water for every neighbourhood"


def test_embed_data_does_not_set_the_sites_language_cookie(client):
    campaign = multilingual_campaign()
    response = client.get(url(campaign, query="language=ar"))
    assert "groundswell_language" not in response.cookies


def test_embed_data_lists_the_next_actions_of_the_chosen_country(client):
    campaign = CampaignFactory()
    start = dt.datetime.combine(campaign.start_date, dt.time(10))
    late = ActionFactory(
        campaign=campaign, title="Late vigil in Berlin", local_start=start + dt.timedelta(days=3)
    )
    early = ActionFactory(
        campaign=campaign,
        title="Early stand in Hamburg",
        city="Hamburg",
        local_start=start + dt.timedelta(days=1),
    )
    ActionFactory(
        campaign=campaign, title="Picnic in Lyon", country="FR", city="Lyon", timezone="Europe/Paris"
    )
    ActionFactory(
        campaign=campaign,
        title="Pending in Munich",
        status=Action.Status.PENDING,
        approved_at=None,
        city="Munich",
    )
    cancelled = ActionFactory(
        campaign=campaign, title="Cancelled in Bonn", status=Action.Status.CANCELLED, city="Bonn"
    )
    ActionFactory(
        campaign=campaign,
        title="Past in Cologne",
        starts_at=dt.datetime(2020, 1, 1, 10, tzinfo=dt.UTC),
        ends_at=dt.datetime(2020, 1, 1, 12, tzinfo=dt.UTC),
    )

    data = get_data(client, campaign, "country=de&language=en")

    titles = [action["title"] for action in data["actions"]]
    # Public ones only (a cancelled one stays, marked), soonest first; no past, pending or French ones.
    assert titles == ["Early stand in Hamburg", "Late vigil in Berlin", "Cancelled in Bonn"]
    assert data["country"] == {"code": "DE", "name": "Germany"}
    assert data["labels"]["upcoming"] == "Upcoming actions in Germany"
    assert data["more"]["count"] == 3
    assert data["more"]["url"] == f"{BASE_URL}/c/{campaign.slug}/actions/?country=DE&lang=en"
    first = data["actions"][0]
    assert first["id"] == early.pk
    assert first["url"] == f"{BASE_URL}/c/{campaign.slug}/actions/{early.pk}/?lang=en"
    assert dt.datetime.fromisoformat(first["start"]) == early.starts_at
    assert first["start"][:16] == f"{early.local_date}T10:00"
    assert first["timezone"] == "Europe/Berlin" and first["zone"] in {"CET", "CEST"}
    assert first["city"] == "Hamburg" and first["country"] == "DE" and first["country_name"] == "Germany"
    assert [a["cancelled"] for a in data["actions"] if a["id"] == cancelled.pk] == [True]
    assert late.pk in [a["id"] for a in data["actions"]]


def test_embed_data_limit_is_bounded(client):
    campaign = CampaignFactory()
    ActionFactory.create_batch(4, campaign=campaign)

    assert len(get_data(client, campaign, "limit=2")["actions"]) == 2
    assert len(get_data(client, campaign, "limit=0")["actions"]) == 1
    assert len(get_data(client, campaign, "limit=many")["actions"]) == 4
    assert get_data(client, campaign, "limit=2")["more"]["count"] == 4


def test_embed_pages_of_a_draft_campaign_are_not_found(client):
    campaign = CampaignFactory(status=Campaign.Status.DRAFT)
    for name in ("embed", "embed_data", "embed_frame", "embed_map"):
        assert client.get(url(campaign, name)).status_code == 404
    # The widget can read why (any origin may).
    data = client.get(url(campaign, "embed_data"), headers={"origin": "http://member.example.net"})
    assert data["Access-Control-Allow-Origin"] == "*"
    assert json.loads(data.content) == {"error": "not_found"}


def test_embed_data_follows_each_visitors_language_and_new_actions(client):
    campaign = multilingual_campaign()
    first = get_data(client, campaign, "", **{"accept-language": "fr"})
    ActionFactory(campaign=campaign, title="Arrives within the minute")  # a new version: a new key
    again = get_data(client, campaign, "", **{"accept-language": "fr-CH, fr;q=0.9, de;q=0.5"})
    german = get_data(client, campaign, "", **{"accept-language": "de"})

    assert first["call"]["title"] == again["call"]["title"] == FRENCH_TITLE
    assert [a["title"] for a in again["actions"]] == ["Arrives within the minute"]
    # No German call: the original, and the widget's words in its language.
    assert german["lang"] == "en" and german["call"]["title"] == "Clean water for every neighbourhood"


@pytest.mark.parametrize("actions", [1, 3])
def test_embed_data_queries_do_not_grow_with_actions(client, django_assert_num_queries, actions):
    campaign = CampaignFactory()
    for n in range(actions):
        ActionFactory(
            campaign=campaign, host_organization=OrganizationFactory(), country=["DE", "FR", "IT"][n]
        )

    # campaign + translations + days, data version, counts (actions, endorsements), the list, its count
    with django_assert_num_queries(8):
        data = get_data(client, campaign)
    assert len(data["actions"]) == actions


def test_embed_data_and_frames_carry_no_personal_data(client):
    campaign = CampaignFactory()
    organization = OrganizationFactory(contact_email="org-secret-4411@private.example.net")
    city_level = ActionFactory(
        campaign=campaign,
        title="Vigil at the river",
        venue="Backyard of Secret House 7731",
        location_precision=Action.Precision.CITY,
        latitude=52.5123456,
        longitude=13.4123456,
        contact_email="organizer-secret-9923@private.example.net",
        host_organization=organization,
    )
    RSVPFactory(action=city_level, name="Rsvp Secretname", email="rsvp-secret-5150@private.example.org")
    EndorsementFactory(campaign=campaign, organization=organization, signer_name="Signer Secretname")
    secrets = [
        "org-secret-4411",
        "organizer-secret-9923",
        "Secret House 7731",
        "Rsvp Secretname",
        "rsvp-secret-5150",
        "Signer Secretname",
        "52.512",
        "13.412",
        city_level.edit_token_hash,
    ]

    bodies = {
        "data": client.get(url(campaign, query="country=DE")).content.decode(),
        "frame": client.get(url(campaign, "embed_frame", "show=call,actions,map")).content.decode(),
        "map": client.get(url(campaign, "embed_map", "country=DE")).content.decode(),
        "page": client.get(url(campaign, "embed")).content.decode(),
    }

    assert "Vigil at the river" in bodies["data"] and "Vigil at the river" in bodies["frame"]
    for name, body in bodies.items():
        for secret in secrets:
            assert secret not in body, f"{secret} in {name}"


def test_embed_frame_shows_the_call_counts_and_actions(client):
    campaign = multilingual_campaign()
    ActionFactory(campaign=campaign, title="Stand in Berlin")
    ActionFactory(
        campaign=campaign, title="Picnic in Lyon", country="FR", city="Lyon", timezone="Europe/Paris"
    )

    html = client.get(url(campaign, "embed_frame", "language=ar&country=FR&show=call&show=actions")).content
    html = html.decode()

    assert ARABIC_TITLE in html and 'dir="rtl"' in html
    assert "Picnic in Lyon" in html and "Stand in Berlin" not in html
    assert '<base target="_blank">' in html
    assert f'href="{BASE_URL}/c/{campaign.slug}/?lang=ar"' in html
    assert "<iframe" not in html  # no map asked for
    with_map = client.get(url(campaign, "embed_frame", "show=map")).content.decode()
    assert f'src="{BASE_URL}/c/{campaign.slug}/embed/map/"' in with_map and ARABIC_TITLE not in with_map


def test_embed_map_is_the_map_filtered_by_country(client):
    campaign = CampaignFactory()
    html = client.get(url(campaign, "embed_map", "country=fr&language=en")).content.decode()
    assert f'data-map-data-url="/c/{campaign.slug}/map/data.json?country=FR&amp;lang=en"' in html
    assert "groundswell/js/map.js" in html and '<base target="_blank">' in html


def textarea(html, element_id):
    match = re.search(rf'<textarea id="{element_id}"[^>]*>(.*?)</textarea>', html, re.S)
    return unescape(match[1])


def test_embed_page_writes_snippets_with_absolute_urls_from_the_settings(client):
    campaign = multilingual_campaign()

    response = client.get(
        url(campaign, "embed", "language=fr&country=de&show=actions&show=map&size=small"),
        headers={"host": "127.0.0.1"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    script = textarea(html, "snippet-script-code")
    assert script == (
        f'<div data-groundswell-widget="{campaign.slug}" data-language="fr" data-country="DE" '
        f'data-show="actions map" data-size="small">'
        f'<a href="{BASE_URL}/c/{campaign.slug}/?lang=fr">{escape(FRENCH_TITLE)}</a>'
        f'</div>\n<script src="{BASE_URL}/static/groundswell/js/widget.js" async></script>'
    )
    iframe = textarea(html, "snippet-iframe-code")
    query = "language=fr&amp;country=DE&amp;show=actions%2Cmap&amp;size=small"
    frame = f"{BASE_URL}/c/{campaign.slug}/embed/frame/?{query}"
    assert iframe == (
        f'<iframe src="{frame}" title="The call and its actions" width="320" height="760" '
        'loading="lazy"></iframe>'
    )
    assert "127.0.0.1" not in html
    # The live preview is the iframe version, on our own page.
    assert (
        f'src="/c/{campaign.slug}/embed/frame/?language=fr&amp;country=DE&amp;show=actions%2Cmap&amp;size=small'
        '&amp;lang=en"' in html
    )
    assert '<option value="fr" lang="fr" selected>' in html


def test_embed_page_falls_back_to_defaults_for_unknown_options(client):
    campaign = CampaignFactory()
    html = client.get(
        url(campaign, "embed", "language=zz&country=XX&show=everything&size=huge")
    ).content.decode()
    script = textarea(html, "snippet-script-code")
    assert (
        f'<div data-groundswell-widget="{campaign.slug}" data-show="call actions" data-size="medium">'
        in script
    )
    assert 'width="480" height="740"' in textarea(html, "snippet-iframe-code")


def test_campaign_page_links_to_the_embed_page(client):
    campaign = CampaignFactory()
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert f'href="/c/{campaign.slug}/embed/?lang=en"' in html
    assert "Put this call on your website" in html


def test_embed_snippet_uses_the_static_host_when_static_files_have_one(client, settings):
    settings.STATIC_URL = "https://static.example.org/s/"
    campaign = CampaignFactory()
    script = textarea(client.get(url(campaign, "embed")).content.decode(), "snippet-script-code")
    assert '<script src="https://static.example.org/s/groundswell/js/widget.js" async></script>' in script
