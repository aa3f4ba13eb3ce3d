"""Who may do what in a campaign. Services call ``require_*``; views and templates may ask ``can_*``."""

from django.core.exceptions import PermissionDenied

from .models import CampaignRole

Role = CampaignRole.Role


def roles_of(user, campaign) -> set[str]:
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return {Role.COORDINATOR, Role.MODERATOR, Role.TRANSLATOR}
    cache = getattr(user, "_campaign_roles", None)
    if cache is None:
        cache = {}
        for campaign_id, role in CampaignRole.objects.filter(user=user).values_list("campaign_id", "role"):
            cache.setdefault(campaign_id, set()).add(role)
        user._campaign_roles = cache
    roles = set(cache.get(campaign.pk, set()))
    if Role.COORDINATOR in roles:
        # A coordinator can do everything a moderator or translator can.
        roles |= {Role.MODERATOR, Role.TRANSLATOR}
    return roles


def forget_roles(user) -> None:
    if hasattr(user, "_campaign_roles"):
        del user._campaign_roles


def can_view_dashboard(user, campaign) -> bool:
    return bool(roles_of(user, campaign))


def can_moderate(user, campaign) -> bool:
    return Role.MODERATOR in roles_of(user, campaign)


def can_coordinate(user, campaign) -> bool:
    return Role.COORDINATOR in roles_of(user, campaign)


def can_translate(user, campaign, language: str | None = None) -> bool:
    if Role.COORDINATOR in roles_of(user, campaign):
        return True
    if Role.TRANSLATOR not in roles_of(user, campaign):
        return False
    if language is None:
        return True
    limits = CampaignRole.objects.filter(user=user, campaign=campaign, role=Role.TRANSLATOR).values_list(
        "languages", flat=True
    )
    return any(not allowed or language in allowed for allowed in limits)


def require_moderator(user, campaign) -> None:
    if not can_moderate(user, campaign):
        raise PermissionDenied("Only this campaign's moderators and coordinators may do this.")


def require_coordinator(user, campaign) -> None:
    if not can_coordinate(user, campaign):
        raise PermissionDenied("Only this campaign's coordinators may do this.")


def require_translator(user, campaign, language: str | None = None) -> None:
    if not can_translate(user, campaign, language):
        raise PermissionDenied("Only this campaign's translators and coordinators may do this.")
