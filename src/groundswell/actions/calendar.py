"""Reads for the public calendar: the campaign's days with their counts, one day's actions in order of their
local start time, and what is happening around the world at a given moment.

A day is a *local* date: an action belongs to the date on which it starts in its own time zone
(``Action.local_date``). 12 October therefore begins in Kiritimati (UTC+14) and ends in the UTC−12 zone, and
08:00 in Auckland sorts beside 08:00 in Honolulu although they are 22 hours apart.
"""

import dataclasses
import datetime as dt
import functools
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django_countries import countries

from .filters import ActionFilters
from .models import Action
from .selectors import action_public_list

UTC = dt.UTC
# The first place where a date begins (Kiritimati, Line Islands) and the last where it ends (Baker and
# Howland Islands, uninhabited: UTC−12 is the nautical zone there).
EARLIEST_UTC_OFFSET = dt.timedelta(hours=14)
LATEST_UTC_OFFSET = dt.timedelta(hours=-12)
DAY_PAGE_SIZE = 100
SOON = dt.timedelta(hours=3)


@functools.lru_cache(maxsize=1024)
def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # The forms only store real IANA names; an odd row must not break a public page.
        return UTC


def utc_offset_label(moment: dt.datetime) -> str:
    """``UTC+13``, ``UTC+5:30``, ``UTC−3`` (a real minus sign), ``UTC`` for the moment's own offset."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _without_dates(filters: ActionFilters) -> ActionFilters:
    return dataclasses.replace(filters, date_from=None, date_to=None)


# --- the days of the window -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    count: int  # public actions starting that local date (with the filters applied)
    is_day_of_action: bool
    label: str  # the day of action's label, if any
    is_today: bool


def campaign_window(campaign) -> list[dt.date]:
    return [
        campaign.start_date + dt.timedelta(days=n)
        for n in range((campaign.end_date - campaign.start_date).days + 1)
    ]


def calendar_days(*, campaign, filters: ActionFilters, today: dt.date) -> list[CalendarDay]:
    """Every day of the campaign's window with its number of actions. One query (the days of action come
    from ``campaign.days_of_action.all()``, prefetched by ``campaign_get_public``)."""
    counts = dict(
        _without_dates(filters)
        .apply(action_public_list(campaign=campaign))
        .filter(local_date__gte=campaign.start_date, local_date__lte=campaign.end_date)
        .order_by()
        .values_list("local_date")
        .annotate(n=Count("id"))
        .values_list("local_date", "n")
    )
    labels = {day.date: day.label for day in campaign.days_of_action.all()}
    return [
        CalendarDay(
            date=day,
            count=counts.get(day, 0),
            is_day_of_action=day in labels,
            label=labels.get(day, ""),
            is_today=day == today,
        )
        for day in campaign_window(campaign)
    ]


def calendar_default_day(*, campaign, today: dt.date) -> dt.date:
    """Today when it falls in the window, else the next day of action, else the window's first day."""
    if campaign.start_date <= today <= campaign.end_date:
        return today
    upcoming = sorted(
        day.date
        for day in campaign.days_of_action.all()
        if today <= day.date and campaign.start_date <= day.date <= campaign.end_date
    )
    return upcoming[0] if upcoming else campaign.start_date


# --- one day around the world ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class WorldSpan:
    """When a local date begins (first, at UTC+14) and ends (last, at UTC−12), in UTC."""

    date: dt.date
    begins_at: dt.datetime
    ends_at: dt.datetime

    @property
    def hours(self) -> int:
        return int((self.ends_at - self.begins_at).total_seconds() // 3600)

    def phase(self, now: dt.datetime) -> str:
        """ "before" the date began anywhere, "during" it somewhere, or "after" it ended everywhere."""
        if now < self.begins_at:
            return "before"
        return "during" if now < self.ends_at else "after"


def world_span(day: dt.date) -> WorldSpan | None:
    """None for dates at the edge of the calendar (year 1 or 9999), where the span cannot be computed."""
    try:
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=UTC)
        return WorldSpan(
            date=day,
            begins_at=midnight - EARLIEST_UTC_OFFSET,
            ends_at=midnight + dt.timedelta(days=1) - LATEST_UTC_OFFSET,
        )
    except OverflowError:
        return None


@dataclasses.dataclass(frozen=True)
class LocalStart:
    """A start seen from the action's place: the UTC instant, its local time and zone."""

    utc: dt.datetime
    local: dt.datetime
    timezone: str
    city: str
    country: str

    @property
    def offset_label(self) -> str:
        return utc_offset_label(self.local)


@dataclasses.dataclass(frozen=True)
class CountryCount:
    code: str
    name: str
    count: int


@dataclasses.dataclass(frozen=True)
class DayListing:
    """One local date's public actions in the order the calendar shows them (``ids``), with a summary."""

    day: dt.date
    ids: list[int]
    countries: list[CountryCount]  # by localized name
    first_start: LocalStart | None  # earliest in UTC
    last_start: LocalStart | None  # latest in UTC

    @property
    def total(self) -> int:
        return len(self.ids)


def calendar_day_listing(*, campaign, filters: ActionFilters, day: dt.date) -> DayListing:
    """The public actions starting on ``day`` (local date), ordered by their local start time, then by
    country name (in the current language), city, UTC start (for the hour that repeats when clocks go back)
    and id: 08:00 in Auckland and 08:00 in Honolulu sort together as 08:00.

    Local wall-clock times cannot be ordered portably in SQL (SQLite knows no time zones), so this reads
    five narrow columns of the day's actions in one query and sorts them here; ``calendar_day_page`` then
    loads the full rows of one page. Two queries whatever the number of actions.
    """
    rows = list(
        _without_dates(filters)
        .apply(action_public_list(campaign=campaign))
        .filter(local_date=day)
        .order_by()
        .values_list("id", "starts_at", "timezone", "country", "city")
    )
    names = {code: countries.name(code) or code for code in {row[3] for row in rows}}

    def local(row) -> dt.datetime:
        return row[1].astimezone(_zone(row[2]))

    keyed = sorted(
        ((local(row).time(), names[row[3]].casefold(), row[4].casefold(), row[1], row[0]), row)
        for row in rows
    )
    country_counts: dict[str, int] = {}
    for row in rows:
        country_counts[row[3]] = country_counts.get(row[3], 0) + 1

    def start_of(row) -> LocalStart:
        return LocalStart(utc=row[1], local=local(row), timezone=row[2], city=row[4], country=names[row[3]])

    by_utc = sorted(rows, key=lambda row: (row[1], row[0]))
    return DayListing(
        day=day,
        ids=[row[0] for _key, row in keyed],
        countries=sorted(
            (CountryCount(code, names[code], n) for code, n in country_counts.items()),
            key=lambda c: c.name.casefold(),
        ),
        first_start=start_of(by_utc[0]) if by_utc else None,
        last_start=start_of(by_utc[-1]) if by_utc else None,
    )


@dataclasses.dataclass(frozen=True)
class LocalAction:
    """An action with its zone's UTC offset at the moment a page speaks of (its start, or now)."""

    action: Action
    offset: str


def _local(action: Action, moment: dt.datetime) -> LocalAction:
    return LocalAction(action, utc_offset_label(moment.astimezone(_zone(action.timezone))))


def calendar_day_page(*, campaign, listing: DayListing, page, per_page: int = DAY_PAGE_SIZE) -> Page:
    """One page of a day's listing: ``page.object_list`` holds ``LocalAction``s (with the host organization
    loaded) in the listing's order. One query. A malformed or out-of-range ``page`` gives the first or last
    page."""
    page_obj = Paginator(listing.ids, per_page).get_page(page)
    by_id = action_public_list(campaign=campaign).in_bulk(list(page_obj.object_list))
    # An action that stopped being public between the two reads simply drops out.
    page_obj.object_list = [
        _local(by_id[pk], by_id[pk].starts_at) for pk in page_obj.object_list if pk in by_id
    ]
    return page_obj


# --- now, around the world -------------------------------------------------------------------------------


@dataclasses.dataclass
class NowGroup:
    code: str
    name: str
    count: int
    actions: list
    more_url: str = ""  # set by the page: where to see the rest of the country's actions

    @property
    def more(self) -> int:
        return self.count - len(self.actions)


@dataclasses.dataclass
class NowListing:
    now: dt.datetime
    happening: list[NowGroup]
    starting_soon: list[NowGroup]
    soon: dt.timedelta

    @property
    def happening_total(self) -> int:
        return sum(group.count for group in self.happening)

    @property
    def starting_soon_total(self) -> int:
        return sum(group.count for group in self.starting_soon)


def _by_country(actions, *, per_country: int, order, moment) -> list[NowGroup]:
    """Countries by localized name, each with its count and first ``per_country`` actions (as
    ``LocalAction``s with the offset at ``moment(action)``): two queries."""
    counts = dict(
        actions.order_by().values_list("country").annotate(n=Count("id")).values_list("country", "n")
    )
    if not counts:
        return []
    names = {code: countries.name(code) or code for code in counts}
    ranked = (
        actions.annotate(rank=Window(RowNumber(), partition_by=[F("country")], order_by=order))
        .filter(rank__lte=per_country)
        .order_by("country", *order)
    )
    by_country: dict[str, list] = {}
    for action in ranked:
        by_country.setdefault(action.country.code, []).append(_local(action, moment(action)))
    ordered = sorted(counts, key=lambda code: names[code].casefold())
    return [NowGroup(code, names[code], counts[code], by_country.get(code, [])) for code in ordered]


def calendar_now(
    *, campaign, filters: ActionFilters, now: dt.datetime, soon: dt.timedelta = SOON, per_country: int = 5
) -> NowListing:
    """Approved actions under way at ``now`` (``starts_at <= now < ends_at``) and those starting within
    ``soon``, by country. Cancelled actions are not happening, so they are left out. Four queries whatever
    the number of actions."""
    approved = (
        _without_dates(filters)
        .apply(action_public_list(campaign=campaign))
        .filter(status=Action.Status.APPROVED)
    )
    happening = approved.filter(starts_at__lte=now, ends_at__gt=now)
    starting = approved.filter(starts_at__gt=now, starts_at__lte=now + soon)
    return NowListing(
        now=now,
        # Those that end first are listed first: they are the ones still worth hurrying to.
        happening=_by_country(
            happening, per_country=per_country, order=[F("ends_at"), F("id")], moment=lambda _action: now
        ),
        starting_soon=_by_country(
            starting, per_country=per_country, order=[F("starts_at"), F("id")], moment=lambda a: a.starts_at
        ),
        soon=soon,
    )
