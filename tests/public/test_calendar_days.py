"""The calendar's days: actions by local date and local start time across zones, the world span of a day,
the window's days and which one opens, what the public never sees, and bad input. The lists' filters,
pages, caches and "now" are in test_calendar.py."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from groundswell.actions.calendar import (
    calendar_day_listing,
    calendar_days,
    calendar_default_day,
    calendar_now,
    utc_offset_label,
    world_span,
)
from groundswell.actions.models import Action
from tests.factories import CampaignFactory
from tests.public.calendar_support import (
    NO_FILTERS,
    action_at,
    calendar_url,
    chosen_day,
    listed_titles,
    october,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    """7–21 October 2026, days of action on the 12th and 13th."""
    return CampaignFactory(start_date=october(7), end_date=october(21), days=[october(12), october(13)])


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
