import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.accounts.permissions import require_coordinator, require_translator
from groundswell.core.languages import normalize_language
from groundswell.core.services import audit_record

from .models import CallTranslation, Campaign, DayOfAction

MAX_DEMANDS = 30
MAX_DEMAND_LENGTH = 500


def _clean_demands(demands: list[str]) -> list[str]:
    cleaned = [" ".join(str(demand).split()) for demand in demands if str(demand).strip()]
    if len(cleaned) > MAX_DEMANDS:
        raise ValidationError({"demands": _("At most %(n)d demands.") % {"n": MAX_DEMANDS}})
    if any(len(demand) > MAX_DEMAND_LENGTH for demand in cleaned):
        raise ValidationError(
            {"demands": _("Each demand may have at most %(n)d characters.") % {"n": MAX_DEMAND_LENGTH}}
        )
    return cleaned


def _check_window(start_date: dt.date, end_date: dt.date, days: list[dt.date]) -> None:
    if end_date < start_date:
        raise ValidationError({"end_date": _("The campaign cannot end before it starts.")})
    if (end_date - start_date).days > 366:
        raise ValidationError({"end_date": _("A campaign window may last at most a year.")})
    for day in days:
        if not start_date <= day <= end_date:
            raise ValidationError({"days": _("Every day of action must fall inside the campaign window.")})


@transaction.atomic
def campaign_create(
    *,
    actor,
    slug: str,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    original_language: str,
    title: str,
    body: str,
    demands: list[str],
    days_of_action: list[dt.date],
    status: str = Campaign.Status.DRAFT,
    high_risk: bool = False,
    system: bool = False,
) -> Campaign:
    """Creates a campaign with its original call and days of action. Superusers only, or ``system=True``
    for the installation's own commands (the demo), which act for no user."""
    if not system and not (actor is not None and actor.is_authenticated and actor.is_superuser):
        raise PermissionDenied("Only administrators may create campaigns.")
    language = normalize_language(original_language)
    if not language:
        raise ValidationError({"original_language": _("Unknown language.")})
    _check_window(start_date, end_date, days_of_action)
    campaign = Campaign(
        slug=slug,
        name=name,
        start_date=start_date,
        end_date=end_date,
        status=status,
        original_language=language,
        high_risk=high_risk,
    )
    campaign.full_clean()
    campaign.save()
    now = timezone.now()
    CallTranslation.objects.create(
        campaign=campaign,
        language=language,
        title=title,
        body=body,
        demands=_clean_demands(demands),
        is_original=True,
        source_updated_at=now,
    )
    DayOfAction.objects.bulk_create(
        [DayOfAction(campaign=campaign, date=day) for day in sorted(set(days_of_action))]
    )
    audit_record(actor=actor, verb="campaigns.campaign.created", target=campaign, campaign=campaign)
    return campaign


@transaction.atomic
def campaign_update(
    *,
    actor,
    campaign: Campaign,
    start_date: dt.date,
    end_date: dt.date,
    status: str,
    days_of_action: list[dt.date],
    high_risk: bool,
) -> Campaign:
    """Changes a campaign's window, status and days of action. Coordinators only."""
    require_coordinator(actor, campaign)
    _check_window(start_date, end_date, days_of_action)
    if status not in Campaign.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    before = {
        "start_date": str(campaign.start_date),
        "end_date": str(campaign.end_date),
        "status": campaign.status,
    }
    campaign.start_date, campaign.end_date, campaign.status, campaign.high_risk = (
        start_date,
        end_date,
        status,
        high_risk,
    )
    campaign.save(update_fields=["start_date", "end_date", "status", "high_risk", "updated_at"])
    campaign.days_of_action.exclude(date__in=days_of_action).delete()
    existing = set(campaign.days_of_action.values_list("date", flat=True))
    DayOfAction.objects.bulk_create(
        [DayOfAction(campaign=campaign, date=day) for day in sorted(set(days_of_action) - existing)]
    )
    audit_record(
        actor=actor,
        verb="campaigns.campaign.updated",
        target=campaign,
        campaign=campaign,
        data={
            "before": before,
            "after": {"start_date": str(start_date), "end_date": str(end_date), "status": status},
        },
    )
    return campaign


@transaction.atomic
def call_translation_save(
    *, actor, campaign: Campaign, language: str, title: str, body: str, demands: list[str]
) -> CallTranslation:
    """Adds or edits the call in one language. Translators and coordinators.

    Editing the original makes every translation made before it outdated; a saved translation records
    which version of the original it follows.
    """
    language = normalize_language(language)
    if not language:
        raise ValidationError({"language": _("Unknown language.")})
    require_translator(actor, campaign, language)
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("The call needs a title.")})
    if not body.strip():
        raise ValidationError({"body": _("The call needs a text.")})
    demands = _clean_demands(demands)
    original = campaign.translations.select_for_update().filter(is_original=True).first()
    now = timezone.now()
    translation, created = CallTranslation.objects.get_or_create(
        campaign=campaign,
        language=language,
        defaults={"title": title, "body": body, "demands": demands, "is_original": original is None},
    )
    translation.title, translation.body, translation.demands = title, body, demands
    if translation.is_original:
        translation.source_updated_at = now
    else:
        translation.source_updated_at = original.source_updated_at if original else now
    translation.save()
    audit_record(
        actor=actor,
        verb="campaigns.call.created" if created else "campaigns.call.updated",
        target=translation,
        campaign=campaign,
        data={"language": language},
    )
    return translation
