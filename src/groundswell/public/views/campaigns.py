from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from groundswell.actions.selectors import action_upcoming_by_country
from groundswell.campaigns.selectors import (
    call_for,
    campaign_counts,
    campaign_get_public,
    campaign_list_published,
    campaign_moment,
)
from groundswell.core.languages import is_rtl, language_name

from .http_cache import public_document


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@require_safe
def home(request):
    """The published campaigns; with only one, its page."""
    campaigns = list(campaign_list_published())
    if len(campaigns) == 1:
        return redirect(campaigns[0])
    cards = [
        (campaign, call_for(campaign=campaign, preferred_languages=request.preferred_languages))
        for campaign in campaigns
    ]
    return render(request, "public/campaign_list.html", {"cards": cards})


@require_safe
@public_document()
def campaign_detail(request, slug):
    campaign = campaign_get_public(slug=slug)
    call = call_for(campaign=campaign, preferred_languages=request.preferred_languages)
    now = timezone.now()
    # "Today" for the campaign is the date where most of its public lives: at UTC-0 the world shares a date
    # for the longest stretch; the calendar page shows each action in its own zone.
    today = timezone.localtime(now, ZoneInfo("UTC")).date()
    groups, pages = action_upcoming_by_country(campaign=campaign, now=now, page=_page_number(request))
    page_number = min(_page_number(request), pages)
    return render(
        request,
        "public/campaign_detail.html",
        {
            "campaign": campaign,
            "call": call,
            "call_dir": "rtl" if is_rtl(call.translation.language) else "ltr",
            "call_language_name": language_name(call.translation.language, local=True),
            "requested_language_name": language_name(call.requested),
            "original_language_name": language_name(call.original.language),
            "available_languages": [(code, language_name(code, local=True)) for code in call.available],
            "moment": campaign_moment(campaign=campaign, today=today),
            "counts": campaign_counts(campaign=campaign),
            "groups": groups,
            "page_obj": Paginator(range(pages), 1).get_page(page_number),
        },
    )
