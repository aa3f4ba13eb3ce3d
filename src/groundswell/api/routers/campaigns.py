"""Campaigns, their call in every language, and their days of action."""

from django.conf import settings
from django.http import Http404
from ninja import Router

from groundswell.campaigns.selectors import call_for, campaign_list_published

from ..lookup import public_campaign
from ..schemas.campaigns import CallTranslationOut, CampaignOut, DayOfActionOut
from ..schemas.common import ErrorOut

router = Router(tags=["campaigns"])


def _translation_out(translation, original) -> dict:
    outdated = (
        not translation.is_original
        and translation.source_updated_at is not None
        and original.source_updated_at is not None
        and translation.source_updated_at < original.source_updated_at
    )
    return {
        "language": translation.language,
        "title": translation.title,
        "body": translation.body,
        "demands": [str(demand) for demand in translation.demands or []],
        "is_original": translation.is_original,
        "is_outdated": outdated,
        "updated_at": translation.updated_at,
    }


def _campaign_out(campaign) -> dict:
    translations = list(campaign.translations.all())
    original = next((t for t in translations if t.is_original), translations[0] if translations else None)
    return {
        "slug": campaign.slug,
        "url": f"{settings.BASE_URL}{campaign.get_absolute_url()}",
        "status": campaign.status,
        "title": original.title if original else "",
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "original_language": campaign.original_language,
        "languages": sorted(t.language for t in translations),
        "days_of_action": [{"date": d.date, "label": d.label} for d in campaign.days_of_action.all()],
    }


@router.get("/campaigns", response=list[CampaignOut], summary="Published campaigns")
def campaign_list(request):
    return [_campaign_out(campaign) for campaign in campaign_list_published()]


@router.get("/campaigns/{slug}", response={200: CampaignOut, 404: ErrorOut}, summary="A campaign")
def campaign_detail(request, slug: str):
    return _campaign_out(public_campaign(slug))


@router.get(
    "/campaigns/{slug}/translations",
    response={200: list[CallTranslationOut], 404: ErrorOut},
    summary="The call in every language",
)
def translation_list(request, slug: str):
    campaign = public_campaign(slug)
    choice = call_for(campaign=campaign, preferred_languages=[])
    return [_translation_out(t, choice.original) for t in campaign.translations.all()]


@router.get(
    "/campaigns/{slug}/translations/{language}",
    response={200: CallTranslationOut, 404: ErrorOut},
    summary="The call in one language",
)
def translation_detail(request, slug: str, language: str):
    campaign = public_campaign(slug)
    choice = call_for(campaign=campaign, preferred_languages=[])
    translation = next((t for t in campaign.translations.all() if t.language == language), None)
    if translation is None:
        raise Http404(f"The call has no translation into {language!r}.")
    return _translation_out(translation, choice.original)


@router.get(
    "/campaigns/{slug}/days",
    response={200: list[DayOfActionOut], 404: ErrorOut},
    summary="The campaign's days of action",
)
def day_list(request, slug: str):
    campaign = public_campaign(slug)
    return [{"date": d.date, "label": d.label} for d in campaign.days_of_action.all()]
