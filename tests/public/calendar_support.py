"""What the calendar's tests share: actions placed in a few time zones, the pages' URLs and readers."""

import datetime as dt
import re

from django.urls import reverse

from groundswell.actions.filters import ActionFilters
from groundswell.actions.models import Action
from tests.factories import ActionFactory

PLACES = {
    "Pacific/Auckland": ("Auckland", "NZ", -36.85, 174.76),
    "Pacific/Honolulu": ("Honolulu", "US", 21.31, -157.86),
    "Europe/Berlin": ("Berlin", "DE", 52.52, 13.41),
    "Asia/Kolkata": ("Mumbai", "IN", 19.07, 72.88),
}
NO_FILTERS = ActionFilters()


def october(day: int) -> dt.date:
    return dt.date(2026, 10, day)


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
    return re.findall(r'<a href="/c/[^"]+/actions/\d+/(?:\?lang=\w+)?" dir="auto">([^<]+)</a>', day_panel)
