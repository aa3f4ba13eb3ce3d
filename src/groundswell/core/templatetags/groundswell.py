from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone

from groundswell.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


@register.filter
def in_zone(value, zone_name):
    """An aware datetime in the named IANA time zone."""
    if value is None:
        return value
    return timezone.localtime(value, ZoneInfo(zone_name))


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
