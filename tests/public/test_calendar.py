"""The calendar's lists: filters, pages and the caches of a day's list, and "now". The days themselves (local
dates and times across zones, the window, what is never shown, bad input) are in test_calendar_days.py."""

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groundswell.actions.calendar import calendar_day_listing, calendar_day_page, calendar_days, calendar_now
from groundswell.actions.filters import ActionFilters
from groundswell.actions.models import Action
from groundswell.actions.services import action_cancel_by_organizer
from groundswell.public.views.calendar import NOW_CACHE_SECONDS
from tests.factories import ActionFactory, CampaignFactory, OrganizationFactory
from tests.public.calendar_support import (
    NO_FILTERS,
    action_at,
    calendar_url,
    listed_titles,
    now_url,
    october,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    """7–21 October 2026, days of action on the 12th and 13th."""
    return CampaignFactory(start_date=october(7), end_date=october(21), days=[october(12), october(13)])


# --- filters and pages ---------------------------------------------------------------------------------


def test_filters_narrow_the_day_and_the_counts(client, campaign):
    moment = dt.datetime(2026, 10, 12, 14)
    action_at(campaign, "Europe/Berlin", moment, title="Berlin vigil", action_type="vigil")
    action_at(campaign, "Europe/Berlin", moment, title="Berlin stand")
    action_at(campaign, "Pacific/Auckland", moment, title="Auckland vigil", action_type="vigil")

    html = client.get(calendar_url(campaign, day="2026-10-12", type="vigil")).content.decode()
    assert listed_titles(html) == ["Berlin vigil", "Auckland vigil"]  # both at 14:00: Germany, New Zealand
    assert "Counts follow the filters." in html
    html = client.get(calendar_url(campaign, day="2026-10-12", type="vigil", country="NZ")).content.decode()
    assert listed_titles(html) == ["Auckland vigil"]
    # Links to other days keep the filters.
    assert (
        f'href="/c/{campaign.slug}/calendar/?type=vigil&amp;country=NZ&amp;day=2026-10-13&amp;lang=en#day"'
        in html
    )
    html = client.get(calendar_url(campaign, day="2026-10-12", q="stand")).content.decode()
    assert listed_titles(html) == ["Berlin stand"]
    days = calendar_days(campaign=campaign, filters=ActionFilters(action_type="vigil"), today=october(1))
    assert {d.date: d.count for d in days if d.count} == {october(12): 2}


def test_a_long_day_is_paginated_by_local_time(client, campaign):
    base = dt.datetime(2026, 10, 12, 6)
    for minute in range(101):
        action_at(campaign, "Europe/Berlin", base + dt.timedelta(minutes=minute), title=f"Stand {minute:03d}")

    first = client.get(calendar_url(campaign, day="2026-10-12")).content.decode()
    second = client.get(calendar_url(campaign, day="2026-10-12", page="2")).content.decode()

    assert listed_titles(first) == [f"Stand {n:03d}" for n in range(100)]
    assert listed_titles(second) == ["Stand 100"]
    assert "101 actions" in first and "Page 2 of 2" in second and "Actions 101–101 of 101" in second
    assert '<ol class="cal-actions" start="101">' in second
    page = calendar_day_page(
        campaign=campaign,
        listing=calendar_day_listing(campaign=campaign, filters=NO_FILTERS, day=october(12)),
        page=3,
        per_page=40,
    )
    assert [entry.action.title for entry in page] == [f"Stand {n:03d}" for n in range(80, 101)]


def test_query_count_of_the_day_list_does_not_grow_with_actions(client):
    def queries_for(n: int) -> int:
        campaign = CampaignFactory(start_date=october(7), end_date=october(21), days=[october(12)])
        for i in range(n):
            action_at(
                campaign,
                "Europe/Berlin",
                dt.datetime(2026, 10, 12, 9 + i),
                host_organization=OrganizationFactory(),
            )
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(calendar_url(campaign, day="2026-10-12"))
        assert response.content.decode().count('class="cal-action"') == n
        return len(captured)

    assert queries_for(1) == queries_for(3)


def test_query_count_of_the_now_list_does_not_grow_with_actions(client):
    def queries_for(n: int) -> int:
        campaign = CampaignFactory(
            start_date=timezone.now().date() - dt.timedelta(days=1),
            end_date=timezone.now().date() + dt.timedelta(days=1),
        )
        now = timezone.now()
        for i in range(n):
            ActionFactory(
                campaign=campaign,
                starts_at=now - dt.timedelta(minutes=30 + i),
                ends_at=now + dt.timedelta(hours=1),
                host_organization=OrganizationFactory(),
                country=["DE", "FR", "KE"][i],
            )
            ActionFactory(
                campaign=campaign,
                starts_at=now + dt.timedelta(hours=1, minutes=i),
                ends_at=now + dt.timedelta(hours=2),
                host_organization=OrganizationFactory(),
            )
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            html = client.get(now_url(campaign)).content.decode()
        assert html.count("now it is") == n and html.count("starts at") == n
        return len(captured)

    assert queries_for(1) == queries_for(3)


def test_day_fragment_is_cached_until_actions_change(client, campaign):
    action_at(campaign, "Europe/Berlin", dt.datetime(2026, 10, 12, 14), title="First stand")
    first = client.get(calendar_url(campaign, day="2026-10-12")).content.decode()
    with CaptureQueriesContext(connection) as captured:
        again = client.get(calendar_url(campaign, day="2026-10-12")).content.decode()
    assert again == first and '<ol class="cal-actions"' in again  # served from the cache, not escaped
    assert not any("local_date" in query["sql"] for query in captured.captured_queries)

    action_at(campaign, "Europe/Berlin", dt.datetime(2026, 10, 12, 16), title="Second stand")
    assert listed_titles(client.get(calendar_url(campaign, day="2026-10-12")).content.decode()) == [
        "First stand",
        "Second stand",
    ]


def test_day_fragment_is_cached_per_page_shown_not_per_number_asked(client, campaign):
    """?page=3, ?page=57, ?page=999999 of a two-page day all show page 2: one cache entry, not one each."""
    base = dt.datetime(2026, 10, 12, 6)
    for minute in range(101):
        action_at(campaign, "Europe/Berlin", base + dt.timedelta(minutes=minute), title=f"Stand {minute:03d}")
    for page in ("1", "2"):
        client.get(calendar_url(campaign, day="2026-10-12", page=page))

    for page, titles in (("3", ["Stand 100"]), ("999999", ["Stand 100"]), ("0", None), ("junk", None)):
        with CaptureQueriesContext(connection) as captured:
            html = client.get(calendar_url(campaign, day="2026-10-12", page=page)).content.decode()
        assert listed_titles(html) == (titles or [f"Stand {n:03d}" for n in range(100)]), page
        assert not any("local_date" in query["sql"] for query in captured.captured_queries), page


def test_calendar_pages_in_arabic_are_right_to_left(client, campaign):
    action_at(campaign, "Europe/Berlin", dt.datetime(2026, 10, 12, 14), title="Berlin stand")
    for url in (calendar_url(campaign, day="2026-10-12", lang="ar"), now_url(campaign, lang="ar")):
        response = client.get(url)
        assert response.status_code == 200
        assert '<html lang="ar" dir="rtl">' in response.content.decode()


# --- now --------------------------------------------------------------------------------------------------


def test_now_lists_what_is_on_at_that_moment_and_what_starts_soon(campaign):
    now = dt.datetime(2026, 10, 12, 12, tzinfo=dt.UTC)  # 14:00 in Berlin (CEST)

    def berlin(title, start_hour, end_hour, **fields):
        return action_at(
            campaign,
            "Europe/Berlin",
            dt.datetime(2026, 10, 12, start_hour),
            ends_at=dt.datetime(2026, 10, 12, end_hour, tzinfo=ZoneInfo("Europe/Berlin")),
            title=title,
            **fields,
        )

    berlin("Under way", 13, 16)
    berlin("Starts this minute", 14, 15)
    berlin("Ended this minute", 12, 14)
    berlin("Ended this morning", 9, 11)
    berlin("Pending, under way", 13, 16, status=Action.Status.PENDING, approved_at=None)
    berlin("Starts at five", 17, 18)
    berlin("Starts at six", 18, 19)
    action_at(
        campaign, "Pacific/Honolulu", dt.datetime(2026, 10, 12, 4), title="Honolulu at four"
    )  # 14:00 UTC

    listing = calendar_now(campaign=campaign, filters=NO_FILTERS, now=now)

    happening = {group.code: [entry.action.title for entry in group.actions] for group in listing.happening}
    soon = {group.code: [entry.action.title for entry in group.actions] for group in listing.starting_soon}
    assert happening == {"DE": ["Starts this minute", "Under way"]}  # the one ending first comes first
    assert soon == {"DE": ["Starts at five"], "US": ["Honolulu at four"]}
    assert [group.name for group in listing.starting_soon] == ["Germany", "United States of America"]
    assert listing.happening[0].actions[0].offset == "UTC+2"
    assert listing.happening_total == 2 and listing.starting_soon_total == 2


def test_now_page_shows_local_time_of_each_action(client):
    today = timezone.now().astimezone(dt.UTC).date()
    campaign = CampaignFactory(start_date=today - dt.timedelta(days=2), end_date=today + dt.timedelta(days=2))
    before = timezone.now()
    ActionFactory(
        campaign=campaign,
        title="Berlin picnic",
        starts_at=before - dt.timedelta(hours=1),
        ends_at=before + dt.timedelta(hours=1),
    )
    action_at(
        campaign,
        "Pacific/Auckland",
        (before + dt.timedelta(hours=2)).astimezone(ZoneInfo("Pacific/Auckland")).replace(tzinfo=None),
        title="Auckland sunrise",
    )
    ActionFactory(
        campaign=campaign,
        title="Pending picnic",
        status=Action.Status.PENDING,
        approved_at=None,
        starts_at=before - dt.timedelta(hours=1),
        ends_at=before + dt.timedelta(hours=1),
    )

    html = client.get(now_url(campaign)).content.decode()
    after = timezone.now()

    berlin = ZoneInfo("Europe/Berlin")
    shown = {f"now it is {moment.astimezone(berlin):%H:%M} in Europe/Berlin" for moment in (before, after)}
    assert any(text in html for text in shown)
    assert "Berlin picnic" in html and "Auckland sunrise" in html and "Pending picnic" not in html
    assert html.index("Berlin picnic") < html.index('id="soon-title"') < html.index("Auckland sunrise")
    assert 'id="now-DE"' in html and 'id="soon-NZ"' in html
    assert "max-age=30" in client.get(now_url(campaign))["Cache-Control"]


def test_now_page_says_when_nothing_is_happening(client, campaign):
    html = client.get(now_url(campaign)).content.decode()
    assert "Nothing is happening at this moment" in html


def test_now_page_is_cached_briefly(client):
    today = timezone.now().astimezone(dt.UTC).date()
    campaign = CampaignFactory(start_date=today - dt.timedelta(days=2), end_date=today + dt.timedelta(days=2))
    now = timezone.now()

    def happening(title):
        return ActionFactory(
            campaign=campaign,
            title=title,
            starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(hours=1),
        )

    def page() -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            html = client.get(now_url(campaign)).content.decode()
        return html, [query["sql"] for query in captured.captured_queries]

    def rendered(queries) -> bool:
        return any("ends_at" in sql for sql in queries)

    early = happening("Early bird")
    if time.time() % NOW_CACHE_SECONDS > NOW_CACHE_SECONDS - 5:  # start well inside one 30-second slot
        time.sleep(NOW_CACHE_SECONDS - time.time() % NOW_CACHE_SECONDS + 0.1)
    html, queries = page()
    assert "Early bird" in html and rendered(queries)
    html, queries = page()
    assert "Early bird" in html and not rendered(queries)  # nothing changed: from the cache
    # A submission waiting for moderation changes nothing the public sees: still from the cache.
    ActionFactory(
        campaign=campaign,
        status=Action.Status.PENDING,
        approved_at=None,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
    )
    assert not rendered(page()[1])
    # An approval or a cancellation shows at once, not half a minute later.
    happening("Latecomer")
    html, queries = page()
    assert "Latecomer" in html and rendered(queries)
    action_cancel_by_organizer(action=early)
    html, queries = page()
    assert "Early bird" not in html and "Latecomer" in html and rendered(queries)


def test_now_page_keeps_type_country_and_text_filters(client):
    today = timezone.now().astimezone(dt.UTC).date()
    campaign = CampaignFactory(start_date=today - dt.timedelta(days=2), end_date=today + dt.timedelta(days=2))
    now = timezone.now()
    for title, action_type in (("Silent vigil", "vigil"), ("Loud rally", "rally")):
        ActionFactory(
            campaign=campaign,
            title=title,
            action_type=action_type,
            starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(hours=1),
        )
    html = client.get(now_url(campaign, type="vigil")).content.decode()
    assert "Silent vigil" in html and "Loud rally" not in html
    assert (
        f'href="/c/{campaign.slug}/calendar/?type=vigil&amp;lang=en"' in html
    )  # the way back keeps the filter
