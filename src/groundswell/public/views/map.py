"""The campaign's map: the page, its data (compact JSON, cached until an action changes) and the popups."""

import functools
import gzip
import hashlib
import json
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_safe

from groundswell.actions.filters import ActionFilters
from groundswell.actions.map_data import map_points
from groundswell.actions.selectors import action_data_version, action_public_get
from groundswell.campaigns.selectors import campaign_get_public
from groundswell.core.http import accepts_gzip, etag_matches
from groundswell.core.privacy import client_key
from groundswell.core.ratelimit import rate_limit_exceeded, rate_limit_retry_after

from .filtering import filter_context
from .http_cache import public_document

# Short, so a change reaches visitors within a minute; a CDN or browser may serve the old copy a while
# longer while it checks (the ETag makes that check cheap).
MAX_AGE = 60
STALE_WHILE_REVALIDATE = 600
CACHE_TIMEOUT = 24 * 3600  # a new data version makes new keys; old entries just expire
# The shape of the data that map-data.js reads: change it with the columns or their meaning. It is part of
# the ETag and the cache key, with map-data.js's own hashed name, so after a deploy no browser is told that
# an old body is still good and no old body is served from the cache.
MAP_DATA_FORMAT = 2
MAP_SCRIPT = "groundswell/js/map-data.js"
BUILD_WINDOW_SECONDS = 60  # builds counted per client (settings.MAP_BUILDS_PER_MINUTE)
BUILD_LOCK_SECONDS = 30
BUILD_WAIT_SECONDS = 5


def _query_string(filters: ActionFilters) -> str:
    return urlencode(sorted(filters.as_query().items()))


@require_safe
@public_document()
def map_page(request, slug):
    campaign = campaign_get_public(slug=slug)
    context = filter_context(request, campaign)
    query = _query_string(context["filters"])
    suffix = f"?{query}" if query else ""
    popup = reverse("public:action_popup", kwargs={"slug": campaign.slug, "pk": 0})
    head, _, tail = popup.rpartition("/0/")
    return render(
        request,
        "public/map.html",
        {
            "campaign": campaign,
            **context,
            "data_url": reverse("public:map_data", kwargs={"slug": campaign.slug}) + suffix,
            "list_url": reverse("public:action_list", kwargs={"slug": campaign.slug}) + suffix,
            "popup_url": f"{head}/{{id}}/{tail}",
        },
    )


def _body(*, campaign, filters: ActionFilters, version: str) -> bytes:
    payload = map_points(campaign=campaign, filters=filters)
    payload["v"] = version
    payload["label"] = ngettext("%(count)s action shown", "%(count)s actions shown", payload["n"]) % {
        "count": number_format(payload["n"], force_grouping=True)
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def _gzip(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=6, mtime=0)  # mtime=0: same data, same bytes


def _build_once(key: str, build) -> tuple[bytes, bytes | None]:
    """The gzipped body (and the plain one when built here), stored in the cache.

    Right after an action changes on a busy day, many requests miss the cache at once; building 100,000
    actions takes about a second, so one request builds (it holds a lock in the cache) and the others wait
    for its result a few seconds before building it themselves. Text searches never come here: see
    ``map_data``.
    """
    lock = f"{key}:building"
    holding = cache.add(lock, 1, timeout=BUILD_LOCK_SECONDS)
    if not holding:
        deadline = time.monotonic() + BUILD_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            compressed = cache.get(key)
            if compressed is not None:
                return compressed, None
    try:
        body = build()
        compressed = _gzip(body)
        cache.set(key, compressed, timeout=CACHE_TIMEOUT)
    finally:
        if holding:
            cache.delete(lock)
    return compressed, body


@functools.cache
def _format_tag() -> str:
    """What the body's meaning depends on besides the data: its format and the script that reads it
    (whose hashed static name changes with its content). Fixed for the life of a process."""
    return f"{MAP_DATA_FORMAT}:{staticfiles_storage.url(MAP_SCRIPT)}"


def _too_many_builds():
    response = HttpResponse(
        json.dumps({"error": "too_many_requests"}), status=429, content_type="application/json"
    )
    response["Retry-After"] = str(rate_limit_retry_after(window_s=BUILD_WINDOW_SECONDS))
    response["Cache-Control"] = "no-store"
    return response


def _cache_headers(response, etag: str):
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE, stale_while_revalidate=STALE_WHILE_REVALIDATE)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


@require_safe
@public_document(redirect_language=False, key_extra=lambda: _format_tag())
def map_data(request, slug):
    """The public actions matching the URL's filters, as columns (see ``actions.map_data.map_points``).

    The body depends only on the data format, the campaign's public data version, the filters and the
    language (of the "N actions shown" label): it is built once per combination, kept gzipped in the cache,
    and answered with 304 when the browser already has it.

    Text searches are never kept in the cache: their variety has no bound, so a flood of searches would
    fill it. Each one is built for its request alone, and every build (a search, or a combination not in
    the cache) counts against the client's ``MAP_BUILDS_PER_MINUTE``, so searches cannot take all the
    server's time either.
    """
    campaign = campaign_get_public(slug=slug)
    # Dates beyond the window select what no bound (or nothing) selects: a few keys, not one per date.
    filters = ActionFilters.from_query(request.GET).within(campaign.start_date, campaign.end_date)
    version = action_data_version(campaign=campaign)
    # Hashed: short and opaque (what goes into it is ours to change).
    variant = hashlib.sha256(
        f"{_format_tag()}|{version}|{filters.cache_key()}|{get_language()}".encode()
    ).hexdigest()[:24]
    etag = f'W/"map-{variant}"'
    if etag_matches(request.headers.get("If-None-Match", ""), etag):
        return _cache_headers(HttpResponseNotModified(), etag)

    key = f"map-data:{variant}"
    compressed = None if filters.q else cache.get(key)
    body = None
    if compressed is None:
        if rate_limit_exceeded(
            scope="map-build",
            key=client_key(request),
            limit=settings.MAP_BUILDS_PER_MINUTE,
            window_s=BUILD_WINDOW_SECONDS,
        ):
            return _too_many_builds()
        build = functools.partial(_body, campaign=campaign, filters=filters, version=variant)
        compressed, body = (None, build()) if filters.q else _build_once(key, build)

    if accepts_gzip(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(compressed or _gzip(body), content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(body or gzip.decompress(compressed), content_type="application/json")
    return _cache_headers(response, etag)


@require_safe
@public_document(scope="action", redirect_language=False)
def action_popup(request, slug, pk):
    """A small fragment for the map's popup: public fields only, like the action's page."""
    campaign = campaign_get_public(slug=slug)
    action = action_public_get(campaign=campaign, pk=pk)
    if action is None:
        raise Http404("No such action")
    response = render(request, "public/_action_popup.html", {"campaign": campaign, "action": action})
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
