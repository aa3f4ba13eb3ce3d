"""Serving shared documents: a public GET answered from the page cache (``page_cache``) with the headers
that let any cache in front keep one copy per URL.

See docs/architecture.md, "Shared documents". Which requests are documents, and of what (the views marked by
``public.views.http_cache.public_document``, the API's public reads), is decided by
``public.middleware.SharedDocumentMiddleware``, which serves them before the rest of the middleware runs.
"""

import copy
import dataclasses
import hashlib
import re
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseNotModified

from .http import accepts_gzip, etag_matches
from .page_cache import cached_document, document_key, public_versions

DOCUMENT_MAX_AGE = 60  # what browsers and shared caches (nginx, a CDN) may keep without asking
DOCUMENT_STALE_WHILE_REVALIDATE = 30
DOCUMENT_FRESH_SECONDS = 60  # our own cache: renewed after this (time-driven changes such as "now")
DOCUMENT_KEEP_SECONDS = 600  # and served stale while one request renews it, up to this
# Headers a stored document does not keep: per visitor or per response (cookies, Vary, validators,
# Cache-Control, the date and length), set anew for each answer. Everything else (the type, the
# Content-Security-Policy and framing rules of the whole middleware stack, CORS for the widget's data) is
# stored with the body.
PER_RESPONSE_HEADERS = frozenset(
    {
        "set-cookie",
        "vary",
        "cache-control",
        "expires",
        "last-modified",
        "etag",
        "date",
        "content-length",
        "server",
    }
)


@dataclasses.dataclass(frozen=True)
class DocumentPolicy:
    """What a view's documents are: ``scope`` ("campaign", or "action" for the action's own), whether a page
    asked for without ``lang`` is sent to its language (``redirect_language``), the query parameters whose
    answers are never stored (``unstored``), the ``max_age`` others may keep it, and ``key_extra``: what else
    its body depends on."""

    name: str
    scope: str = "campaign"
    redirect_language: bool = True
    unstored: tuple = ("q", "near", "near_city")
    max_age: int = DOCUMENT_MAX_AGE
    key_extra: Callable[[], str] | None = None


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
    response.cookies.clear()  # a CSRF or session cookie the page asked for: not in a shared document
    response["Cache-Control"] = (
        f"public, max-age={max_age}, stale-while-revalidate={DOCUMENT_STALE_WHILE_REVALIDATE}"
    )
    response["ETag"] = etag


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


def _render_for_cache(render_view, request, language: str):
    """The view's answer as a storable entry, or None when it is not one to share (an error, a redirect,
    a stream, or an answer the view marked private)."""
    clean = copy.copy(request)
    clean.META = {key: value for key, value in request.META.items() if key not in CONDITIONAL_HEADERS}
    response = render_view(clean)
    if response.status_code != 200 or response.streaming:
        return response
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get("Cache-Control", ""):
        return response
    body = response.content
    if language and response.get("Content-Type", "").startswith("text/html"):
        body = with_language_links(body.decode(), language).encode()
    headers = {name: value for name, value in response.items() if name.lower() not in PER_RESPONSE_HEADERS}
    # The view's own validator when it has one (it may be weak: one for every encoding of the same data),
    # else the body's.
    etag = response.get("ETag") or '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return {"body": body, "headers": headers, "etag": etag, "vary_encoding": "Content-Encoding" in headers}


def _from_entry(request, entry: dict, max_age: int):
    if etag_matches(request.headers.get("If-None-Match", ""), entry["etag"]):
        response = HttpResponseNotModified()
        for name, value in entry["headers"].items():
            if name.lower().startswith("access-control-"):  # a revalidation from another site must be read
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


def serve_document(
    request, render_view, *, name: str, scopes, language: str, unstored=(), max_age=DOCUMENT_MAX_AGE
):
    """``render_view(request)``'s answer as a shared document: from our cache under a key of ``name``, the
    path, the query (without ``lang``), ``language``, gzip acceptance and the public versions of
    ``scopes``; stored when it is a plain 200, answered as it is otherwise."""
    query = sorted((key, values) for key, values in request.GET.lists() if key != "lang")
    key = document_key(
        name,
        request.path,
        urlencode(query, doseq=True),
        language,
        accepts_gzip(request.headers.get("Accept-Encoding", "")),
        public_versions(*scopes),
    )
    rendered = []

    def render():
        result = _render_for_cache(render_view, request, language)
        if isinstance(result, dict):
            return result
        rendered.append(result)  # not storable: answered as it is
        return None

    if any(request.GET.get(param) for param in unstored):
        entry = render()
    else:
        fresh_for = min(DOCUMENT_FRESH_SECONDS, max_age)
        entry = cached_document(key, render, fresh_for=fresh_for, keep_for=DOCUMENT_KEEP_SECONDS)
    if entry is None:
        response = rendered[0] if rendered else render_view(request)
        if response.status_code == 200:  # a stream: shared, but not stored
            etag = response.get("ETag") or f'W/"{key[-32:]}"'
            if etag_matches(request.headers.get("If-None-Match", ""), etag):
                # The stream never started: nothing to close (closing would end the request).
                response = HttpResponseNotModified()
            _document_headers(response, etag, max_age)
        return response
    return _from_entry(request, entry, max_age)
