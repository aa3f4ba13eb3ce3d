from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from .languages import normalize_language

UI_LANGUAGES = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    """Chooses the language of a request.

    In order: a shareable ``?lang=xx`` in the URL, the choice remembered by the language switcher
    (``core.views.choose_language``), the browser's Accept-Language. ``request.preferred_languages`` keeps the
    whole ordered list, so content such as the call can be shown in a language the interface itself lacks.

    Public documents (``public.views.http_cache.public_document``) take their language from the URL alone;
    ``public.middleware.SharedDocumentMiddleware`` takes the Vary added here off them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from_url = normalize_language(request.GET.get("lang", ""))
        from_cookie = normalize_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""))
        preferred = [code for code in (from_url, from_cookie) if code]
        for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", ""))[:10]:
            normalized = normalize_language(code)
            if normalized and normalized not in preferred:
                preferred.append(normalized)
        request.preferred_languages = preferred
        ui_language = next((code for code in preferred if code in UI_LANGUAGES), settings.LANGUAGE_CODE)
        translation.activate(ui_language)
        request.LANGUAGE_CODE = ui_language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        translation.deactivate()
        return response
