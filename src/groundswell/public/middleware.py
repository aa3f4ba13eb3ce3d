"""Public pages and data served as shared documents before the rest of the middleware runs.

A request is a document when it is an anonymous GET or HEAD of a view marked by ``public_document`` (with its
language in the URL where the view wants one) or of the API's public reads (``/api/v1/campaigns/<slug>/…``
without a token). Its answer comes from our cache (``core.documents.serve_document``); on a miss the whole
stack below renders it, and what it adds (the Content-Security-Policy, the framing rules) is stored with the
body. Everything else passes through untouched. See docs/architecture.md, "Shared documents".
"""

import functools

from django.urls import Resolver404, resolve

from groundswell.core.documents import DocumentPolicy, serve_document
from groundswell.core.languages import normalize_language

API_PREFIX = "/api/v1/campaigns/"
API_POLICY = DocumentPolicy(name="api", redirect_language=False, unstored=("q",))


class SharedDocumentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or "messages" in request.COOKIES:
            # A message waits for this visitor (after a form): the page below renders their own copy.
            return self.get_response(request)
        document = self._document(request)
        if document is None:
            return self.get_response(request)
        request.get_host()  # the host is checked as for any request (DisallowedHost: 400)
        policy, scopes, language = document
        return serve_document(
            request,
            self.get_response,
            name=policy.name + (policy.key_extra() if policy.key_extra else ""),
            scopes=scopes,
            language=language,
            unstored=policy.unstored,
            max_age=policy.max_age,
        )

    @staticmethod
    def _document(request):
        """(policy, scopes, language) when ``request`` asks for a shared document, else None."""
        path = request.path_info
        if path.startswith(API_PREFIX):
            slug = path[len(API_PREFIX) :].split("/", 1)[0]
            if not slug or "HTTP_AUTHORIZATION" in request.META:
                return None  # an organization reading its own actions: not shared
            return API_POLICY, [("campaign", slug)], ""
        route = _route(path)
        if route is None:
            return None
        policy, kwargs = route[0], dict(route[1])
        language = normalize_language(request.GET.get("lang", ""))
        if not language and policy.redirect_language:
            return None  # the view sends the visitor to the page in their language
        scopes = [("campaign", kwargs.get("slug", ""))]
        if policy.scope == "action":
            scopes.append(("action", kwargs.get("pk", "")))
        return policy, scopes, language


@functools.lru_cache(maxsize=4096)
def _route(path: str):
    """(policy, the URL's arguments) of a path that leads to a shared document's view, else None: resolving
    is a good part of a cached answer's cost, so it is remembered for the paths asked for most."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    policy = getattr(match.func, "shared_document", None)
    return None if policy is None else (policy, tuple(sorted(match.kwargs.items())))
