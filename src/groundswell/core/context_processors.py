from django.conf import settings
from django.utils import translation

from .languages import is_rtl


def site(request):
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "ui_languages": settings.LANGUAGES,
        "text_direction": "rtl" if is_rtl(language) else "ltr",
        "current_language": language,
    }
