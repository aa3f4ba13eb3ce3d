"""The calendar: days by local date, actions by local start time, the world span of a day, and "now"."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groundswell.actions.calendar import (
    calendar_day_listing,
    calendar_day_page,
    calendar_days,
    calendar_default_day,
    calendar_now,
    utc_offset_label,
    world_span,
)
from groundswell.actions.filters import ActionFilters
from groundswell.actions.models import Action
from tests.factories import ActionFactory, CampaignFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

PLACES = {
    "Pacific/Auckland": ("Auckland", "NZ", -36.85, 174.76),
    "Pacific/Honolulu": ("Honolulu", "US", 21.31, -157.86),
    "Europe/Berlin": ("Berlin", "DE", 52.52, 13.41),
    "Asia/Kolkata": ("Mumbai", "IN", 19.07, 72.88),
}
NO_FILTERS = ActionFilters()


def october(day: int) -> dt.date:
    return dt.date(2026, 10, day)


@pytest.fixture
def campaign():
    """7–21 October 2026, days of action on the 12th and 13th."""
    return CampaignFactory(start_date=october(7), end_date=october(21), days=[october(12), october(13)])


def action_at(campaign, zone: str, local_start: dt.datetime, **fields) -> Action:
    city, country, latitude, longitude = PLACES[zone]
    return ActionFactory(
        campaign=campaign,
        timezone=zone,
        local_start=local_start,
        city=city,
        country=country,
        latitude=latitude,
        longitude=longitude,
        **fields,
    )


def calendar_url(campaign, **query) -> str:
    url = reverse("public:calendar", kwargs={"slug": campaign.slug})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def now_url(campaign, **query) -> str:
    url = reverse("public:calendar_now", kwargs={"slug": campaign.slug})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def chosen_day(html: str) -> str:
    """The date of the grid cell marked as shown."""
    match = re.search(r'<li class="cal-day[^"]*cal-day--chosen[^"]*" data-date="([\d-]+)"', html)
    assert match, "no day is marked as shown"
    return match.group(1)


def listed_titles(html: str) -> list[str]:
    day_panel = html[html.index('id="day"') :]
    return re.findall(r'<a href="/c/[^"]+/actions/\d+/" dir="auto">([^<]+)</a>', day_panel)


# --- one day, ordered by local time -----------------------------------------------------------------------


def test_auckland_and_honolulu_actions_share_the_12th_and_sort_by_local_time(campaign):
    late_auckland = action_at(
        campaign, "Pacific/Auckland", dt.datetime(2026, 10, 12, 23, 30), title="AKL 23:30"
    )
    morning_auckland = action_at(
        campaign, "Pacific/Auckland", dt.datetime(2026, 10, 12, 8), title="AKL 08:00"
    )
    morning_honolulu = action_at(
        campaign, "Pacific/Honolulu", dt.datetime(2026, 10, 12, 8), title="HNL 08:00"
    )
    early_honolulu = action_at(
        campaign, "Pacific/Honolulu", dt.datetime(2026, 10, 12, 0, 30), title="HNL 00:30"
    )
    # Their UTC dates differ: 08:00 in Auckland is still the 11th in UTC, 08:00 in Honolulu the 12th.
    assert morning_auckland.starts_at.astimezone(dt.UTC).date() == october(11)
    assert morning_honolulu.starts_at.astimezone(dt.UTC).date() == october(12)

    listing = calendar_day_listing(campaign=campaign, filters=NO_FILTERS, day=october(12))

    assert listing.ids == [early_honolulu.pk, morning_auckland.pk, morning_honolulu.pk, late_auckland.pk]
    assert calendar_day_listing(campaign=campaign, filters=NO_FILTERS, day=october(11)).ids == []


def test_calendar_page_lists_the_day_in_local_time_with_each_zone(client, campaign):
    action_at(campaign, "Pacific/Auckland", dt.datetime(2026, 10, 12, 23, 30), title="AKL 23:30")
    action_at(campaign, "Pacific/Auckland", dt.datetime(2026, 10, 12, 8), title="AKL 08:00")
    action_at(campaign, "Pacific/Honolulu", dt.datetime(2026, 10, 12, 8), title="HNL 08:00")
    action_at(campaign, "Pacific/Honolulu", dt.datetime(2026, 10, 12, 0, 30), title="HNL 00:30")

    response = client.get(calendar_url(campaign, day="2026-10-12"))
    html = response.content.decode()

    assert response.status_code == 200
    assert chosen_day(html) == "2026-10-12"
    assert listed_titles(html) == ["HNL 00:30", "AKL 08:00", "HNL 08:00", "AKL 23:30"]
    times = re.findall(r'<time class="cal-action__time" datetime="([^"]+)">([\d:]+)</time>', html)
    assert [shown for _iso, shown in times] == ["00:30", "08:00", "08:00", "23:30"]
    assert times[1][0] == "2026-10-12T08:00:00+13:00" and times[2][0] == "2026-10-12T08:00:00-10:00"
    assert 'Pacific/Auckland <span class="cal-zone__offset">UTC+13</span>' in html
    assert 'Pacific/Honolulu <span class="cal-zone__offset">UTC−10</span>' in html
    assert "Auckland, New Zealand" in html


def test_action_on_the_12th_in_utc_but_the_13th_locally_is_on_the_13th(client, campaign):
    action = action_at(campaign, "Pacific/Auckland", dt.datetime(2026, 10, 13, 9), title="Auckland breakfast")
    assert action.starts_at.astimezone(dt.UTC).date() == october(12)

    assert calendar_day_listing(campaign=campaign, filters=NO_FILTERS, day=october(12)).ids == []
    assert calendar_day_listing(campaign=campaign, filters=NO_FILTERS, day=october(13)).ids == [action.pk]
    counts = {d.date: d.count for d in calendar_days(campaign=campaign, filters=NO_FILTERS, today=october(1))}
    assert counts[october(12)] == 0 and counts[october(13)] == 1
    assert "Auckland breakfast" not in client.get(calendar_url(campaign, day="2026-10-12")).content.decode()
    assert "Auckland breakfast" in client.get(calendar_url(campaign, day="2026-10-13")).content.decode()


def test_local_times_are_right_across_the_autumn_clock_change(client):
    # In Berlin on 25 October 2026 the clocks go back from 03:00 CEST (UTC+2) to 02:00 CET (UTC+1):
    # 02:30 happens twice.
    campaign = CampaignFactory(start_date=october(20), end_date=october(31), days=[october(25)])
    berlin = ZoneInfo("Europe/Berlin")
    after = action_at(
        campaign, "Europe/Berlin", dt.datetime(2026, 10, 25, 10), title="Ten o'clock, winter time"
    )
    second = action_at(
        campaign, "Europe/Berlin", dt.datetime(2026, 10, 25, 2, 30, fold=1), title="Second half past two"
    )
    first = action_at(
        campaign, "Europe/Berlin", dt.datetime(2026, 10, 25, 2, 30), title="First half past two"
    )
    before = action_at(campaign, "Europe/Berlin", dt.datetime(2026, 10, 25, 1, 30), title="Half past one")
    assert before.starts_at.astimezone(dt.UTC) == dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC)
    assert first.starts_at.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    assert second.starts_at.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)
    assert after.starts_at.astimezone(berlin).utcoffset() == dt.timedelta(hours=1)

    listing = calendar_day_listing(campaign=campaign, filters=NO_FILTERS, day=october(25))
    assert listing.ids == [before.pk, first.pk, second.pk, after.pk]

    html = client.get(calendar_url(campaign, day="2026-10-25")).content.decode()
    time_and_offset = (
        r'cal-action__time"[^>]*>([\d:]+)</time>.*?<span class="cal-zone__offset">([^<]+)</span>'
    )
    rows = re.findall(time_and_offset, html, flags=re.S)
    assert rows == [("01:30", "UTC+2"), ("02:30", "UTC+2"), ("02:30", "UTC+1"), ("10:00", "UTC+1")]
    # The first action of the day began on the 24th in UTC.
    assert "First action: Sat 24 Oct, 23:30 UTC, in Berlin" in html


def test_utc_offset_labels():
    def label(zone, when):
        return utc_offset_label(when.replace(tzinfo=ZoneInfo(zone)))

    assert label("Asia/Kolkata", dt.datetime(2026, 10, 12, 8)) == "UTC+5:30"
    assert label("America/St_Johns", dt.datetime(2026, 10, 12, 8)) == "UTC−2:30"
    assert label("America/St_Johns", dt.datetime(2026, 12, 12, 8)) == "UTC−3:30"
    assert label("UTC", dt.datetime(2026, 10, 12, 8)) == "UTC"


def test_world_span_of_a_day_is_fifty_hours(client, campaign):
    span = world_span(october(12))
    assert span.begins_at == dt.datetime(2026, 10, 11, 10, tzinfo=dt.UTC)
    assert span.ends_at == dt.datetime(2026, 10, 13, 12, tzinfo=dt.UTC)
    assert span.hours == 50
    assert span.phase(dt.datetime(2026, 10, 11, 9, 59, tzinfo=dt.UTC)) == "before"
    assert span.phase(dt.datetime(2026, 10, 13, 11, 59, tzinfo=dt.UTC)) == "during"
    assert span.phase(dt.datetime(2026, 10, 13, 12, tzinfo=dt.UTC)) == "after"
    assert world_span(dt.date(1, 1, 1)) is None and world_span(dt.date(9999, 12, 31)) is None

    action_at(campaign, "Pacific/Auckland", dt.datetime(2026, 10, 12, 8), title="First")
    action_at(campaign, "Pacific/Honolulu", dt.datetime(2026, 10, 12, 20), title="Last")
    html = client.get(calendar_url(campaign, day="2026-10-12")).content.decode()
    assert "begins at 00:00 in Kiritimati (UTC+14), which is Sun 11 Oct, 10:00 UTC" in html
    assert "ends at 24:00 in the UTC−12 zone, which is Tue 13 Oct, 12:00 UTC: 50 hours in all" in html
    assert "First action: Sun 11 Oct, 19:00 UTC, in Auckland" in html
    assert "Last: Tue 13 Oct, 06:00 UTC, in Honolulu" in html


# --- the days of the window -------------------------------------------------------------------------------


def test_days_of_the_window_mark_days_of_action_and_today(campaign):
    action_at(campaign, "Europe/Berlin", dt.datetime(2026, 10, 12, 14))
    action_at(campaign, "Europe/Berlin", dt.datetime(2026, 10, 12, 18))
    action_at(campaign, "Europe/Berlin", dt.datetime(2026, 10, 15, 18))

    days = calendar_days(campaign=campaign, filters=NO_FILTERS, today=october(9))

    assert [d.date for d in days] == [october(n) for n in range(7, 22)]
    assert [d.date for d in days if d.is_day_of_action] == [october(12), october(13)]
    assert [d.date for d in days if d.is_today] == [october(9)]
    assert {d.date: d.count for d in days if d.count} == {october(12): 2, october(15): 1}


def test_calendar_page_highlights_days_of_action_and_today(client):
    today = timezone.now().astimezone(dt.UTC).date()
    campaign = CampaignFactory(
        start_date=today - dt.timedelta(days=3),
        end_date=today + dt.timedelta(days=3),
        days=[today - dt.timedelta(days=1), today + dt.timedelta(days=2)],
    )
    html = client.get(calendar_url(campaign)).content.decode()
    marked = re.findall(r'<li class="cal-day cal-day--action[^"]*" data-date="([\d-]+)"', html)
    assert marked == [(today - dt.timedelta(days=1)).isoformat(), (today + dt.timedelta(days=2)).isoformat()]
    assert re.findall(r'<li class="cal-day[^"]*cal-day--today[^"]*" data-date="([\d-]+)"', html) == [
        today.isoformat()
    ]
    assert html.count('<li class="cal-day') == 7


@pytest.mark.parametrize(("language", "column"), [("en", 4), ("fr", 3)])
def test_first_day_sits_under_its_weekday_in_the_language_week(client, campaign, language, column):
    # 7 October 2026 is a Wednesday: the fourth column from Sunday, the third from Monday.
    html = client.get(calendar_url(campaign, lang=language)).content.decode()
    assert f'cal-col-{column}" data-date="2026-10-07"' in html


def test_default_day_rules():
    today = october(9)
    running = CampaignFactory(start_date=october(7), end_date=october(21), days=[october(12)])
    future = CampaignFactory(start_date=october(14), end_date=october(28), days=[october(20), october(18)])
    future_without_days = CampaignFactory(start_date=october(14), end_date=october(28), days=[])
    past = CampaignFactory(
        start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 9, 15), days=[dt.date(2026, 9, 5)]
    )

    assert calendar_default_day(campaign=running, today=today) == today
    assert calendar_default_day(campaign=future, today=today) == october(18)
    assert calendar_default_day(campaign=future_without_days, today=today) == october(14)
    assert calendar_default_day(campaign=past, today=today) == dt.date(2026, 9, 1)


def test_calendar_page_opens_on_today_when_the_campaign_runs(client):
    today = timezone.now().astimezone(dt.UTC).date()
    campaign = CampaignFactory(
        start_date=today - dt.timedelta(days=2),
        end_date=today + dt.timedelta(days=10),
        days=[today + dt.timedelta(days=4)],
    )
    assert chosen_day(client.get(calendar_url(campaign)).content.decode()) == today.isoformat()


def test_calendar_page_opens_on_the_next_day_of_action_before_the_campaign(client):
    campaign = CampaignFactory()  # starts in 20 days, a day of action on its sixth day
    day_of_action = campaign.days_of_action.get().date
    html = client.get(calendar_url(campaign)).content.decode()
    assert chosen_day(html) == day_of_action.isoformat()
    assert "This day has not begun anywhere yet." in html


# --- what the public never sees --------------------------------------------------------------------------


def test_unapproved_actions_never_appear(client, campaign):
    moment = dt.datetime(2026, 10, 12, 14)
    action_at(campaign, "Europe/Berlin", moment, title="Approved stand")
    action_at(
        campaign,
        "Europe/Berlin",
        moment,
        title="Pending stand",
        status=Action.Status.PENDING,
        approved_at=None,
    )
    action_at(
        campaign,
        "Europe/Berlin",
        moment,
        title="Rejected stand",
        status=Action.Status.REJECTED,
        approved_at=None,
    )
    action_at(
        campaign,
        "Europe/Berlin",
        moment,
        title="Never approved",
        status=Action.Status.CANCELLED,
        approved_at=None,
    )

    html = client.get(calendar_url(campaign, day="2026-10-12")).content.decode()
    assert listed_titles(html) == ["Approved stand"]
    assert "Pending stand" not in html and "Rejected stand" not in html and "Never approved" not in html
    assert [d.count for d in calendar_days(campaign=campaign, filters=NO_FILTERS, today=october(1))].count(
        1
    ) == 1

    listing = calendar_now(
        campaign=campaign, filters=NO_FILTERS, now=dt.datetime(2026, 10, 12, 12, 30, tzinfo=dt.UTC)
    )
    assert [entry.action.title for group in listing.happening for entry in group.actions] == [
        "Approved stand"
    ]


def test_cancelled_action_stays_on_its_day_marked_cancelled(client, campaign):
    action_at(
        campaign, "Europe/Berlin", dt.datetime(2026, 10, 12, 14), title="Called off", status="cancelled"
    )
    html = client.get(calendar_url(campaign, day="2026-10-12")).content.decode()
    assert listed_titles(html) == ["Called off"]
    assert "badge--cancelled" in html
    listing = calendar_now(
        campaign=campaign, filters=NO_FILTERS, now=dt.datetime(2026, 10, 12, 12, 30, tzinfo=dt.UTC)
    )
    assert listing.happening == []


# --- bad input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("junk", "is not a date we can read"),
        ("2026-13-45", "is not a date we can read"),
        ("0000-01-01", "is not a date we can read"),
        ("%3Cscript%3Ealert(1)%3C/script%3E", "is not a date we can read"),
        ("0001-01-01", "is outside the campaign"),
        ("9999-12-31", "is outside the campaign"),
        ("2030-01-01", "is outside the campaign"),
        ("2026-10-06", "is outside the campaign"),
    ],
)
def test_bad_day_gives_a_notice_and_the_default_day(client, campaign, value, message):
    response = client.get(calendar_url(campaign, day=value, page="x"))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert (
        chosen_day(html) == calendar_default_day(campaign=campaign, today=timezone.now().date()).isoformat()
    )
    assert "<script>alert" not in html


@pytest.mark.parametrize("language", ["en", "fr", "es", "de", "ar"])
def test_dates_at_the_edge_of_the_calendar_are_answered_in_every_language(client, campaign, language):
    for value in ("0001-01-01", "9999-12-31"):
        response = client.get(calendar_url(campaign, day=value, lang=language))
        assert response.status_code == 200
        assert 'class="notice"' in response.content.decode()


def test_junk_page_numbers_give_a_page(client, campaign):
    action_at(campaign, "Europe/Berlin", dt.datetime(2026, 10, 12, 14), title="Only one")
    for page in ("0", "-1", "abc", "99999999999", "²"):
        response = client.get(calendar_url(campaign, day="2026-10-12", page=page))
        assert response.status_code == 200
        assert listed_titles(response.content.decode()) == ["Only one"]


def test_unknown_campaign_is_not_found(client):
    assert client.get("/c/no-such-campaign/calendar/").status_code == 404
    assert client.get("/c/no-such-campaign/calendar/now/").status_code == 404


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
    assert f'href="/c/{campaign.slug}/calendar/?type=vigil&amp;country=NZ&amp;day=2026-10-13#day"' in html
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
        ActionFactory(
            campaign=campaign,
            title=title,
            starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(hours=1),
        )

    happening("Early bird")
    assert "Early bird" in client.get(now_url(campaign)).content.decode()
    happening("Latecomer")
    assert "Latecomer" not in client.get(now_url(campaign)).content.decode()  # within the 30 seconds
    cache.clear()
    assert "Latecomer" in client.get(now_url(campaign)).content.decode()


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
    assert f'href="/c/{campaign.slug}/calendar/?type=vigil"' in html  # the way back keeps the filter
