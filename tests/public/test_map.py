"""How the map's data is delivered: ETags and 304, the cache and what it is keyed on, gzip, one build at a
time, limits per client. What the data and the map show is in test_map_content.py."""

import datetime as dt
import gzip
import json
import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groundswell.actions.models import Action
from groundswell.actions.services import action_approve
from groundswell.core.page_cache import public_changed
from tests.factories import ActionFactory, CampaignFactory, UserFactory, grant
from tests.public.map_support import data_url, decoded, get_data

pytestmark = pytest.mark.django_db


def test_map_data_answers_304_to_a_known_etag(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    first, _ = get_data(client, campaign)
    etag = first["ETag"]
    assert etag.startswith('W/"')
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    assert "stale-while-revalidate" in first["Cache-Control"]

    again = client.get(data_url(campaign), headers={"if-none-match": etag})
    strong = client.get(data_url(campaign), headers={"if-none-match": etag.removeprefix("W/")})
    other = client.get(data_url(campaign), headers={"if-none-match": '"something-else"'})

    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert strong.status_code == 304
    assert other.status_code == 200


def test_map_data_etag_changes_when_an_action_is_approved(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    pending = ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None)
    moderator = UserFactory()
    grant(moderator, campaign, "moderator")
    before, data_before = get_data(client, campaign)

    action_approve(actor=moderator, action=pending)
    after = client.get(data_url(campaign), headers={"if-none-match": before["ETag"]})

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    data_after = json.loads(after.content)
    assert data_before["n"] == 1 and data_after["n"] == 2
    assert pending.pk in [row["id"] for row in decoded(data_after)]


def test_map_data_etag_depends_on_filters_and_language(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    plain = get_data(client, campaign)[0]["ETag"]
    vigils = get_data(client, campaign, "type=vigil&country=de")[0]["ETag"]
    # The same filters written differently are the same data.
    same = get_data(client, campaign, "country=DE&type=vigil&q=")[0]["ETag"]
    french = get_data(client, campaign, "lang=fr")[0]["ETag"]

    assert len({plain, vigils, french}) == 3
    assert same == vigils


def test_map_data_label_follows_the_language(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    _, english = get_data(client, campaign, "lang=en")
    _, french = get_data(client, campaign, "lang=fr")
    assert english["label"] == "1 action shown"
    assert french["label"] == "1 action affichée"


def test_map_data_is_served_gzipped_to_clients_that_accept_it(client):
    campaign = CampaignFactory()
    ActionFactory.create_batch(5, campaign=campaign)
    plain, data = get_data(client, campaign)

    zipped = client.get(data_url(campaign), headers={"accept-encoding": "gzip, deflate, br"})

    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert json.loads(gzip.decompress(zipped.content)) == data
    assert "Content-Encoding" not in plain


def test_map_data_is_cached_until_an_action_changes(client):
    campaign = CampaignFactory()
    action = ActionFactory(campaign=campaign)
    get_data(client, campaign)

    with CaptureQueriesContext(connection) as cached:
        get_data(client, campaign)
    Action.objects.filter(pk=action.pk).update(
        title="Renamed", updated_at=action.updated_at + dt.timedelta(1)
    )
    public_changed(campaign_slug=campaign.slug, action_ids=[action.pk])  # as the services do
    with CaptureQueriesContext(connection) as changed:
        _, data = get_data(client, campaign)

    assert not any("public_latitude" in query["sql"] for query in cached.captured_queries)
    assert any("public_latitude" in query["sql"] for query in changed.captured_queries)
    assert data["n"] == 1


def test_map_data_waits_for_a_build_already_in_progress(client):
    """Right after a change, one request builds the data and the others wait for it instead of all
    building 100,000 actions at once."""
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    key = "map-data:" + get_data(client, campaign)[0]["ETag"].removeprefix('W/"map-').removesuffix('"')
    cache.clear()
    assert cache.add(f"{key}:building", 1)  # someone else is building it
    built_elsewhere = gzip.compress(b'{"n": 0, "built": "elsewhere"}')

    def finish_elsewhere():
        time.sleep(0.3)
        cache.set(key, built_elsewhere)

    other = threading.Thread(target=finish_elsewhere)
    other.start()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(data_url(campaign))
    other.join()

    assert json.loads(response.content) == {"n": 0, "built": "elsewhere"}
    assert not any("public_latitude" in query["sql"] for query in queries.captured_queries)


def test_map_data_version_is_opaque(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    ActionFactory.create_batch(4, campaign=campaign, status=Action.Status.PENDING, approved_at=None)

    response, data = get_data(client, campaign)

    assert data["v"] in response["ETag"]
    assert f"{campaign.pk}-5-" not in data["v"] and "-5-" not in response["ETag"]


# --- what the data's cache and ETag are keyed on ----------------------------------------------------------


@pytest.fixture
def format_tag():
    """map.py keeps the format tag for the life of the process; these tests change what goes into it."""
    from groundswell.public.views import map as map_views

    map_views._format_tag.cache_clear()
    yield map_views
    map_views._format_tag.cache_clear()


def test_map_data_dates_beyond_the_window_make_no_new_keys(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    start, end = campaign.start_date, campaign.end_date
    before, after = start - dt.timedelta(days=1), end + dt.timedelta(days=1)

    def etag_and_count(query):
        response, data = get_data(client, campaign, query)
        return response["ETag"], data["n"]

    everything = etag_and_count("")
    assert etag_and_count(f"from={start}") == everything
    assert etag_and_count(f"to={end}") == everything
    assert etag_and_count("from=1900-01-01&to=2999-12-31") == everything
    nothing_after = etag_and_count(f"from={after}")
    assert nothing_after[1] == 0 and nothing_after != everything
    assert etag_and_count("from=2999-12-31") == etag_and_count("from=2500-06-01") == nothing_after
    nothing_before = etag_and_count(f"to={before}")
    assert nothing_before[1] == 0
    assert etag_and_count("to=1900-01-01") == etag_and_count("day=1000-01-01") == nothing_before
    # Inside the window the dates still count.
    assert etag_and_count(f"from={start + dt.timedelta(days=1)}")[0] != everything[0]


def test_map_data_of_a_text_search_is_never_stored_in_the_cache(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign, title="Vigil at the harbour")
    plain = get_data(client, campaign)[0]
    searched = get_data(client, campaign, "q=harbour")[0]

    def key(response):
        return "map-data:" + response["ETag"].removeprefix('W/"map-').removesuffix('"')

    assert cache.get(key(plain)) is not None
    assert cache.get(key(searched)) is None
    with CaptureQueriesContext(connection) as again:
        _, data = get_data(client, campaign, "q=harbour")
    assert data["n"] == 1
    assert any("public_latitude" in query["sql"] for query in again.captured_queries)  # built again


def _early_in_a_minute():
    """Rate limits count in fixed windows: start a test that counts to a limit well inside one."""
    if time.time() % 60 > 55:
        time.sleep(60 - time.time() % 60 + 0.1)


def test_map_data_builds_are_limited_per_client(client, settings):
    settings.MAP_BUILDS_PER_MINUTE = 3
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign, title="Vigil at the harbour")
    _early_in_a_minute()
    get_data(client, campaign)  # one build, then cached

    for word in ("vigil", "harbour"):  # searches are built every time
        get_data(client, campaign, f"q={word}")
    refused = client.get(data_url(campaign, "q=at"))

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Cache-Control"] == "no-store"
    assert json.loads(refused.content) == {"error": "too_many_requests"}
    # What is in the cache is still served, and other clients may still build.
    assert client.get(data_url(campaign)).status_code == 200
    assert client.get(data_url(campaign, "q=at"), REMOTE_ADDR="192.0.2.7").status_code == 200


@pytest.mark.parametrize(
    ("accept_encoding", "gzipped"),
    [
        ("gzip", True),
        ("GZIP", True),
        ("deflate, Gzip;q=0.5, br", True),
        ("x-gzip", True),
        ("*", True),
        ("br;q=1, *;q=0.1", True),
        ("gzip;q=0", False),
        ("gzip; q=0.000, deflate", False),
        ("*;q=1, gzip;q=0", False),
        ("*;q=0", False),
        ("gzips, notgzip", False),
        ("gzip;q=nonsense", False),
        ("identity", False),
        ("", False),
    ],
)
def test_map_data_reads_accept_encoding_properly(client, accept_encoding, gzipped):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)

    response = client.get(data_url(campaign), headers={"accept-encoding": accept_encoding})

    assert response.status_code == 200
    assert (response.get("Content-Encoding") == "gzip") is gzipped
    body = gzip.decompress(response.content) if gzipped else response.content
    assert json.loads(body)["n"] == 1


def test_map_data_etag_changes_with_the_data_format_and_the_script(client, format_tag, monkeypatch):
    """After a deploy that changes the data's format or map.js, no browser is told its old body is good."""
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    old = get_data(client, campaign)[0]["ETag"]

    monkeypatch.setattr(format_tag, "MAP_DATA_FORMAT", format_tag.MAP_DATA_FORMAT + 1)
    format_tag._format_tag.cache_clear()
    response = client.get(data_url(campaign), headers={"if-none-match": old})
    assert response.status_code == 200 and response["ETag"] != old
    new_format = response["ETag"]

    monkeypatch.setattr(format_tag.staticfiles_storage, "url", lambda name: f"/static/{name}.0a1b2c3d")
    format_tag._format_tag.cache_clear()
    response = client.get(data_url(campaign), headers={"if-none-match": new_format})
    assert response.status_code == 200 and response["ETag"] not in {old, new_format}
