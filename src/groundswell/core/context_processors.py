from django.conf import settings
from django.utils import translation

from .languages import is_rtl


def site(request):
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "ui_languages": settings.LANGUAGES,
        "text_direction": "rtl" if is_rtl(language) else "ltr",
        "current_language": language,
        # Map tiles from another host only when the operator chose them (GROUNDSWELL_MAP_TILE_URL).
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
