"""Language codes and names for call translations (any language, not only the interface's)."""

import re

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext as _
from django.utils.translation import override

_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "ckb", "ug", "yi", "dv", "sd"}


def normalize_language(code: str) -> str:
    """'fr-CA' -> 'fr-ca'; returns '' for anything that is not a language Django knows."""
    code = (code or "").strip().lower().replace("_", "-")[:20]
    if not _CODE.match(code):
        return ""
    if code in LANG_INFO and "fallback" not in LANG_INFO[code]:
        return code
    base = code.split("-")[0]
    return base if base in LANG_INFO else ""


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
