"""iCalendar (RFC 5545) files of public actions: one action, a campaign's or a country's feed, and one
person's private feed of the actions they will join.

An event carries what the action's public page shows and nothing more: the public point (never the exact
one), the venue only when the organizer chose "exact", no contact email, no organizer link, nothing about
who RSVPed. Times are written in the action's own IANA zone (``DTSTART;TZID=Asia/Tokyo:…``) with a
VTIMEZONE for every zone used, so a calendar shows 19:00 in Tokyo as 19:00 in Tokyo whatever the reader's
zone. Links come from GROUNDSWELL_BASE_URL, never from a request's Host header.

The same actions give the same bytes: DTSTAMP and LAST-MODIFIED are the action's last change (not the time
of the build) and SEQUENCE grows with it, so a feed can be cached and revalidated by its data version.
"""

import datetime as dt
import functools
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration

from groundswell.actions.models import Action

from .views.action_page import action_page_url, place_text, plain_text

PRODID = "-//Groundswell//Groundswell actions//EN"
# How often a subscribed calendar should fetch a feed again (RFC 7986 REFRESH-INTERVAL, and the older
# X-PUBLISHED-TTL that Outlook and Apple Calendar read). A change reaches a subscriber within this time.
FEED_REFRESH = dt.timedelta(hours=1)


def uid_host() -> str:
    """The host part of every UID: GROUNDSWELL_BASE_URL's host, fixed for the life of the site."""
    return urlsplit(settings.BASE_URL).hostname or "groundswell.invalid"


def action_uid(action: Action, host: str | None = None) -> str:
    """Stable for the action's whole life, so a calendar updates its copy instead of adding another."""
    return f"action-{action.pk}@{host or uid_host()}"


def _zone(action: Action) -> ZoneInfo:
    # Zones come from the form's validated list; an unknown one (a zone removed from a later tzdata)
    # falls back to UTC, which still gives the right instant.
    try:
        return ZoneInfo(action.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def event_description(action: Action, *, page_url: str) -> str:
    """Plain text: the cancellation, the description, the host, the online link, then the action's page."""
    lines = []
    if action.status == Action.Status.CANCELLED:
        lines.append(_("This action has been cancelled."))
    description = plain_text(action.description)
    if description:
        lines.append(description)
    if action.host_display:
        lines.append(_("Hosted by %(host)s") % {"host": action.host_display})
    if action.online_url:
        lines.append(_("Online link: %(url)s") % {"url": action.online_url})
    lines.append(page_url)
    return "\n\n".join(lines)


def action_event(action: Action, *, host: str | None = None) -> Event:
    """One VEVENT with the action's public fields only. ``action.campaign`` should be loaded with it."""
    zone = _zone(action)
    page_url = action_page_url(action)
    cancelled = action.status == Action.Status.CANCELLED
    changed = action.updated_at.astimezone(dt.UTC)
    event = Event()
    event.add("uid", action_uid(action, host))
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    # Grows with every change (an edit, a cancellation), so a calendar replaces its older copy.
    event.add("sequence", int(action.updated_at.timestamp()))
    event.add("summary", _("Cancelled: %(title)s") % {"title": action.title} if cancelled else action.title)
    event.add("dtstart", action.starts_at.astimezone(zone))
    event.add("dtend", action.ends_at.astimezone(zone))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("location", place_text(action))
    # The public point only: for "about 1 km" and "city" it is not where the action is.
    event.add("geo", (action.public_latitude, action.public_longitude))
    event.add("url", page_url)
    event.add("description", event_description(action, page_url=page_url))
    return event


@functools.lru_cache(maxsize=1024)
def _vtimezone(tzid: str, first: dt.date, last: dt.date) -> bytes:
    """The zone's VTIMEZONE listing its changes between ``first`` and ``last`` only (the library's default
    span, 1970-2038, makes each zone a page long), or nothing for a zone the library does not know."""
    try:
        return Timezone.from_tzid(tzid, first_date=first, last_date=last).to_ical()
    except ValueError:
        return b""


def calendar_bytes(actions: Iterable[Action], *, name: str = "", uid: str = "", feed: bool = False) -> bytes:
    """A VCALENDAR of ``actions`` with a VTIMEZONE for every zone their times are written in.

    ``name`` becomes the calendar's name (NAME and X-WR-CALNAME) and ``uid`` its UID (RFC 7986); a
    ``feed`` also says how often to fetch it again. Each event is written out as soon as it is built and
    ``actions`` may be an iterator, so a feed of many actions never holds them all (or their components)
    in memory at once.
    """
    host = uid_host()
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
        event = action_event(action, host=host)
        for prop in ("DTSTART", "DTEND"):
            tzid = event[prop].params.get("TZID")  # none for UTC, written with a Z
            if tzid:
                tzids.add(tzid)
        first = min(first, action.starts_at) if first else action.starts_at
        last = max(last, action.ends_at) if last else action.ends_at
        events.append(event.to_ical())
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
