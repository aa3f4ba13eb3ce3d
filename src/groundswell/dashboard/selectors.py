"""Reads that only the dashboard makes, composed from the domain's models."""

import dataclasses
import datetime as dt

from django.db.models import Count, Q

from groundswell.accounts.models import CampaignRole
from groundswell.actions.models import Action
from groundswell.campaigns.models import CallTranslation, Campaign


def campaign_list_for_staff(*, user):
    """The campaigns where ``user`` has any role (superusers: all), each with ``pending_count``."""
    campaigns = Campaign.objects.annotate(
        pending_count=Count("actions", filter=Q(actions__status=Action.Status.PENDING))
    ).order_by("-start_date", "slug")
    if not user.is_superuser:
        # A subquery rather than a join, so two roles in one campaign do not double its count.
        campaigns = campaigns.filter(pk__in=CampaignRole.objects.filter(user=user).values("campaign_id"))
    return campaigns


def action_for_moderation(*, campaign, pk: int) -> Action | None:
    """Any action of the campaign, whatever its status, with what the dashboard shows about it."""
    return (
        Action.objects.filter(campaign=campaign, pk=pk)
        .select_related("campaign", "host_organization")
        .first()
    )


@dataclasses.dataclass(frozen=True)
class TranslationRow:
    translation: CallTranslation
    is_outdated: bool


def call_translation_overview(*, campaign) -> tuple[CallTranslation | None, list[TranslationRow]]:
    """The original call and every language of it, each marked outdated when the original changed after it."""
    translations = list(
        CallTranslation.objects.filter(campaign=campaign).order_by("-is_original", "language")
    )
    original = next((t for t in translations if t.is_original), None)
    rows = []
    for translation in translations:
        outdated = (
            original is not None
            and not translation.is_original
            and original.source_updated_at is not None
            and (
                translation.source_updated_at is None
                or translation.source_updated_at < original.source_updated_at
            )
        )
        rows.append(TranslationRow(translation, outdated))
    return original, rows


def call_translation_pair(
    *, campaign, language: str
) -> tuple[CallTranslation | None, CallTranslation | None]:
    """The original call and the call in ``language`` (None when not written yet); one query."""
    translations = list(
        CallTranslation.objects.filter(Q(is_original=True) | Q(language=language), campaign=campaign)
    )
    original = next((t for t in translations if t.is_original), None)
    translation = next((t for t in translations if t.language == language), None)
    return original, translation


def campaign_role_list(*, campaign):
    return (
        CampaignRole.objects.filter(campaign=campaign)
        .select_related("user")
        .order_by("user__username", "role")
    )


def campaign_role_get(*, campaign, pk: int) -> CampaignRole | None:
    return CampaignRole.objects.filter(campaign=campaign, pk=pk).select_related("user").first()


def days_of_action(*, campaign) -> list[dt.date]:
    return list(campaign.days_of_action.order_by("date").values_list("date", flat=True))
