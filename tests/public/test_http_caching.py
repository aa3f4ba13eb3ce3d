"""HTTP caching of the action list and the action page: Cache-Control, ETags, 304s, and the list's results
kept in the cache under what shapes them (and nothing a visitor can vary at will)."""

import datetime as dt
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groundswell.actions.models import Action
from groundswell.actions.services import action_approve, action_cancel_by_organizer
from groundswell.core.page_cache import public_changed
from tests.factories import ActionFactory, CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db


def list_url(campaign, query=""):
    return reverse("public:action_list", kwargs={"slug": campaign.slug}) + (f"?{query}" if query else "")


def action_url(action, query=""):
    url = reverse("public:action", kwargs={"slug": action.campaign.slug, "pk": action.pk})
    return url + (f"?{query}" if query else "")


def rendered_results(queries) -> bool:
    """Whether the list's results were read from the database (the query of each country's first actions,
    ``action_first_of_each``)."""
    return any("AS first_0" in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def campaign():
    return CampaignFactory()


@pytest.fixture
def berlin(campaign):
    return ActionFactory(campaign=campaign, title="Berlin vigil")


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, queries


# --- the list -------------------------------------------------------------------------------------------


def test_list_page_may_be_cached_for_a_minute_and_revalidated(client, campaign, berlin):
    response = client.get(list_url(campaign))

    assert response.status_code == 200
    assert {"public", "max-age=60"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert response["ETag"].strip('W/"')
    # One document for every visitor: the language is in the URL, nothing varies on cookies.
    assert "Vary" not in response and not response.cookies

    again, queries = _get(client, list_url(campaign), if_none_match=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == response["ETag"] and "max-age=60" in again["Cache-Control"]
    assert not rendered_results(queries)


def test_list_etag_follows_public_data_language_and_query_only(client, campaign, berlin):
    def etag(query="", **headers):
        return client.get(list_url(campaign, query), headers=headers)["ETag"]

    plain = etag()
    french = etag(accept_language="fr")
    assert len({plain, french, etag("type=vigil"), etag("page=2")}) == 4
    # A submission waiting for moderation is nobody's business: nothing changes.
    pending = ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None)
    assert etag() == plain
    action_approve(actor=UserFactory(is_superuser=True), action=pending)
    approved = etag()
    assert approved != plain
    action_cancel_by_organizer(action=berlin)
    assert etag() not in {plain, approved}


def test_list_results_are_cached_until_the_public_actions_change(client, campaign, berlin):
    first, queries = _get(client, list_url(campaign))
    assert "Berlin vigil" in first.content.decode() and rendered_results(queries)
    # Another visitor (no If-None-Match): the page is rendered, its results come from the cache.
    again, queries = _get(client, list_url(campaign))
    assert again.content == first.content and not rendered_results(queries)

    ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None, title="Waiting")
    _, queries = _get(client, list_url(campaign))
    assert not rendered_results(queries)  # a pending submission keeps the cache

    ActionFactory(campaign=campaign, title="Lyon rally", city="Lyon", country="FR")
    changed, queries = _get(client, list_url(campaign))
    assert "Lyon rally" in changed.content.decode() and rendered_results(queries)
    assert "Waiting" not in changed.content.decode()


def test_list_results_are_keyed_on_what_they_show_not_on_the_url(client, campaign, berlin):
    """Stray parameters, dates beyond the window and pages past the end share the entry of what they
    show, and a cached result never carries one visitor's parameters into another's links."""
    for number in range(13):  # 13 countries: two pages of countries; "See all" links for Germany
        ActionFactory(campaign=campaign, country=["FR", "KE", "BR", "IN", "JP", "MX", "NG", "PE", "PH",
                                                  "PL", "TR", "US", "ZA"][number])  # fmt: skip
    ActionFactory.create_batch(5, campaign=campaign)  # Germany: six actions, five shown
    start, end = campaign.start_date, campaign.end_date
    first, queries = _get(client, list_url(campaign, "utm_source=poster&lang=en"))
    assert rendered_results(queries)
    body = first.content.decode()
    results = body[body.index('id="action-results"') :]
    assert "See all 6 actions in Germany" in results and 'href="?country=DE"' in results
    assert "utm_source" not in results

    for query in ("", "x=1", f"from={start}&to={end}", "from=1900-01-01", "page=0", "page=junk"):
        response, queries = _get(client, list_url(campaign, query))
        assert not rendered_results(queries), query
        assert "Page 1 of 2" in response.content.decode()
    client.get(list_url(campaign, "page=2"))
    for page in ("3", "999999999"):
        response, queries = _get(client, list_url(campaign, f"page={page}"))
        assert not rendered_results(queries), page
        assert "Page 2 of 2" in response.content.decode()


def test_list_text_searches_are_not_cached(client, campaign, berlin):
    for _ in range(2):
        response, queries = _get(client, list_url(campaign, "q=vigil"))
        assert "Berlin vigil" in response.content.decode() and rendered_results(queries)


def test_list_near_search_etag_moves_on_with_time(client, campaign, berlin, monkeypatch):
    url = list_url(campaign, "near=52.52,13.40")
    now = client.get(url)["ETag"]
    assert client.get(url)["ETag"] == now
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(url)["ETag"] != now  # an action that ended in the meantime drops out


# --- the action page ------------------------------------------------------------------------------------


def test_action_page_may_be_cached_for_a_minute_and_revalidated(client, berlin):
    response = client.get(action_url(berlin))

    assert response.status_code == 200
    assert {"public", "max-age=60"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    etag = response["ETag"]
    assert "Vary" not in response and not response.cookies

    again = client.get(action_url(berlin), headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b"" and "max-age=60" in again["Cache-Control"]
    assert client.get(action_url(berlin, "lang=fr"), headers={"if-none-match": etag}).status_code == 200

    Action.objects.filter(pk=berlin.pk).update(
        title="Berlin vigil, moved", updated_at=berlin.updated_at + dt.timedelta(seconds=1)
    )
    public_changed(campaign_slug=berlin.campaign.slug, action_ids=[berlin.pk])  # as the services do
    changed = client.get(action_url(berlin), headers={"if-none-match": etag})
    assert changed.status_code == 200 and "Berlin vigil, moved" in changed.content.decode()
    assert changed["ETag"] != etag


def test_action_page_of_an_action_the_public_may_not_see_is_still_not_found(client, campaign):
    pending = ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None)
    response = client.get(action_url(pending), headers={"if-none-match": "*"})
    assert response.status_code == 404
    assert "ETag" not in response


def test_action_page_reads_the_action_once(client, berlin):
    with CaptureQueriesContext(connection) as queries:
        client.get(action_url(berlin))
    reads = [q for q in queries.captured_queries if 'FROM "actions_action"' in q["sql"]]
    assert len(reads) == 1
