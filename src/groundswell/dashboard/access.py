"""The early permission check of every campaign page of the dashboard.

The services check again (they raise PermissionDenied); checking here first keeps a page from doing any
work, and decides between 404 and 403: someone with no role in a campaign must not learn that it exists.
"""

import dataclasses

from django.core.exceptions import PermissionDenied
from django.http import Http404

from groundswell.accounts.permissions import can_coordinate, can_moderate, can_translate, can_view_dashboard
from groundswell.campaigns.models import Campaign


@dataclasses.dataclass(frozen=True)
class Access:
    """What the user may do in one campaign; templates use it to show only the links that work."""

    moderate: bool
    translate: bool
    coordinate: bool

    def allows(self, need: str) -> bool:
        return getattr(self, need)


def access_of(user, campaign: Campaign) -> Access:
    return Access(
        moderate=can_moderate(user, campaign),
        translate=can_translate(user, campaign),
        coordinate=can_coordinate(user, campaign),
    )


def campaign_for(request, slug: str, *, need: str) -> tuple[Campaign, Access]:
    """The campaign of a dashboard page and the user's access to it.

    ``need`` is "moderate", "translate" or "coordinate". No role in the campaign (or no such campaign):
    404. A role that does not allow the page: 403.
    """
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None or not can_view_dashboard(request.user, campaign):
        raise Http404("No such campaign")
    access = access_of(request.user, campaign)
    if not access.allows(need):
        raise PermissionDenied
    return campaign, access
