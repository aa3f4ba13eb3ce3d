import dataclasses
import datetime as dt

from django.core.cache import cache
from django.http import Http404

from groundswell.core.page_cache import public_versions

from .diff import CallDiff, call_diff
from .models import CallTranslation, CallVersion, Campaign, DayOfAction


def campaign_list_published():
    return Campaign.objects.filter(status=Campaign.Status.PUBLISHED).prefetch_related(
        "translations", "days_of_action"
    )


def campaign_get_public(*, slug: str) -> Campaign:
    """A published or archived campaign, or 404."""
    try:
        return Campaign.objects.prefetch_related("translations", "days_of_action").get(
            slug=slug, status__in=[Campaign.Status.PUBLISHED, Campaign.Status.ARCHIVED]
        )
    except Campaign.DoesNotExist:
        raise Http404("No such campaign") from None


@dataclasses.dataclass(frozen=True)
class CallChoice:
    translation: CallTranslation
    original: CallTranslation
    requested: str  # the language the visitor asked for first
    is_fallback: bool  # the visitor's language was not available
    is_outdated: bool

    @property
    def available(self) -> list[str]:
        return sorted(t.language for t in self.translation.campaign.translations.all())


def call_for(*, campaign: Campaign, preferred_languages: list[str]) -> CallChoice:
    """The call in the first of the visitor's languages that it has, else the original.

    Uses ``campaign.translations.all()`` so a prefetched campaign costs no query.
    """
    translations = list(campaign.translations.all())
    by_language = {t.language: t for t in translations}
    original = next((t for t in translations if t.is_original), translations[0] if translations else None)
    if original is None:
        raise Http404("This campaign has no call yet")
    chosen = None
    for code in preferred_languages:
        chosen = by_language.get(code) or by_language.get(code.split("-")[0])
        if chosen:
            break
    requested = preferred_languages[0] if preferred_languages else original.language
    is_fallback = chosen is None
    chosen = chosen or original
    outdated = (
        not chosen.is_original
        and chosen.source_updated_at is not None
        and original.source_updated_at is not None
        and chosen.source_updated_at < original.source_updated_at
    )
    return CallChoice(chosen, original, requested, is_fallback, outdated)


def call_translation_is_outdated(*, translation: CallTranslation, original: CallTranslation | None) -> bool:
    """The original changed after ``translation`` was made (or we cannot tell when it was made)."""
    return (
        original is not None
        and not translation.is_original
        and original.source_updated_at is not None
        and (
            translation.source_updated_at is None
            or translation.source_updated_at < original.source_updated_at
        )
    )


def call_version_at(*, campaign_id: int, when: dt.datetime | None) -> CallVersion | None:
    """The original as it was at ``when``: the newest version saved then or before (None if not kept)."""
    if when is None:
        return None
    return (
        CallVersion.objects.filter(campaign_id=campaign_id, saved_at__lte=when).order_by("-saved_at").first()
    )


@dataclasses.dataclass(frozen=True)
class CallChanges:
    """What changed in the original since a translation was made."""

    since: CallVersion | None  # the original as the translation followed it; None when that was not kept
    original: CallTranslation  # the original now
    diff: CallDiff | None  # None when the earlier version was not kept


def call_changes_since(*, translation: CallTranslation, original: CallTranslation) -> CallChanges | None:
    """For an outdated translation, the original then and now and their differences; None when the
    translation is up to date (or is the original). One query."""
    if not call_translation_is_outdated(translation=translation, original=original):
        return None
    since = call_version_at(campaign_id=original.campaign_id, when=translation.source_updated_at)
    return CallChanges(
        since=since,
        original=original,
        diff=call_diff(before=since, now=original) if since is not None else None,
    )


@dataclasses.dataclass(frozen=True)
class CampaignMoment:
    """Where today falls in the campaign: before, during or after the window, and the next day of action."""

    phase: str  # "before", "during", "after"
    today: dt.date
    days_to_start: int
    day_number: int  # 1-based day of the window when during
    window_days: int
    today_is_day_of_action: bool
    next_day_of_action: DayOfAction | None
    days_to_next: int | None


def campaign_moment(*, campaign: Campaign, today: dt.date) -> CampaignMoment:
    days = sorted(campaign.days_of_action.all(), key=lambda day: day.date)
    upcoming = [day for day in days if day.date >= today]
    next_day = upcoming[0] if upcoming else None
    if today < campaign.start_date:
        phase = "before"
    elif today > campaign.end_date:
        phase = "after"
    else:
        phase = "during"
    return CampaignMoment(
        phase=phase,
        today=today,
        days_to_start=(campaign.start_date - today).days,
        day_number=(today - campaign.start_date).days + 1,
        window_days=(campaign.end_date - campaign.start_date).days + 1,
        today_is_day_of_action=bool(next_day and next_day.date == today),
        next_day_of_action=next_day,
        days_to_next=(next_day.date - today).days if next_day else None,
    )


def campaign_counts(*, campaign: Campaign) -> dict:
    """Approved actions, their countries and approved endorsements. Cached briefly: the campaign page
    is the busiest page on a day of action."""
    # Under the campaign's public version: an approval or a withdrawal shows at once.
    key = f"campaign-counts:{campaign.pk}:{public_versions(('campaign', campaign.slug))}"
    counts = cache.get(key)
    if counts is None:
        from groundswell.actions.models import Action
        from groundswell.actions.selectors import action_count_and_countries

        approved = Action.objects.filter(campaign=campaign, status=Action.Status.APPROVED)
        # The countries by one index seek each: COUNT(DISTINCT country) read and sorted every action.
        total, present = action_count_and_countries(actions=approved)
        counts = {"actions": total, "countries": len(present)}
        # "endorsing organizations": individual signers are listed (and counted) on the signatories page.
        counts["endorsements"] = campaign.endorsements.filter(
            status="approved", signer_kind="organization"
        ).count()
        cache.set(key, counts, timeout=30)
    return counts


def day_of_action_dates(*, campaign: Campaign) -> set[dt.date]:
    return {day.date for day in campaign.days_of_action.all()}
