"""The campaign's map: the page, its data (compact JSON, cached until an action changes) and the popups."""

import gzip
import hashlib
import json
import time
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.formats import number_format
from django.utils.http import parse_etags
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_GET

from groundswell.actions.filters import ActionFilters
from groundswell.actions.map_data import map_points
from groundswell.actions.selectors import action_data_version, action_public_get
from groundswell.campaigns.selectors import campaign_get_public

from .filtering import filter_context

# Short, so a change reaches visitors within a minute; a CDN or browser may serve the old copy a while
# longer while it checks (the ETag makes that check cheap).
MAX_AGE = 60
STALE_WHILE_REVALIDATE = 600
CACHE_TIMEOUT = 24 * 3600  # a new data version makes new keys; old entries just expire
# Text searches make unbounded keys (see _build_once).
MAX_CACHED_SEARCH_BYTES = 64 * 1024
BUILD_LOCK_SECONDS = 30
BUILD_WAIT_SECONDS = 5


def _query_string(filters: ActionFilters) -> str:
    return urlencode(sorted(filters.as_query().items()))


@require_GET
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


def _build_once(key: str, build, *, shared: bool) -> tuple[bytes, bytes | None]:
    """The gzipped body (and the plain one when built here), stored in the cache.

    Right after an action changes on a busy day, many requests miss the cache at once; building 100,000
    actions takes about a second, so one request builds (``shared``: it holds a lock in the cache) and the
    others wait for its result a few seconds before building it themselves. Text searches are not shared:
    their answers are cached only when small, so a flood of searches cannot fill the cache.
    """
    lock = f"{key}:building"
    holding = shared and cache.add(lock, 1, timeout=BUILD_LOCK_SECONDS)
    if shared and not holding:
        deadline = time.monotonic() + BUILD_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            compressed = cache.get(key)
            if compressed is not None:
                return compressed, None
    try:
        body = build()
        compressed = gzip.compress(body, compresslevel=6, mtime=0)  # mtime=0: same data, same bytes
        if shared or len(compressed) <= MAX_CACHED_SEARCH_BYTES:
            cache.set(key, compressed, timeout=CACHE_TIMEOUT)
    finally:
        if holding:
            cache.delete(lock)
    return compressed, body


def _etag_matches(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/"x" matches "x"."""
    wanted = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == wanted for tag in parse_etags(header))


def _cache_headers(response, etag: str):
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE, stale_while_revalidate=STALE_WHILE_REVALIDATE)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


@require_GET
def map_data(request, slug):
    """The public actions matching the URL's filters, as columns (see ``actions.map_data.map_points``).

    The body depends only on the campaign's data version, the filters and the language (of the "N actions
    shown" label): it is built once per combination, kept gzipped in the cache, and answered with 304 when
    the browser already has it.
    """
    campaign = campaign_get_public(slug=slug)
    filters = ActionFilters.from_query(request.GET)
    version = action_data_version(campaign=campaign)
    # Hashed: the version counts every action, pending ones too, which is nobody's business.
    variant = hashlib.sha256(f"{version}|{filters.cache_key()}|{get_language()}".encode()).hexdigest()[:24]
    etag = f'W/"map-{variant}"'
    if _etag_matches(request.headers.get("If-None-Match", ""), etag):
        return _cache_headers(HttpResponseNotModified(), etag)

    key = f"map-data:{variant}"
    compressed, body = cache.get(key), None
    if compressed is None:
        compressed, body = _build_once(
            key,
            lambda: _body(campaign=campaign, filters=filters, version=variant),
            shared=not filters.q,
        )

    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(body or gzip.decompress(compressed), content_type="application/json")
    return _cache_headers(response, etag)


@require_GET
def action_popup(request, slug, pk):
    """A small fragment for the map's popup: public fields only, like the action's page."""
    campaign = campaign_get_public(slug=slug)
    action = action_public_get(campaign=campaign, pk=pk)
    if action is None:
        raise Http404("No such action")
    response = render(request, "public/_action_popup.html", {"campaign": campaign, "action": action})
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
