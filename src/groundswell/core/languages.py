"""Language codes and names for call translations (any language, not only the interface's)."""

import re

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext as _
from django.utils.translation import override

_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8}){0,3}$")
RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "ckb", "ug", "yi", "dv", "sd"}


def _known(code: str) -> str:
    info = LANG_INFO.get(code)
    if info is None:
        return ""
    if "fallback" in info:  # "zh-cn" -> "zh-hans"
        return info["fallback"][0]
    return code


def normalize_language(code: str) -> str:
    """A browser's or URL's language tag as a code Django knows, or '' for anything else.

    'fr-CA' -> 'fr', 'pt_BR' -> 'pt-br', 'zh-CN' -> 'zh-hans', 'zh-Hant-TW' -> 'zh-hant',
    'sr-Latn-RS' -> 'sr-latn', 'de-CH-1996' -> 'de'.
    """
    code = (code or "").strip().lower().replace("_", "-")[:35]
    if not _CODE.match(code):
        return ""
    parts = code.split("-")
    # The longest known prefix: language-script-region, language-script or language-region, language.
    for length in range(len(parts), 0, -1):
        known = _known("-".join(parts[:length]))
        if known:
            return known
    return ""


def language_choices() -> list[tuple[str, str]]:
    """Every language a call can be written in, named in the current interface language."""
    from django.utils.translation import get_language_info

    choices = []
    for code, info in LANG_INFO.items():
        if "fallback" in info or "name" not in info:
            continue
        choices.append((code, f"{_(info['name'])} — {get_language_info(code)['name_local']}"))
    return sorted(choices, key=lambda item: item[1].casefold())


def language_name(code: str, *, local: bool = False) -> str:
    info = LANG_INFO.get(code)
    if not info or "name" not in info:
        return code
    return info["name_local"] if local else _(info["name"])


def is_rtl(code: str) -> bool:
    return code.split("-")[0] in RTL_LANGUAGES


__all__ = ["language_choices", "language_name", "normalize_language", "is_rtl", "override"]
