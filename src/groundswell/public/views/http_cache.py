"""What the public pages share for HTTP caching: validators (ETags), the campaign read once per request, and
rendering a cacheable fragment from a clean query string.

A public page answers ``Cache-Control: public, max-age=60`` with an ETag built from everything its body
depends on, so a browser or a CDN revalidates with a cheap 304 instead of a rendered page. The language
middleware adds ``Vary: Accept-Language, Cookie``.
"""

import copy
import hashlib
from urllib.parse import urlencode

from django.http import QueryDict

from groundswell.actions.selectors import action_data_version
from groundswell.campaigns.selectors import campaign_get_public

PAGE_MAX_AGE = 60


def etag_of(*parts) -> str:
    """An opaque ETag value (unquoted, as ``condition`` wants it) for ``parts``."""
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]


def query_of(request) -> str:
    """The request's whole query string in a canonical order (for validators, never for cache keys)."""
    return urlencode(sorted(request.GET.lists()), doseq=True)


def public_campaign(request, slug: str):
    """``campaign_get_public``, read once per request: the ETag function and the view both need it."""
    campaign = getattr(request, "_groundswell_campaign", None)
    if campaign is None or campaign.slug != slug:
        campaign = campaign_get_public(slug=slug)
        request._groundswell_campaign = campaign
    return campaign


def public_data_version(request, campaign) -> str:
    """``action_data_version``, read once per request (the ETag and the fragment's key use the same)."""
    versions = request.__dict__.setdefault("_groundswell_data_versions", {})
    if campaign.pk not in versions:
        versions[campaign.pk] = action_data_version(campaign=campaign)
    return versions[campaign.pk]


def with_query(request, query: dict[str, str]):
    """A copy of ``request`` whose query string is ``query`` alone. A fragment cached for many visitors is
    rendered from it, so the links it builds from the query (``url_with``) never carry one visitor's stray
    parameters to the others."""
    clean = copy.copy(request)
    clean.GET = QueryDict(urlencode(query))
    return clean
