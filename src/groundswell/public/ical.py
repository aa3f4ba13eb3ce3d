"""iCalendar (RFC 5545) files of public actions: one action, a campaign's or a country's feed, and one
person's private feed of the actions they will join.

An event carries what the action's public page shows and nothing more: the public point (never the exact
one), the venue only when the organizer chose "exact", no contact email, no organizer link, nothing about
who RSVPed. Times are written in the action's own IANA zone (``DTSTART;TZID=Asia/Tokyo:…``) with a
VTIMEZONE for every zone used, so a calendar shows 19:00 in Tokyo as 19:00 in Tokyo whatever the reader's
zone. Links come from GROUNDSWELL_BASE_URL, never from a request's Host header.

The same actions give the same bytes: DTSTAMP and LAST-MODIFIED are the action's last change (not the time
of the build) and SEQUENCE grows with it, so a feed can be cached and revalidated by its data version.

Events are written here directly (content lines escaped and folded as RFC 5545 says), not through the
``icalendar`` package's objects: building one ``Event`` per action took about 2 ms, minutes for a campaign
of 100,000 actions. The package still writes the calendar's head and each VTIMEZONE (once per zone), and
the tests read every file back with it.
"""

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from typing import NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries
from icalendar import Calendar, Timezone, vDuration
from icalendar.timezone.tzid import tzid_from_tzinfo

from groundswell.actions.models import Action, public_place_text
from groundswell.core.mail import absolute_url

from .views.action_page import plain_text

PRODID = "-//Groundswell//Groundswell actions//EN"
# How often a subscribed calendar should fetch a feed again (RFC 7986 REFRESH-INTERVAL, and the older
# X-PUBLISHED-TTL that Outlook and Apple Calendar read). A change reaches a subscriber within this time.
FEED_REFRESH = dt.timedelta(hours=1)


def uid_host() -> str:
    """The host part of every UID: GROUNDSWELL_BASE_URL's host, fixed for the life of the site."""
    return urlsplit(settings.BASE_URL).hostname or "groundswell.invalid"


def action_uid(action: "Action | EventFacts", host: str | None = None) -> str:
    """Stable for the action's whole life, so a calendar updates its copy instead of adding another."""
    return f"action-{action.pk}@{host or uid_host()}"


class EventFacts(NamedTuple):
    """What an event shows of an action: read from an ``Action`` (``of``) or, for a feed of many actions,
    straight from narrow rows (``rows``), which is a third of the cost of loading model instances."""

    pk: int
    campaign_id: int
    campaign_slug: str
    status: str
    title: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str
    updated_at: dt.datetime
    city: str
    country: str  # ISO code
    venue: str
    location_precision: str
    public_latitude: float
    public_longitude: float
    online_url: str
    host: str  # Action.host_display

    @classmethod
    def of(cls, action: Action) -> "EventFacts":
        return cls(
            action.pk,
            action.campaign_id,
            action.campaign.slug,
            action.status,
            action.title,
            action.description,
            action.starts_at,
            action.ends_at,
            action.timezone,
            action.updated_at,
            action.city,
            action.country.code,
            action.venue,
            action.location_precision,
            action.public_latitude,
            action.public_longitude,
            action.online_url,
            action.host_display,
        )

    @classmethod
    def rows(cls, actions: QuerySet, *, chunk_size: int = 2000) -> Iterator["EventFacts"]:
        """The facts of every action in ``actions``, read in chunks of narrow rows."""
        columns = [*_ROW_COLUMNS, "host_organization_id", "host_organization__name", "host_name"]
        for *row, host_id, host_organization_name, host_name in actions.values_list(*columns).iterator(
            chunk_size=chunk_size
        ):
            # Action.host_display: the host organization's name when there is one, else the typed name.
            yield cls(*row, host_organization_name if host_id is not None else host_name)


_ROW_COLUMNS = (
    "id",
    "campaign_id",
    "campaign__slug",
    "status",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "timezone",
    "updated_at",
    "city",
    "country",
    "venue",
    "location_precision",
    "public_latitude",
    "public_longitude",
    "online_url",
)


@functools.lru_cache(maxsize=1024)
def _zone(name: str) -> ZoneInfo:
    # Zones come from the form's validated list; an unknown one (a zone removed from a later tzdata)
    # falls back to UTC, which still gives the right instant.
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class _Words:
    """What many events of one file repeat, worked out once per file: the translated phrases, each
    campaign's address of action pages (``reverse`` per event was a tenth of a feed's time) and each
    country's name."""

    def __init__(self):
        self.cancelled = _("This action has been cancelled.")
        self.cancelled_title = _("Cancelled: %(title)s")
        self.hosted_by = _("Hosted by %(host)s")
        self.online_link = _("Online link: %(url)s")
        self._prefixes: dict[int, str] = {}
        self._countries: dict[str, str] = {}

    def page_url(self, facts: EventFacts) -> str:
        prefix = self._prefixes.get(facts.campaign_id)
        if prefix is None:
            # ``action_page_url``, for one action of the campaign.
            url = absolute_url(reverse("public:action", kwargs={"slug": facts.campaign_slug, "pk": facts.pk}))
            prefix = self._prefixes[facts.campaign_id] = url[: url.rindex(f"/{facts.pk}/") + 1]
        return f"{prefix}{facts.pk}/"

    def place(self, facts: EventFacts) -> str:
        name = self._countries.get(facts.country)
        if name is None:
            name = self._countries[facts.country] = str(countries.name(facts.country) or facts.country)
        return public_place_text(
            city=facts.city, country_name=name, venue=facts.venue, precision=facts.location_precision
        )


def event_description(facts: EventFacts, *, page_url: str, words: _Words) -> str:
    """Plain text: the cancellation, the description, the host, the online link, then the action's page."""
    lines = []
    if facts.status == Action.Status.CANCELLED:
        lines.append(words.cancelled)
    description = plain_text(facts.description)
    if description:
        lines.append(description)
    if facts.host:
        lines.append(words.hosted_by % {"host": facts.host})
    if facts.online_url:
        lines.append(words.online_link % {"url": facts.online_url})
    lines.append(page_url)
    return "\n\n".join(lines)


# --- writing content lines (RFC 5545, 3.1 and 3.3.11) ---------------------------------------------------

FOLD_OCTETS = 75  # a content line's octets before its line break; longer ones continue after CRLF + space


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped; any line break (CRLF, CR or LF) as ``\\n``."""
    # One test per character before replacing: most values have none of them (str.translate with a table
    # of strings was slower).
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    if ";" in value:
        value = value.replace(";", "\\;")
    if "," in value:
        value = value.replace(",", "\\,")
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in value:
        value = value.replace("\n", "\\n")
    return value


def fold(line: str) -> str:
    """``line`` (without its line break) as content lines of at most 75 octets each, counting the space
    that starts a continuation, joined with CRLF + space. A UTF-8 sequence or a backslash escape is never
    split (a split escape is valid, but some calendar apps misread it)."""
    if len(line) <= FOLD_OCTETS and line.isascii():
        return line
    data = line.encode()
    if len(data) <= FOLD_OCTETS:
        return line
    parts, start, limit = [], 0, FOLD_OCTETS
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its sequence
            cut -= 1
        backslashes = 0
        while data[cut - backslashes - 1] == 0x5C and cut - backslashes - 1 >= start:
            backslashes += 1
        if backslashes % 2:  # the last one escapes the character after the cut: keep them together
            cut -= 1
        parts.append(data[start:cut])
        start, limit = cut, FOLD_OCTETS - 1
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode()


def _stamp(moment: dt.datetime) -> str:
    """``20261012T140000``: a DATE-TIME's digits, by hand (strftime is slower, and on Linux writes a year
    before 1000 without its leading zeros)."""
    date = f"{moment.year:04}{moment.month:02}{moment.day:02}"
    return f"{date}T{moment.hour:02}{moment.minute:02}{moment.second:02}"


def _utc(moment: dt.datetime) -> str:
    return f"{_stamp(moment.astimezone(dt.UTC))}Z"


@functools.lru_cache(maxsize=1024)
def _tzid(zone: dt.tzinfo) -> str | None:
    """The TZID written for ``zone``, or None when it is UTC (written with a Z): the same choice the
    ``icalendar`` package makes, so the VTIMEZONEs it writes match."""
    tzid = tzid_from_tzinfo(zone)
    return None if tzid == "UTC" else tzid


def _local(prop: str, moment: dt.datetime, zone: dt.tzinfo) -> tuple[str, str | None]:
    tzid = _tzid(zone)
    if tzid is None:
        return f"{prop}:{_utc(moment)}", None
    return f"{prop};TZID={tzid}:{_stamp(moment.astimezone(zone))}", tzid


def action_event(facts: EventFacts, *, host: str, words: _Words) -> tuple[str, set]:
    """One VEVENT with the action's public fields only, as text with CRLF line ends, and the TZIDs it
    names."""
    zone = _zone(facts.timezone)
    page_url = words.page_url(facts)
    cancelled = facts.status == Action.Status.CANCELLED
    changed = _utc(facts.updated_at)
    summary = words.cancelled_title % {"title": facts.title} if cancelled else facts.title
    start, start_tzid = _local("DTSTART", facts.starts_at, zone)
    end, end_tzid = _local("DTEND", facts.ends_at, zone)
    lines = [
        "BEGIN:VEVENT",
        fold(f"SUMMARY:{escape_text(summary)}"),
        start,
        end,
        f"DTSTAMP:{changed}",
        fold(f"UID:{escape_text(action_uid(facts, host))}"),
        # Grows with every change (an edit, a cancellation), so a calendar replaces its older copy.
        f"SEQUENCE:{int(facts.updated_at.timestamp())}",
        fold(f"DESCRIPTION:{escape_text(event_description(facts, page_url=page_url, words=words))}"),
        # The public point only: for "about 1 km" and "city" it is not where the action is.
        f"GEO:{float(facts.public_latitude)};{float(facts.public_longitude)}",
        f"LAST-MODIFIED:{changed}",
        fold(f"LOCATION:{escape_text(words.place(facts))}"),
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        fold(f"URL:{page_url}"),
        "END:VEVENT",
        "",
    ]
    return "\r\n".join(lines), {tzid for tzid in (start_tzid, end_tzid) if tzid}


@functools.lru_cache(maxsize=1024)
def _vtimezone(tzid: str, first: dt.date, last: dt.date) -> bytes:
    """The zone's VTIMEZONE listing its changes between ``first`` and ``last`` only (the library's default
    span, 1970-2038, makes each zone a page long), or nothing for a zone the library does not know."""
    try:
        return Timezone.from_tzid(tzid, first_date=first, last_date=last).to_ical()
    except ValueError:
        return b""


def calendar_bytes(
    actions: Iterable[Action | EventFacts], *, name: str = "", uid: str = "", feed: bool = False
) -> bytes:
    """A VCALENDAR of ``actions`` with a VTIMEZONE for every zone their times are written in.

    ``name`` becomes the calendar's name (NAME and X-WR-CALNAME) and ``uid`` its UID (RFC 7986); a
    ``feed`` also says how often to fetch it again. Each event is written out as soon as it is built and
    ``actions`` may be an iterator (of ``Action``s with their campaign and host organization loaded, or of
    ``EventFacts``), so a feed of many actions never holds them all in memory at once.
    """
    host = uid_host()
    words = _Words()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if uid:
        calendar.add("uid", uid)
    if name:
        calendar.calendar_name = name
    if feed:
        calendar.add("refresh-interval", vDuration(FEED_REFRESH), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    events: list[bytes] = []
    tzids: set[str] = set()
    first = last = None
    for action in actions:
        facts = action if isinstance(action, EventFacts) else EventFacts.of(action)
        text, used = action_event(facts, host=host, words=words)
        tzids |= used
        first = min(first, facts.starts_at) if first else facts.starts_at
        last = max(last, facts.ends_at) if last else facts.ends_at
        events.append(text.encode())
    # From a month before the first action's year to the end of the last one's: every local time written
    # lies inside each zone's span, and the span (so the bytes) moves only when a year is added.
    span = (
        (dt.date(first.year - 1, 12, 1), dt.date(last.year + 1, 1, 1))
        if first
        else (Timezone.DEFAULT_FIRST_DATE, Timezone.DEFAULT_LAST_DATE)
    )
    end = b"END:VCALENDAR\r\n"
    head = calendar.to_ical().removesuffix(end)
    zones = [_vtimezone(tzid, *span) for tzid in sorted(tzids)]
    return b"".join([head, *zones, *events, end])
