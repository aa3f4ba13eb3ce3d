from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..access import access_of
from ..selectors import campaign_list_for_staff


@login_required
@require_GET
def home(request):
    """The campaigns where the user has a role, with their pending counts and the pages the role opens."""
    campaigns = [
        (campaign, access_of(request.user, campaign))
        for campaign in campaign_list_for_staff(user=request.user)
    ]
    return render(request, "dashboard/campaign_list.html", {"campaigns": campaigns})
