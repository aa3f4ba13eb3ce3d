"""Sending a stored photo file: inline, as a JPEG and nothing else, cached only when it is public."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404


def photo_file_response(stored_name: str, *, public: bool) -> FileResponse:
    """The JPEG at ``stored_name``, inline, never sniffed as anything else; 404 when the file is gone."""
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
        response["Cache-Control"] = "public, max-age=3600"
    else:
        response["Cache-Control"] = "no-store, private"
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex"
    return response
