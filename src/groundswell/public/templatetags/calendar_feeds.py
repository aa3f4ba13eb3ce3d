"""Links to the calendar feeds: the https address to copy and a webcal:// one that opens a calendar app.

Both come from GROUNDSWELL_BASE_URL (never the request's Host header) and carry the page's language, since
a calendar app fetching the feed sends no Accept-Language of its own.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.translation import get_language
from django_countries import countries

from groundswell.core.mail import absolute_url

register = template.Library()


def _feed_urls(path: str) -> dict[str, str]:
    url = f"{absolute_url(path)}?{urlencode({'lang': get_language()})}"
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


@register.inclusion_tag("public/_calendar_subscribe.html")
def calendar_subscribe(campaign, country: str = "", compact: bool = False):
    """The campaign's feed and, with a ``country`` code, that country's (alone when ``compact``)."""
    code = (country or "").upper()
    country_feed = None
    if code in countries:
        path = reverse("public:country_ics", kwargs={"slug": campaign.slug, "country": code.lower()})
        country_feed = {**_feed_urls(path), "name": countries.name(code)}
    return {
        "campaign_feed": _feed_urls(reverse("public:campaign_ics", kwargs={"slug": campaign.slug})),
        "country_feed": country_feed,
        "compact": compact,
    }
