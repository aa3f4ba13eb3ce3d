import re

from groundswell.campaigns.selectors import campaign_get_public

from .errors import ApiError

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")


def public_campaign(slug: str):
    """The published or archived campaign, or a 404. A path holding what no slug holds (a NUL byte, which
    PostgreSQL refuses in a query) is answered without asking the database."""
    if not SLUG.fullmatch(slug):
        raise ApiError(404, "No such campaign.")
    return campaign_get_public(slug=slug)
