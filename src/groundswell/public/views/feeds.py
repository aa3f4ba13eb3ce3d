"""iCalendar files: one action's .ics, the campaign's and a country's subscribable feeds, and one person's
private feed of the actions they will join (see ``public/ical.py`` for what an event holds).

The campaign and country feeds are public data and cached like the map's data: the body depends only on the
campaign's public data version, the country, the language and the calendar's name, so it is built once per
combination, kept gzipped in the cache and answered with 304 when the client already has it. Every part of
that key is bounded (a known country, a language of the interface, a language of the call), so no one can
make the server build feeds at will.

Building a feed is slow for a large campaign (icalendar takes a few milliseconds an event: minutes for
100,000 actions). So one request at a time builds a given feed while the others are given the last one built
(a little older), and a feed whose build was slow waits a while before the next (see ``_cached_feed``).
"""

import functools
import gzip
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotFound, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe
from django_countries import countries

from groundswell.actions.selectors import action_data_version, action_public_get, action_public_list
from groundswell.campaigns.selectors import call_for, campaign_get_public
from groundswell.core.http import accepts_gzip, etag_matches
from groundswell.core.middleware import UI_LANGUAGES
from groundswell.core.privacy import hash_token
from groundswell.participation.models import RSVP
from groundswell.participation.selectors import rsvp_calendar_actions

from ..ical import FEED_REFRESH, EventFacts, calendar_bytes, uid_host
from .http_cache import etag_of, public_document
from .map import _gzip

CONTENT_TYPE = "text/calendar; charset=utf-8"
# The shape of the events: change it with what ``ical.py`` writes, so no cached feed outlives it.
ICS_FORMAT = 1
# Calendars fetch a feed every hour or so (REFRESH-INTERVAL); a CDN may keep it a few minutes.
FEED_MAX_AGE = 300
FEED_STALE_WHILE_REVALIDATE = 3600
CACHE_TIMEOUT = 24 * 3600  # a new data version makes new keys; old entries just expire
BUILD_LOCK_SECONDS = 900  # longer than the slowest build; frees the lock if its builder died
BUILD_WAIT_SECONDS = 5
# A feed whose build took SLOW_BUILD_SECONDS or more waits REBUILD_FACTOR times as long before the next.
SLOW_BUILD_SECONDS = 5
REBUILD_FACTOR = 10
ACTIONS_PER_FETCH = 2000
MAX_TOKEN = 100


# --- one action ------------------------------------------------------------------------------------------


def _public_action(request, slug: str, pk: int):
    found = getattr(request, "_groundswell_ics_action", None)
    if found is None:
        campaign = campaign_get_public(slug=slug)
        action = action_public_get(campaign=campaign, pk=pk)
        if action is None:
            raise Http404("No such action")
        found = request._groundswell_ics_action = (campaign, action)
    return found


def _action_etag(request, slug, pk) -> str:
    campaign, action = _public_action(request, slug, pk)
    return etag_of(
        "action-ics",
        ICS_FORMAT,
        action.pk,
        action.updated_at.isoformat(),
        campaign.slug,
        get_language(),
        settings.BASE_URL,
    )


@require_safe
@public_document(scope="action", redirect_language=False)
@condition(etag_func=_action_etag)
def action_ics(request, slug, pk):
    """One public action as a file to open in a calendar (approved, or cancelled after approval)."""
    _campaign, action = _public_action(request, slug, pk)
    response = HttpResponse(calendar_bytes([action]), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="action-{action.pk}.ics"'
    return response


# --- the campaign's and a country's feeds ----------------------------------------------------------------


def _country_code(raw: str) -> str | None:
    code = raw.strip().upper()
    return code if len(code) == 2 and code.isascii() and code.isalpha() and code in countries else None


def _feed_headers(response, etag: str):
    response["ETag"] = etag
    patch_cache_control(
        response, public=True, max_age=FEED_MAX_AGE, stale_while_revalidate=FEED_STALE_WHILE_REVALIDATE
    )
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _build_feed(*, campaign, country: str, name: str, uid: str) -> bytes:
    actions = action_public_list(campaign=campaign)
    if country:
        actions = actions.filter(country=country)
    events = EventFacts.rows(actions.order_by("starts_at", "id"), chunk_size=ACTIONS_PER_FETCH)
    return calendar_bytes(events, name=name, uid=uid, feed=True)


def _feed_shape(*, campaign, country: str, name: str) -> str:
    """Everything a feed's body depends on besides the public actions (hashed: short and opaque)."""
    parts = (ICS_FORMAT, campaign.pk, campaign.slug, country, get_language(), name, settings.BASE_URL)
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:24]


def _cached_feed(*, variant: str, shape: str, build) -> tuple[str, bytes, bytes | None] | None:
    """(the variant served, its gzipped body, its plain body when built here), or None when another
    request is building the feed and there is nothing to give meanwhile.

    ``variant`` is the feed of the current data, ``shape`` the same feed whatever the data. One request at
    a time builds a shape (it holds a lock in the cache); the others meanwhile get the last feed built
    for it, or wait a few seconds for the first one. A feed whose last build was slow is rebuilt at most
    every ``REBUILD_FACTOR`` times that long (never more than the calendars' own refresh interval): on a
    busy day a large campaign changes every minute, and without that its feeds would be rebuilt one
    after the other all day long.
    """
    key = f"ics-feed:{variant}"
    compressed = cache.get(key)
    if compressed is not None:
        return variant, compressed, None
    latest = cache.get(f"ics-feed-latest:{shape}")
    stale = cache.get(f"ics-feed:{latest['variant']}") if latest else None
    if stale is not None and latest["seconds"] >= SLOW_BUILD_SECONDS:
        rebuild_after = min(REBUILD_FACTOR * latest["seconds"], FEED_REFRESH.total_seconds())
        if time.time() < latest["built_at"] + rebuild_after:
            return latest["variant"], stale, None
    lock = f"ics-feed-building:{shape}"
    if cache.add(lock, 1, timeout=BUILD_LOCK_SECONDS):
        try:
            started = time.monotonic()
            body = build()
            seconds = time.monotonic() - started
            compressed = _gzip(body)
            done = {"variant": variant, "built_at": time.time(), "seconds": seconds}
            cache.set_many({key: compressed, f"ics-feed-latest:{shape}": done}, timeout=CACHE_TIMEOUT)
        finally:
            cache.delete(lock)
        return variant, compressed, body
    if stale is not None:
        return latest["variant"], stale, None
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.1)
        compressed = cache.get(key)
        if compressed is not None:
            return variant, compressed, None
    return None


def _feed(request, slug: str, raw_country: str = ""):
    campaign = campaign_get_public(slug=slug)
    country = ""
    if raw_country:
        country = _country_code(raw_country)
        if country is None:
            return HttpResponseNotFound(
                _("There is no country with this code. Use a two-letter ISO 3166 code, such as DE or KE."),
                content_type="text/plain; charset=utf-8",
            )
    title = call_for(campaign=campaign, preferred_languages=request.preferred_languages).translation.title
    if country:
        name = _("%(title)s (%(country)s)") % {"title": title, "country": countries.name(country)}
    else:
        name = title
    shape = _feed_shape(campaign=campaign, country=country, name=name)
    variant = hashlib.sha256(f"{shape}|{action_data_version(campaign=campaign)}".encode()).hexdigest()[:24]
    if_none_match = request.headers.get("If-None-Match", "")
    if etag_matches(if_none_match, f'W/"ics-{variant}"'):
        return _feed_headers(HttpResponseNotModified(), f'W/"ics-{variant}"')

    uid = f"campaign-{campaign.pk}{'-' + country.lower() if country else ''}@{uid_host()}"
    found = _cached_feed(
        variant=variant,
        shape=shape,
        build=functools.partial(_build_feed, campaign=campaign, country=country, name=name, uid=uid),
    )
    if found is None:
        response = HttpResponse(
            _("This calendar is being prepared. Please try again in a minute."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        return response
    served, compressed, body = found
    etag = f'W/"ics-{served}"'
    if served != variant and etag_matches(if_none_match, etag):
        return _feed_headers(HttpResponseNotModified(), etag)  # the older feed, which the client has
    if accepts_gzip(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(compressed, content_type=CONTENT_TYPE)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(body or gzip.decompress(compressed), content_type=CONTENT_TYPE)
    return _feed_headers(response, etag)


@require_safe
@public_document(redirect_language=False)
def campaign_ics(request, slug):
    """Every public action of the campaign, as a calendar to subscribe to."""
    return _feed(request, slug)


@require_safe
@public_document(redirect_language=False)
def country_ics(request, slug, country):
    """The public actions of the campaign in one country (ISO 3166 alpha-2, any case)."""
    return _feed(request, slug, country)


# --- one person's actions --------------------------------------------------------------------------------


def _private(response):
    """A person's feed says which actions they will join: kept out of shared caches, search engines and
    the Referer of any link followed from it."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def rsvp_calendar_feed(request, token):
    """The public actions one person confirmed they will come to, by the private link in their emails.

    A link whose person has RSVPs (even none confirmed now) gives a calendar, empty or not, so a
    subscription keeps working; a link nobody has gives 404. The calendar is in the language of the
    person's latest RSVP unless the link asks for another (``?lang=``).
    """
    language = None
    if token and len(token) <= MAX_TOKEN:
        language = (
            RSVP.objects.filter(calendar_token_hash=hash_token(token), erased_at=None)
            .order_by("-created_at", "-id")
            .values_list("language", flat=True)
            .first()
        )
    if language is None:
        return _private(
            HttpResponseNotFound(
                _("This calendar link is not valid."), content_type="text/plain; charset=utf-8"
            )
        )
    if "lang" in request.GET or language not in UI_LANGUAGES:
        language = get_language()
    with translation.override(language):
        body = calendar_bytes(rsvp_calendar_actions(token=token), name=_("Actions I will join"), feed=True)
    return _private(HttpResponse(body, content_type=CONTENT_TYPE))
