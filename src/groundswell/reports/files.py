"""Sending a stored photo file: inline, as a JPEG and nothing else.

A public photo may stop being public at any moment (rejected, its report-back taken back, re-blurred under a
new name): caches may keep it but must ask again before each use (``no-cache``), and the answer to that
question is cheap, a 304 for the ETag they hold, given only once the photo was found still public.
"""

import hashlib

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils.http import parse_etags


def photo_etag(stored_name: str) -> str:
    """The file's entity tag: a stored name is never reused for other content (random, and a re-blurred
    photo gets a new one), so a hash of the name identifies the content."""
    return '"' + hashlib.sha256(stored_name.encode()).hexdigest()[:32] + '"'


def _public_headers(response, etag: str):
    response["Cache-Control"] = "public, no-cache"
    response["ETag"] = etag
    return response


def photo_file_response(stored_name: str, *, public: bool, request=None):
    """The JPEG at ``stored_name``, inline, never sniffed as anything else; 404 when the file is gone.

    For a public photo, call it only once the photo was found public: given the ``request``, it answers
    304 Not Modified when the request's If-None-Match holds the file's ETag.
    """
    etag = photo_etag(stored_name) if public else None
    if public and request is not None:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match and (if_none_match.strip() == "*" or etag in parse_etags(if_none_match)):
            if default_storage.exists(stored_name):
                return _public_headers(HttpResponseNotModified(), etag)
            raise Http404("No such photo")
    try:
        handle = default_storage.open(stored_name, "rb")
    except FileNotFoundError:
        raise Http404("No such photo") from None
    response = FileResponse(handle, content_type="image/jpeg")
    basename = stored_name.rsplit("/", 1)[-1]
    response["Content-Disposition"] = f'inline; filename="{basename}"'
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser ever render it as a document, nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if public:
        _public_headers(response, etag)
    else:
        response["Cache-Control"] = "no-store, private"
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex"
    return response
