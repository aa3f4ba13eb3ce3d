import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.accounts.permissions import require_coordinator, require_translator
from groundswell.core.languages import normalize_language
from groundswell.core.page_cache import public_changed
from groundswell.core.services import audit_record

from .models import CallTranslation, CallVersion, Campaign, DayOfAction

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


def _normalize_body(body: str) -> str:
    # Browsers send textareas with CRLF line ends: store one form, so an unchanged text compares equal and
    # the translators' diff does not show line ends.
    return body.replace("\r\n", "\n").replace("\r", "\n")


def _call_version_record(*, original: CallTranslation, actor) -> CallVersion:
    """Keeps the original as just saved, so translators can later see what changed since their version."""
    return CallVersion.objects.create(
        campaign_id=original.campaign_id,
        language=original.language,
        title=original.title,
        body=original.body,
        demands=original.demands,
        saved_at=original.source_updated_at,
        saved_by=actor if actor is not None and actor.is_authenticated else None,
    )


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
    original = CallTranslation.objects.create(
        campaign=campaign,
        language=language,
        title=title,
        body=_normalize_body(body),
        demands=_clean_demands(demands),
        is_original=True,
        source_updated_at=now,
    )
    _call_version_record(original=original, actor=actor)
    DayOfAction.objects.bulk_create(
        [DayOfAction(campaign=campaign, date=day) for day in sorted(set(days_of_action))]
    )
    public_changed(campaign_slug=campaign.slug)
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
    public_changed(campaign_slug=campaign.slug)
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
    *,
    actor,
    campaign: Campaign,
    language: str,
    title: str,
    body: str,
    demands: list[str],
    based_on: dt.datetime | None = None,
) -> CallTranslation:
    """Adds or edits the call in one language. Translators and coordinators.

    Changing the original stores a ``CallVersion`` and makes every translation made before it outdated;
    saving the original unchanged changes nothing. A saved translation records which version of the
    original it follows: the current one, or ``based_on`` (the original's ``source_updated_at`` as the
    translator saw it) when the original changed while they were translating, so it stays outdated.
    """
    language = normalize_language(language)
    if not language:
        raise ValidationError({"language": _("Unknown language.")})
    require_translator(actor, campaign, language)
    if based_on is not None and timezone.is_naive(based_on):
        raise ValueError("based_on must be an aware datetime")
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("The call needs a title.")})
    body = _normalize_body(body)
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
    unchanged = (translation.title, translation.body, translation.demands) == (title, body, demands)
    if translation.is_original and unchanged and not created:
        return translation
    translation.title, translation.body, translation.demands = title, body, demands
    data = {"language": language}
    if translation.is_original:
        translation.source_updated_at = now
        translation.save()
        data["version"] = _call_version_record(original=translation, actor=actor).pk
    else:
        current = original.source_updated_at if original and original.source_updated_at else now
        translation.source_updated_at = min(based_on, current) if based_on else current
        translation.save()
        data["based_on"] = translation.source_updated_at.isoformat()
    public_changed(campaign_slug=campaign.slug)
    audit_record(
        actor=actor,
        verb="campaigns.call.created" if created else "campaigns.call.updated",
        target=translation,
        campaign=campaign,
        data=data,
    )
    return translation
