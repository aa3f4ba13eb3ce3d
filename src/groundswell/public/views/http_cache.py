"""What the public pages share for HTTP caching: validators (ETags), the campaign read once per request, and
rendering a cacheable fragment from a clean query string.

A public page answers ``Cache-Control: public, max-age=60`` with an ETag built from everything its body
depends on, so a browser or a CDN revalidates with a cheap 304 instead of a rendered page. The language
middleware adds ``Vary: Accept-Language, Cookie``.
"""

import copy
import functools
import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect, QueryDict
from django.utils import translation
from django.utils.cache import patch_cache_control

from groundswell.actions.selectors import action_data_version
from groundswell.campaigns.selectors import campaign_get_public
from groundswell.core.documents import DOCUMENT_MAX_AGE, DocumentPolicy
from groundswell.core.languages import normalize_language
from groundswell.core.middleware import UI_LANGUAGES

PAGE_MAX_AGE = 60


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


class _NoMessages(list):
    """What a shared document's template sees of the messages framework: none. The message middleware's
    ``update`` at the end of the request has nothing to store."""

    def update(self, response):
        return []


def public_document(
    *,
    scope: str = "campaign",
    redirect_language: bool = True,
    unstored=("q", "near", "near_city"),
    max_age: int = DOCUMENT_MAX_AGE,
    key_extra=None,
):
    """Marks a public view as one whose GETs are shared documents: one representation per URL (``lang`` in the
    URL, never the visitor's cookie or Accept-Language), no cookie, ``Cache-Control: public`` with a short
    max-age and stale-while-revalidate, an ETag (304 on If-None-Match), and served from our cache by
    ``public.middleware.SharedDocumentMiddleware`` (see ``core.documents.DocumentPolicy`` for the options).

    The view itself, through this wrapper: a page (``redirect_language``) asked for without ``lang`` sends
    the visitor to its address in their language; otherwise the language of the URL (or the default one) is
    the only one the body may depend on.
    """

    def decorator(view):
        policy = DocumentPolicy(
            name=f"{view.__module__}.{view.__qualname__}",
            scope=scope,
            redirect_language=redirect_language,
            unstored=tuple(unstored),
            max_age=max_age,
            key_extra=key_extra,
        )

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
            # Messages belong to one visitor (kept in the session when their cookie is full): never rendered
            # into a shared document, and left where they are for the visitor's next page of their own.
            request._messages = _NoMessages()
            return view(request, *args, **kwargs)

        wrapper.shared_document = policy
        return wrapper

    return decorator
