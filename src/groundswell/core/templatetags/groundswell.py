from urllib.parse import urlencode

from django import template
from django.urls import reverse

from groundswell.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def language_switch_url(context, code):
    """The switcher's link to ``code``: through ``choose_language``, which remembers the choice and comes
    back to this page (without its ``lang`` and ``page``) in that language."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("lang", None)
    query.pop("page", None)
    encoded = urlencode(sorted(query.lists()), doseq=True)
    here = request.path + (f"?{encoded}" if encoded else "")
    return reverse("choose_language") + "?" + urlencode({"lang": code, "next": here})


@register.simple_tag(takes_context=True)
def url_with(context, **changes):
    """The current URL's query string with some parameters changed (None or '' removes one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = urlencode(sorted(query.lists()), doseq=True)
    return f"?{encoded}" if encoded else "?"
