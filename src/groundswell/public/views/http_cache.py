"""What the public pages share for HTTP caching: validators (ETags), the campaign read once per request, and
rendering a cacheable fragment from a clean query string.

A public page answers ``Cache-Control: public, max-age=60`` with an ETag built from everything its body
depends on, so a browser or a CDN revalidates with a cheap 304 instead of a rendered page. The language
middleware adds ``Vary: Accept-Language, Cookie``.
"""

import copy
import functools
import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified, HttpResponseRedirect, QueryDict
from django.utils import translation
from django.utils.cache import patch_cache_control

from groundswell.actions.selectors import action_data_version
from groundswell.campaigns.selectors import campaign_get_public
from groundswell.core.languages import normalize_language
from groundswell.core.page_cache import cached_document, document_key, public_versions

PAGE_MAX_AGE = 60
UI_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def etag_of(*parts) -> str:
    """An opaque ETag value (unquoted, as ``condition`` wants it) for ``parts``."""
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]


def query_of(request) -> str:
    """The request's whole query string in a canonical order (for validators, never for cache keys)."""
    return urlencode(sorted(request.GET.lists()), doseq=True)


def public_campaign(request, slug: str):
    """``campaign_get_public``, read once per request: the ETag function and the view both need it."""
    campaign = getattr(request, "_groundswell_campaign", None)
    if campaign is None or campaign.slug != slug:
        campaign = campaign_get_public(slug=slug)
        request._groundswell_campaign = campaign
    return campaign


def public_data_version(request, campaign) -> str:
    """``action_data_version``, read once per request (the ETag and the fragment's key use the same)."""
    versions = request.__dict__.setdefault("_groundswell_data_versions", {})
    if campaign.pk not in versions:
        versions[campaign.pk] = action_data_version(campaign=campaign)
    return versions[campaign.pk]


def with_query(request, query: dict[str, str]):
    """A copy of ``request`` whose query string is ``query`` alone. A fragment cached for many visitors is
    rendered from it, so the links it builds from the query (``url_with``) never carry one visitor's stray
    parameters to the others."""
    clean = copy.copy(request)
    clean.GET = QueryDict(urlencode(query))
    return clean


# Whole documents

DOCUMENT_MAX_AGE = 60  # what browsers and shared caches (nginx, a CDN) may keep without asking
DOCUMENT_STALE_WHILE_REVALIDATE = 30
DOCUMENT_FRESH_SECONDS = 60  # our own cache: renewed after this (time-driven changes such as "now")
DOCUMENT_KEEP_SECONDS = 600  # and served stale while one request renews it, up to this
# Headers a stored document keeps; everything per visitor or per response (cookies, Vary, validators,
# Cache-Control) is set anew.
STORED_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Access-Control-Allow-Origin",
    "Access-Control-Expose-Headers",
    "Link",
    "X-Robots-Tag",
)
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _document_headers(response, etag: str, max_age: int = DOCUMENT_MAX_AGE) -> None:
    for name in ("Set-Cookie", "Vary", "Cache-Control", "Expires", "Last-Modified"):
        if name in response.headers:
            del response.headers[name]
    response.cookies.clear()
    response["Cache-Control"] = (
        f"public, max-age={max_age}, stale-while-revalidate={DOCUMENT_STALE_WHILE_REVALIDATE}"
    )
    response["ETag"] = etag
    response.public_document = True  # the language middleware adds no Vary to it


def _etag_matches(request, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return "*" in candidates or etag.removeprefix("W/") in candidates


def _language_redirect(request):
    """A page asked for without ``lang``: to its address in the visitor's language (the remembered choice,
    then Accept-Language), which every cache can keep as one shared document. This answer itself is the
    visitor's own."""
    language = next(
        (code for code in getattr(request, "preferred_languages", ()) if code in UI_LANGUAGES),
        settings.LANGUAGE_CODE,
    )
    query = request.GET.copy()
    query["lang"] = language
    response = HttpResponseRedirect(f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}")
    response["Cache-Control"] = "private, max-age=0"
    # The widget's data is read from other sites: its redirect must be followable there too.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _use_language(request, language: str) -> None:
    """The document's language is its URL's alone: no cookie or Accept-Language may change its body."""
    ui_language = language if language in UI_LANGUAGES else settings.LANGUAGE_CODE
    request.preferred_languages = [language] if language else []
    request.LANGUAGE_CODE = ui_language
    translation.activate(ui_language)


def _accepts_gzip(request) -> bool:
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "").lower()


# Links from one public page to another keep the page's language, so that following them needs no redirect and
# lands on the same shared document (the language switcher's links are the exception: they change it).
_LOCAL_LINK = re.compile(r'((?:href|hx-get|action|src|data-[a-z-]+-url)=")(/(?:c|feeds/c)/[^"#]*)(#[^"]*)?"')


def with_language_links(html: str, language: str) -> str:
    """``html`` with ``lang=language`` added to its links to our public pages and feeds."""

    def add(match):
        url = match.group(2)
        if "lang=" in url:
            return match.group(0)
        separator = "&amp;" if "?" in url else "?"
        return f'{match.group(1)}{url}{separator}lang={language}{match.group(3) or ""}"'

    return _LOCAL_LINK.sub(add, html)


def _render_for_cache(view, request, args, kwargs, language: str):
    """The view's answer as a storable entry, or None when it is not one to share (an error, a redirect,
    a stream, or an answer the view marked private)."""
    clean = copy.copy(request)
    clean.META = {key: value for key, value in request.META.items() if key not in CONDITIONAL_HEADERS}
    clean._messages = []  # messages belong to one visitor: never rendered into a shared document
    response = view(clean, *args, **kwargs)
    # The page may have asked for a CSRF token (a form); the token is not in a shared document's HTML
    # (public forms check the Origin instead), so no cookie for it either.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
    if response.status_code != 200 or response.streaming:
        return response
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get("Cache-Control", ""):
        return response
    body = response.content
    if language and response.get("Content-Type", "").startswith("text/html"):
        body = with_language_links(body.decode(), language).encode()
    headers = {name: response[name] for name in STORED_HEADERS if name in response.headers}
    # The view's own validator when it has one (it may be weak: one for every encoding of the same data),
    # else the body's.
    etag = response.get("ETag") or '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return {"body": body, "headers": headers, "etag": etag, "vary_encoding": "Content-Encoding" in headers}


def _from_entry(request, entry: dict, max_age: int):
    if _etag_matches(request, entry["etag"]):
        response = HttpResponseNotModified()
        for name, value in entry["headers"].items():
            if name.startswith("Access-Control-"):  # a revalidation from another site must be readable
                response[name] = value
        _document_headers(response, entry["etag"], max_age)
        return response
    response = HttpResponse(entry["body"])
    for name, value in entry["headers"].items():
        response[name] = value
    _document_headers(response, entry["etag"], max_age)
    if entry["vary_encoding"]:
        response["Vary"] = "Accept-Encoding"
    return response


def public_document(
    *,
    scope: str = "campaign",
    redirect_language: bool = True,
    unstored=("q", "near", "near_city"),
    max_age: int = DOCUMENT_MAX_AGE,
    key_extra=None,
):
    """Serves a public GET as a shared document: from our cache when it can, with no cookie, one
    representation per URL (``lang`` in the URL, never the visitor's cookie or Accept-Language),
    ``Cache-Control: public`` with a short max-age and stale-while-revalidate, and an ETag (304 on
    If-None-Match).

    ``scope`` names what the document shows: ``"campaign"`` (the view's ``slug``) or ``"action"`` (also its
    ``pk``); the services invalidate them (``core.page_cache.public_changed``). Pages
    (``redirect_language``) asked for without ``lang`` redirect to their address in the visitor's language;
    data and feeds without ``lang`` are in the default language. A request with any of the ``unstored``
    parameters (typed text, a position: their variety has no bound) is rendered every time, never stored.
    A page that follows the clock more closely than a minute ("now") says so with a shorter ``max_age``.
    ``key_extra`` gives what else the body depends on (the map data's format, which a deploy may change).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            language = normalize_language(request.GET.get("lang", ""))
            if not language and redirect_language:
                return _language_redirect(request)
            if "messages" in request.COOKIES:
                # A message waits for this visitor (after a form): their own copy of the page.
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True, max_age=0)
                return response
            _use_language(request, language)
            scopes = [("campaign", kwargs.get("slug", ""))]
            if scope == "action":
                scopes.append(("action", kwargs.get("pk", "")))
            query = sorted((name, values) for name, values in request.GET.lists() if name != "lang")
            key = document_key(
                view.__module__,
                view.__qualname__,
                request.path,
                urlencode(query, doseq=True),
                language,
                _accepts_gzip(request),
                public_versions(*scopes),
                key_extra() if key_extra else "",
            )
            rendered = []

            def render():
                result = _render_for_cache(view, request, args, kwargs, language)
                if isinstance(result, dict):
                    return result
                rendered.append(result)  # not storable: answered as it is
                return None

            if any(request.GET.get(name) for name in unstored):
                entry = render()
            else:
                fresh_for = min(DOCUMENT_FRESH_SECONDS, max_age)
                entry = cached_document(key, render, fresh_for=fresh_for, keep_for=DOCUMENT_KEEP_SECONDS)
            if entry is None:
                response = rendered[0] if rendered else view(request, *args, **kwargs)
                if response.status_code == 200:  # a stream: shared, but not stored
                    etag = response.get("ETag") or f'W/"{key[-32:]}"'
                    if _etag_matches(request, etag):
                        # The stream never started: nothing to close (closing would end the request).
                        response = HttpResponseNotModified()
                    _document_headers(response, etag, max_age)
                return response
            return _from_entry(request, entry, max_age)

        return wrapper

    return decorator
