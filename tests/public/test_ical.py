"""iCalendar output: one action's .ics and the campaign's and a country's feeds, read back with icalendar the
way a calendar app reads them. Times in the action's own zone with its VTIMEZONE, public actions only, the
public point only, and the feeds cached by the public data version."""

import datetime as dt
import gzip
import time

import icalendar
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.actions.services import action_approve
from groundswell.core.page_cache import public_changed
from groundswell.core.privacy import hash_token
from groundswell.public.views import feeds
from tests.factories import (
    ActionFactory,
    CallTranslationFactory,
    CampaignFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BASE_URL = "https://actions.example.org"
HOST = "actions.example.org"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE_URL


# --- helpers, also used by the other test_ical_* modules -------------------------------------------------


def action_ics_url(action) -> str:
    return reverse("public:action_ics", kwargs={"slug": action.campaign.slug, "pk": action.pk})


def campaign_feed_url(campaign, query: str = "") -> str:
    url = reverse("public:campaign_ics", kwargs={"slug": campaign.slug})
    return url + (f"?{query}" if query else "")


def country_feed_url(campaign, country: str, query: str = "") -> str:
    url = reverse("public:country_ics", kwargs={"slug": campaign.slug, "country": country})
    return url + (f"?{query}" if query else "")


def body_of(response) -> bytes:
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content)
    return response.content


def read(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(body_of(response))


def events(calendar) -> dict[int, icalendar.Event]:
    """The calendar's events by action id (from their UIDs, which must all have our form)."""
    found = {}
    for event in calendar.walk("VEVENT"):
        local, _, host = str(event["UID"]).partition("@")
        assert host == HOST and local.startswith("action-")
        found[int(local.removeprefix("action-"))] = event
    return found


def utc_offset(calendar, tzid: str, local: dt.datetime) -> dt.timedelta:
    """The offset the calendar's own VTIMEZONE gives a local time (its definition, not the zone's name)."""
    (component,) = [tz for tz in calendar.walk("VTIMEZONE") if str(tz["TZID"]) == tzid]
    return local.replace(tzinfo=component.to_tz(lookup_tzid=False)).utcoffset()


def new_york_action(campaign, start: dt.datetime, end: dt.datetime, **fields):
    return ActionFactory(
        campaign=campaign,
        timezone="America/New_York",
        local_start=start,
        ends_at=end.replace(tzinfo=dt.UTC),
        city="New York",
        country="US",
        latitude=40.71,
        longitude=-74.0,
        **fields,
    )


# --- times and zones -------------------------------------------------------------------------------------


def test_action_ics_tokyo_action_starts_at_its_local_time_in_its_own_zone(client):
    action = ActionFactory(
        timezone="Asia/Tokyo",
        city="Tokyo",
        country="JP",
        latitude=35.69,
        longitude=139.7,
        local_start=dt.datetime(2026, 10, 12, 19, 0),
    )

    response = client.get(action_ics_url(action))
    calendar = read(response)

    assert response["Content-Disposition"] == f'attachment; filename="action-{action.pk}.ics"'
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert event["DTEND"].params["TZID"] == "Asia/Tokyo"
    assert b"DTSTART;TZID=Asia/Tokyo:20261012T190000" in response.content
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (19, 0)
    assert start == dt.datetime(2026, 10, 12, 10, 0, tzinfo=dt.UTC)
    assert event.decoded("DTEND") - start == dt.timedelta(hours=2)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert utc_offset(calendar, "Asia/Tokyo", dt.datetime(2026, 10, 12, 19)) == dt.timedelta(hours=9)


def test_feed_new_york_actions_keep_local_times_across_the_dst_change(client):
    campaign = CampaignFactory()
    before = new_york_action(
        campaign, dt.datetime(2026, 10, 31, 19), dt.datetime(2026, 11, 1, 1), title="Saturday vigil"
    )
    after = new_york_action(
        campaign, dt.datetime(2026, 11, 7, 19), dt.datetime(2026, 11, 8, 2), title="Next Saturday vigil"
    )
    # 00:30 EDT to 03:30 EST: the clocks go back at 02:00, so four hours pass.
    overnight = new_york_action(
        campaign, dt.datetime(2026, 11, 1, 0, 30), dt.datetime(2026, 11, 1, 8, 30), title="Overnight watch"
    )

    calendar = read(client.get(campaign_feed_url(campaign)))
    found = events(calendar)

    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    for action in (before, after):
        start = found[action.pk].decoded("DTSTART")
        assert found[action.pk]["DTSTART"].params["TZID"] == "America/New_York"
        assert (start.hour, start.minute) == (19, 0)
    assert found[before.pk].decoded("DTSTART") == dt.datetime(2026, 10, 31, 23, 0, tzinfo=dt.UTC)
    assert found[after.pk].decoded("DTSTART") == dt.datetime(2026, 11, 8, 0, 0, tzinfo=dt.UTC)
    start, end = found[overnight.pk].decoded("DTSTART"), found[overnight.pk].decoded("DTEND")
    assert (start.hour, start.minute, end.hour, end.minute) == (0, 30, 3, 30)
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(
        hours=4
    )  # same tzinfo: wall clock
    # The VTIMEZONE itself (not only the zone's name) knows both offsets.
    assert utc_offset(calendar, "America/New_York", dt.datetime(2026, 10, 31, 19)) == dt.timedelta(hours=-4)
    assert utc_offset(calendar, "America/New_York", dt.datetime(2026, 11, 7, 19)) == dt.timedelta(hours=-5)


def test_feed_has_one_vtimezone_for_every_zone_used(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)  # Europe/Berlin
    ActionFactory(campaign=campaign, timezone="Africa/Nairobi", city="Nairobi", country="KE")
    ActionFactory(campaign=campaign, timezone="America/Sao_Paulo", city="São Paulo", country="BR")
    ActionFactory(campaign=campaign, timezone="UTC", city="Reykjavík", country="IS")

    calendar = read(client.get(campaign_feed_url(campaign)))

    used = {
        event[prop].params["TZID"]
        for event in calendar.walk("VEVENT")
        for prop in ("DTSTART", "DTEND")
        if "TZID" in event[prop].params
    }
    assert used == {"Europe/Berlin", "Africa/Nairobi", "America/Sao_Paulo"}
    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == sorted(used)
    # UTC is written with a Z and needs no VTIMEZONE.
    (utc_event,) = [e for e in calendar.walk("VEVENT") if "TZID" not in e["DTSTART"].params]
    assert utc_event.decoded("DTSTART").utcoffset() == dt.timedelta(0)


# --- what an event says ----------------------------------------------------------------------------------


def test_event_has_stable_uid_page_url_and_plain_text_description(client):
    action = ActionFactory(
        description="We test **every tap** on [the square](https://example.org/square).\n\nBring a bottle.",
        host_name="River Friends Association",
        online_url="https://meet.example.org/water",
    )
    page = f"{BASE_URL}/c/{action.campaign.slug}/actions/{action.pk}/"

    # The links come from GROUNDSWELL_BASE_URL whatever Host the request names.
    (event,) = read(client.get(action_ics_url(action), HTTP_HOST="localhost")).walk("VEVENT")

    assert event["UID"] == f"action-{action.pk}@{HOST}"
    assert event["URL"] == page
    assert event["SUMMARY"] == action.title
    assert event["STATUS"] == "CONFIRMED"
    assert event["LOCATION"] == "Market square, Berlin, Germany"
    assert event.decoded("DTSTAMP") == action.updated_at.replace(microsecond=0)
    description = str(event["DESCRIPTION"])
    assert "We test every tap on the square. Bring a bottle." in description
    assert "**" not in description and "](" not in description
    assert "River Friends Association" in description
    assert "https://meet.example.org/water" in description
    assert description.rstrip().endswith(page)
    assert "localhost" not in body_of(client.get(action_ics_url(action), HTTP_HOST="localhost")).decode()


def test_event_sequence_grows_when_the_action_changes_and_uid_stays(client):
    action = ActionFactory()
    (first,) = read(client.get(action_ics_url(action))).walk("VEVENT")
    Action.objects.filter(pk=action.pk).update(
        title="Water info stand, new time", updated_at=timezone.now() + dt.timedelta(minutes=5)
    )
    public_changed(campaign_slug=action.campaign.slug, action_ids=[action.pk])  # as the services do

    (second,) = read(client.get(action_ics_url(action))).walk("VEVENT")

    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])
    assert second["UID"] == first["UID"]
    assert second["SUMMARY"] == "Water info stand, new time"
    assert second.decoded("DTSTAMP") > first.decoded("DTSTAMP")


def test_cancelled_action_is_status_cancelled_in_its_ics_and_the_feeds(client):
    campaign = CampaignFactory()
    action = ActionFactory(campaign=campaign, status=Action.Status.CANCELLED, title="Riverside vigil")

    outputs = [
        client.get(action_ics_url(action)),
        client.get(campaign_feed_url(campaign)),
        client.get(country_feed_url(campaign, "DE")),
    ]

    for response in outputs:
        event = events(read(response))[action.pk]
        assert event["STATUS"] == "CANCELLED"
        assert event["SUMMARY"] == "Cancelled: Riverside vigil"
        assert str(event["DESCRIPTION"]).startswith("This action has been cancelled.")


@pytest.mark.parametrize(
    ("status", "approved_at"),
    [
        (Action.Status.PENDING, None),
        (Action.Status.REJECTED, None),
        (Action.Status.CANCELLED, None),  # withdrawn before a moderator ever approved it
        (Action.Status.PENDING, dt.datetime(2026, 9, 20, tzinfo=dt.UTC)),  # an edit sent back to moderation
    ],
)
def test_non_public_action_appears_in_no_output(client, status, approved_at):
    campaign = CampaignFactory()
    shown = ActionFactory(campaign=campaign)
    hidden = ActionFactory(campaign=campaign, status=status, approved_at=approved_at, title="Not yet public")

    assert client.get(action_ics_url(hidden)).status_code == 404
    for url in (campaign_feed_url(campaign), country_feed_url(campaign, "de")):
        response = client.get(url)
        assert set(events(read(response))) == {shown.pk}
        assert b"Not yet public" not in body_of(response)


def test_feeds_and_ics_of_an_unpublished_campaign_give_404(client):
    campaign = CampaignFactory(status="draft")
    action = ActionFactory(campaign=campaign)

    for url in (action_ics_url(action), campaign_feed_url(campaign), country_feed_url(campaign, "DE")):
        assert client.get(url).status_code == 404, url


def test_action_ics_answers_304_to_its_etag_until_the_action_changes(client):
    action = ActionFactory()
    first = client.get(action_ics_url(action))

    again = client.get(action_ics_url(action), HTTP_IF_NONE_MATCH=first["ETag"])
    Action.objects.filter(pk=action.pk).update(updated_at=timezone.now() + dt.timedelta(minutes=1))
    public_changed(campaign_slug=action.campaign.slug, action_ids=[action.pk])  # as the services do
    changed = client.get(action_ics_url(action), HTTP_IF_NONE_MATCH=first["ETag"])

    assert "public" in first["Cache-Control"] and first["ETag"]
    assert again.status_code == 304 and again.content == b""
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_action_ics_of_another_campaigns_action_gives_404(client):
    action = ActionFactory()
    other = CampaignFactory()

    url = reverse("public:action_ics", kwargs={"slug": other.slug, "pk": action.pk})

    assert client.get(url).status_code == 404


# --- privacy ---------------------------------------------------------------------------------------------

EXACT_POINT = (52.512345, 13.398765)
SECRET_VENUE = "Back door of number 12"
SECRET_EMAIL = "hidden.organizer@private.example.net"


def exact_point_forms() -> list[str]:
    return [f"{value:.{decimals}f}" for value in EXACT_POINT for decimals in (6, 5, 4)]


@pytest.mark.parametrize("precision", [Action.Precision.ABOUT_1KM, Action.Precision.CITY])
def test_outputs_carry_the_public_point_never_the_exact_point_venue_or_contact(client, precision):
    campaign = CampaignFactory()
    action = ActionFactory(
        campaign=campaign,
        location_precision=precision,
        venue=SECRET_VENUE,
        latitude=EXACT_POINT[0],
        longitude=EXACT_POINT[1],
        contact_email=SECRET_EMAIL,
        edit_token_hash=hash_token("privacy-test-action"),
        host_organization=OrganizationFactory(contact_email="org.contact@private.example.net"),
    )
    public = (action.public_latitude, action.public_longitude)
    assert public != EXACT_POINT

    for url in (action_ics_url(action), campaign_feed_url(campaign), country_feed_url(campaign, "de")):
        response = client.get(url)
        event = events(read(response))[action.pk]
        assert event.decoded("GEO") == public, url
        assert event["LOCATION"] == "Berlin, Germany"
        text = body_of(response).decode()
        # Once the public point is taken out, nothing of the exact one is left anywhere.
        rest = text.replace(f"GEO:{public[0]};{public[1]}", "GEO:")
        leaked = [form for form in exact_point_forms() if form in rest]
        assert not leaked, (url, leaked)
        assert SECRET_VENUE not in text
        assert "private.example.net" not in text


def test_exact_precision_shows_the_venue_and_the_exact_point(client):
    """The other side of the privacy test: with "exact" the venue and point are public, and shown."""
    action = ActionFactory(
        location_precision=Action.Precision.EXACT,
        venue=SECRET_VENUE,
        latitude=EXACT_POINT[0],
        longitude=EXACT_POINT[1],
    )

    (event,) = read(client.get(action_ics_url(action))).walk("VEVENT")

    assert event["LOCATION"] == f"{SECRET_VENUE}, Berlin, Germany"
    assert event.decoded("GEO") == EXACT_POINT


# --- the feeds -------------------------------------------------------------------------------------------


def test_country_feed_holds_only_that_country_whatever_the_case(client):
    campaign = CampaignFactory()
    berlin = ActionFactory(campaign=campaign)
    munich = ActionFactory(campaign=campaign, city="Munich")
    tokyo = ActionFactory(campaign=campaign, timezone="Asia/Tokyo", city="Tokyo", country="JP")

    germany = read(client.get(country_feed_url(campaign, "de")))
    japan = read(client.get(country_feed_url(campaign, "JP")))
    everything = read(client.get(campaign_feed_url(campaign)))

    assert set(events(germany)) == {berlin.pk, munich.pk}
    assert set(events(japan)) == {tokyo.pk}
    assert set(events(everything)) == {berlin.pk, munich.pk, tokyo.pk}
    assert germany["X-WR-CALNAME"] == "Clean water for every neighbourhood (Germany)"
    assert everything["X-WR-CALNAME"] == "Clean water for every neighbourhood"
    assert str(germany["UID"]) != str(everything["UID"])


def test_country_feed_of_a_country_without_actions_is_an_empty_calendar(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)

    calendar = read(client.get(country_feed_url(campaign, "KE")))

    assert calendar.walk("VEVENT") == [] and calendar.walk("VTIMEZONE") == []
    assert "Kenya" in str(calendar["X-WR-CALNAME"])


@pytest.mark.parametrize("country", ["zz", "XX", "deu", "d3", "12", "é"])
def test_country_feed_of_an_unknown_country_gives_404_with_a_message(client, country):
    campaign = CampaignFactory()

    response = client.get(country_feed_url(campaign, country))

    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "two-letter ISO 3166 code" in response.content.decode()


def test_feeds_say_how_often_to_refresh_and_the_single_ics_does_not(client):
    action = ActionFactory()

    feed = read(client.get(campaign_feed_url(action.campaign)))
    single = read(client.get(action_ics_url(action)))

    assert feed["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert feed.decoded("REFRESH-INTERVAL") == dt.timedelta(hours=1)
    assert feed["X-PUBLISHED-TTL"] == "PT1H"  # an extension: read as text
    assert feed["METHOD"] == "PUBLISH"
    assert "REFRESH-INTERVAL" not in single and "X-WR-CALNAME" not in single


def test_feed_calendar_name_and_places_follow_the_language(client):
    campaign = CampaignFactory()
    CallTranslationFactory(campaign=campaign, language="fr", title="De l’eau propre pour chaque quartier")
    action = ActionFactory(campaign=campaign)

    english = read(client.get(country_feed_url(campaign, "de")))
    french = read(client.get(country_feed_url(campaign, "de", "lang=fr")))

    assert english["X-WR-CALNAME"] == "Clean water for every neighbourhood (Germany)"
    assert str(french["X-WR-CALNAME"]).startswith("De l’eau propre pour chaque quartier")
    assert "Allemagne" in str(french["X-WR-CALNAME"])
    assert events(french)[action.pk]["LOCATION"] == "Market square, Berlin, Allemagne"
    assert events(english)[action.pk]["LOCATION"] == "Market square, Berlin, Germany"


def test_feed_answers_304_to_its_etag_and_changes_only_with_public_data(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    url = campaign_feed_url(campaign)

    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    stripped = client.get(url, HTTP_IF_NONE_MATCH=etag.removeprefix("W/"))

    assert {"public", "max-age=60"} <= {part.strip() for part in first["Cache-Control"].split(",")}
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "public" in again["Cache-Control"]
    assert stripped.status_code == 304
    # A submission waiting for moderation changes nothing public.
    pending = ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None)
    assert client.get(url)["ETag"] == etag
    action_approve(actor=UserFactory(is_superuser=True), action=pending)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert pending.pk in events(read(changed))


def test_feed_is_built_once_per_data_version_and_served_from_the_cache(client):
    campaign = CampaignFactory()
    action = ActionFactory(campaign=campaign, title="Original title")
    url = campaign_feed_url(campaign)
    read(client.get(url))
    # Changed behind the services' back (they would say so: public_changed): the cached feed is served.
    Action.objects.filter(pk=action.pk).update(title="Quietly renamed")

    with CaptureQueriesContext(connection) as cached_queries:
        cached = client.get(url)
    Action.objects.filter(pk=action.pk).update(updated_at=timezone.now() + dt.timedelta(minutes=1))
    public_changed(campaign_slug=campaign.slug)
    rebuilt = client.get(url)

    assert events(read(cached))[action.pk]["SUMMARY"] == "Original title"
    listed = [
        q["sql"]
        for q in cached_queries.captured_queries
        if "actions_action" in q["sql"] and "ORDER BY" in q["sql"]
    ]
    assert not listed, listed
    assert events(read(rebuilt))[action.pk]["SUMMARY"] == "Quietly renamed"


def test_feed_is_gzipped_for_clients_that_accept_it(client):
    campaign = CampaignFactory()
    action = ActionFactory(campaign=campaign)

    zipped = client.get(campaign_feed_url(campaign), HTTP_ACCEPT_ENCODING="gzip, deflate")
    plain = client.get(campaign_feed_url(campaign))

    assert zipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert set(events(read(zipped))) == {action.pk}


def test_feed_query_count_is_the_same_for_one_and_three_actions(client):
    one = CampaignFactory()
    ActionFactory(campaign=one)
    three = CampaignFactory()
    ActionFactory(campaign=three, host_organization=OrganizationFactory())
    ActionFactory(campaign=three, timezone="Asia/Tokyo", city="Tokyo", country="JP")
    ActionFactory(campaign=three, status=Action.Status.CANCELLED, host_organization=OrganizationFactory())

    counts = []
    for campaign, size in ((one, 1), (three, 3)):
        with CaptureQueriesContext(connection) as queries:
            assert len(events(read(client.get(campaign_feed_url(campaign))))) == size
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


def must_not_build():
    raise AssertionError("built a feed that should have come from the cache")


def test_feed_being_built_elsewhere_is_answered_with_the_last_one_built():
    feeds._cached_feed(variant="version-1", shape="shape", build=lambda: b"the first feed")
    cache.add("ics-feed-building:shape", 1)  # another request is building the feed of newer data

    variant, compressed, body = feeds._cached_feed(variant="version-2", shape="shape", build=must_not_build)

    assert variant == "version-1" and body is None
    assert gzip.decompress(compressed) == b"the first feed"


def test_feed_whose_build_was_slow_waits_before_the_next_build():
    feeds._cached_feed(variant="version-1", shape="shape", build=lambda: b"the first feed")
    latest = cache.get("ics-feed-latest:shape")
    cache.set("ics-feed-latest:shape", {**latest, "seconds": 60})  # as if it had taken a minute

    served = feeds._cached_feed(variant="version-2", shape="shape", build=must_not_build)
    cache.set("ics-feed-latest:shape", {**latest, "seconds": 60, "built_at": time.time() - 601})
    rebuilt = feeds._cached_feed(variant="version-2", shape="shape", build=lambda: b"the second feed")

    assert served[0] == "version-1"
    assert rebuilt[0] == "version-2" and rebuilt[2] == b"the second feed"


def test_feed_quick_to_build_is_rebuilt_as_soon_as_the_data_changes():
    feeds._cached_feed(variant="version-1", shape="shape", build=lambda: b"the first feed")

    variant, _compressed, body = feeds._cached_feed(
        variant="version-2", shape="shape", build=lambda: b"the second feed"
    )

    assert (variant, body) == ("version-2", b"the second feed")


def test_feed_being_built_for_the_first_time_elsewhere_asks_to_retry(client, monkeypatch):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    shape = feeds._feed_shape(campaign=campaign, country="", name="Clean water for every neighbourhood")
    cache.add(f"ics-feed-building:{shape}", 1)  # another request is building it; nothing built before
    monkeypatch.setattr(feeds, "BUILD_WAIT_SECONDS", 0.3)
    url = campaign_feed_url(campaign)

    response = client.get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == "60" and response["Cache-Control"] == "no-store"
    cache.delete(f"ics-feed-building:{shape}")
    assert client.get(url).status_code == 200
