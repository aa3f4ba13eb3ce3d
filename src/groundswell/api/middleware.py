"""The API's public reads as shared documents (``core.documents``): every anonymous GET under
``/api/v1/campaigns/<slug>/`` is served from the page cache under the campaign's public version, with
``Cache-Control: public`` and an ETag, like the public pages. Requests with a token (an organization reading
its own actions) and everything else pass through untouched.
"""

from groundswell.core.documents import serve_document

PREFIX = "/api/v1/campaigns/"


class PublicApiDocumentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or not request.path.startswith(PREFIX)
            or "HTTP_AUTHORIZATION" in request.META
        ):
            return self.get_response(request)
        slug = request.path[len(PREFIX) :].split("/", 1)[0]
        if not slug:
            return self.get_response(request)
        return serve_document(
            request,
            self.get_response,
            name="api",
            scopes=[("campaign", slug)],
            language="",
            unstored=("q",),
        )
