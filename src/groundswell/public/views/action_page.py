"""An action's public page, its poster and QR code."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from groundswell.actions.selectors import action_public_get
from groundswell.campaigns.selectors import campaign_get_public


def not_yet(request, *args, **kwargs):
    raise Http404("not yet")


@require_GET
def action_detail(request, slug, pk):
    campaign = campaign_get_public(slug=slug)
    action = action_public_get(campaign=campaign, pk=pk)
    if action is None:
        raise Http404("No such action")
    return render(request, "public/action_detail.html", {"campaign": campaign, "action": action})
