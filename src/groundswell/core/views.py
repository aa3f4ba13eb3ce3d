from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .languages import normalize_language
from .middleware import UI_LANGUAGES


@never_cache
@require_safe
def healthz(request):
    """Answers 200 when the app is up and its database answers; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 -- any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def choose_language(request):
    """The language switcher: remembers the choice in a cookie and goes back to the page (``next``, a path
    of ours) in that language. Public pages set no cookie themselves (they are shared documents), so the
    choice is remembered here, in a request of the visitor's own."""
    language = normalize_language(request.GET.get("lang", ""))
    target = request.GET.get("next", "") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith("/"):
        target = "/"
    parts = urlsplit(target)
    query = QueryDict(parts.query, mutable=True)
    query.pop("page", None)
    if language in UI_LANGUAGES:
        query["lang"] = language
    encoded = urlencode(sorted(query.lists()), doseq=True)
    response = HttpResponseRedirect(parts.path + (f"?{encoded}" if encoded else ""))
    if language in UI_LANGUAGES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
        )
    return response
