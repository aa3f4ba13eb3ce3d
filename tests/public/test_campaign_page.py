import datetime as dt

import pytest
from django.urls import reverse

from groundswell.campaigns.models import Campaign
from tests.factories import (
    ActionFactory,
    CallTranslationFactory,
    CampaignFactory,
    EndorsementFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db


def campaign_url(campaign, **query):
    url = reverse("public:campaign", kwargs={"slug": campaign.slug})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def test_campaign_page_shows_call_demands_and_days(client):
    campaign = CampaignFactory(days=[dt.date(2026, 10, 12), dt.date(2026, 10, 13)])
    response = client.get(campaign_url(campaign))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Clean water for every neighbourhood" in html
    assert "<strong>safe, affordable water</strong>" in html
    assert html.index("Test every public tap each month") < html.index("Publish the results")
    assert 'datetime="2026-10-12"' in html and 'datetime="2026-10-13"' in html


def test_campaign_page_uses_accept_language(client):
    campaign = CampaignFactory()
    CallTranslationFactory(campaign=campaign, language="fr", title="De l'eau propre pour chaque quartier")
    html = client.get(
        campaign_url(campaign), headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
    ).content.decode()
    assert "De l&#x27;eau propre pour chaque quartier" in html
    assert '<html lang="fr" dir="ltr">' in html


def test_campaign_page_language_from_url_is_remembered(client):
    campaign = CampaignFactory()
    CallTranslationFactory(campaign=campaign, language="es", title="Agua limpia para cada barrio")
    shared = client.get(campaign_url(campaign, lang="es"))
    assert "Agua limpia para cada barrio" in shared.content.decode()
    assert not shared.cookies  # a shared document: a link in Spanish does not change the visitor's choice
    # The switcher remembers the choice and goes back to the page in that language.
    switched = client.get(f"/language/?lang=es&next=/c/{campaign.slug}/%3Fpage%3D2%26lang%3Dfr")
    assert switched.status_code == 302 and switched["Location"] == f"/c/{campaign.slug}/?lang=es"
    assert switched.cookies["groundswell_language"].value == "es"
    # The next page, without the parameter and with an English browser, keeps the choice.
    again = client.get(campaign_url(campaign), headers={"Accept-Language": "en"})
    assert again.language_redirect == f"/c/{campaign.slug}/?lang=es"
    assert "Agua limpia para cada barrio" in again.content.decode()


def test_campaign_page_falls_back_to_original_with_notice(client):
    campaign = CampaignFactory()
    html = client.get(campaign_url(campaign), headers={"Accept-Language": "de"}).content.decode()
    assert "Clean water for every neighbourhood" in html
    assert 'class="notice"' in html
    assert '<html lang="de"' in html


def test_campaign_page_marks_outdated_translation(client):
    campaign = CampaignFactory()
    original = campaign.translations.get(is_original=True)
    original.source_updated_at = dt.datetime(2026, 9, 10, tzinfo=dt.UTC)
    original.save()
    CallTranslationFactory(
        campaign=campaign,
        language="fr",
        title="Titre",
        source_updated_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
    )
    html = client.get(campaign_url(campaign, lang="fr")).content.decode()
    assert 'class="notice"' in html


def test_arabic_page_is_right_to_left(client):
    campaign = CampaignFactory()
    CallTranslationFactory(campaign=campaign, language="ar", title="مياه نظيفة لكل حي")
    html = client.get(campaign_url(campaign, lang="ar")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'lang="ar" dir="rtl"' in html.split("<main", 1)[1]
    assert "مياه نظيفة لكل حي" in html


def test_campaign_page_counts_only_approved_actions_and_countries(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign, country="DE")
    ActionFactory(campaign=campaign, country="FR", city="Lyon", timezone="Europe/Paris")
    ActionFactory(campaign=campaign, country="KE", status="pending", approved_at=None)
    EndorsementFactory(campaign=campaign)
    EndorsementFactory(campaign=campaign, status="pending")
    response = client.get(campaign_url(campaign))
    assert response.context["counts"] == {"actions": 2, "countries": 2, "endorsements": 1}


def test_upcoming_actions_grouped_by_localized_country_name(client, settings):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign, country="DE", title="Stand in Berlin")
    ActionFactory(
        campaign=campaign, country="ES", city="Madrid", timezone="Europe/Madrid", title="Stand in Madrid"
    )
    html = client.get(campaign_url(campaign, lang="fr")).content.decode()
    # In French, Allemagne (DE) sorts before Espagne (ES); in German, Deutschland before Spanien as well,
    # but in Spanish Alemania before España: check the names are localized.
    assert "Allemagne" in html and "Espagne" in html
    assert html.index("Allemagne") < html.index("Espagne")
    assert "Stand in Berlin" in html


def test_upcoming_actions_paginate_countries(client):
    campaign = CampaignFactory()
    countries = ["AR", "BR", "CL", "DE", "EG", "FR", "GH", "IN", "JP", "KE", "MX", "NG", "PE", "ZA"]
    for code in countries:
        ActionFactory(campaign=campaign, country=code, title=f"Action {code}")
    first = client.get(campaign_url(campaign))
    second = client.get(campaign_url(campaign, page=2))
    assert len(first.context["groups"]) == 12
    assert len(second.context["groups"]) == 2
    assert first.context["page_obj"].paginator.num_pages == 2


def test_draft_campaign_is_not_public(client):
    campaign = CampaignFactory(status=Campaign.Status.DRAFT)
    assert client.get(campaign_url(campaign)).status_code == 404


def test_call_markdown_is_sanitized(client):
    campaign = CampaignFactory(call=False)
    CallTranslationFactory(
        campaign=campaign,
        is_original=True,
        body="<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)> **ok**",
        title='<b onmouseover="alert(4)">Title</b>',
    )
    html = client.get(campaign_url(campaign)).content.decode()
    main = html.split("<main", 1)[1]
    assert "<script>alert" not in main
    assert 'href="javascript' not in main
    assert "<img" not in main
    assert "<strong>ok</strong>" in main
    assert "&lt;b onmouseover" in main


def test_campaign_page_query_count_does_not_grow_with_actions(client, django_assert_max_num_queries):
    def queries_for(n_countries):
        campaign = CampaignFactory()
        for code in ["DE", "FR", "KE"][:n_countries]:
            # A host organization of its own, so its name must come with the action, not query by query.
            ActionFactory(campaign=campaign, country=code, host_organization=OrganizationFactory())
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(campaign_url(campaign)).status_code == 200
        return len(captured)

    assert queries_for(1) == queries_for(3)


def test_campaign_page_reads_no_action_row_beyond_those_it_shows(client, django_assert_max_num_queries):
    campaign = CampaignFactory()
    for n in range(30):
        ActionFactory(campaign=campaign, country=["DE", "FR", "KE"][n % 3])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # campaign with translations and days, counts (actions and countries; endorsements), which countries
    # have upcoming actions, their counts, their first actions (ids, then rows)
    with django_assert_max_num_queries(9), CaptureQueriesContext(connection) as captured:
        response = client.get(campaign_url(campaign))

    assert response.status_code == 200
    # No window or grouping over every action: the by-country reads are seeks and LIMITs.
    assert not any("ROW_NUMBER" in query["sql"].upper() for query in captured.captured_queries)
    assert response.content.decode().count('class="action-meta"') == 15  # 5 of each country


def test_home_redirects_to_the_only_campaign(client):
    campaign = CampaignFactory()
    CampaignFactory(status=Campaign.Status.DRAFT)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == campaign_url(campaign)


def test_home_lists_several_campaigns(client):
    CampaignFactory(name="First")
    CampaignFactory(name="Second")
    response = client.get("/")
    assert response.status_code == 200
    assert len(response.context["cards"]) == 2


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_actions_show_local_time_in_their_own_zone(client):
    campaign = CampaignFactory()
    local_start = dt.datetime.combine(campaign.start_date + dt.timedelta(days=2), dt.time(9, 30))
    action = ActionFactory(
        campaign=campaign, city="Kochi", country="JP", timezone="Asia/Tokyo", local_start=local_start
    )
    for url in [campaign_url(campaign), action.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert "09:30" in html, url
        assert "JST" in html, url
        assert f'datetime="{local_start:%Y-%m-%d}T09:30:00+09:00"' in html, url


def test_home_list_query_count_does_not_grow(client):
    """With one campaign the home page redirects to it, so the list is counted at 2 and 3 campaigns."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(n):
        Campaign.objects.all().delete()
        for _ in range(n):
            CampaignFactory()
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/")
        assert len(response.context["cards"]) == n
        return len(captured)

    assert count(2) == count(3)
