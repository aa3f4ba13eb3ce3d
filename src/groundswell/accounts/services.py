from django.contrib.auth import get_user_model
from django.db import transaction

from groundswell.core.services import audit_record

from .models import CampaignRole
from .permissions import forget_roles, require_coordinator


@transaction.atomic
def role_grant(*, actor, campaign, user, role: str, languages: list[str] | None = None) -> CampaignRole:
    """Gives ``user`` a role in ``campaign``. Only coordinators (or superusers) may."""
    require_coordinator(actor, campaign)
    if role not in CampaignRole.Role.values:
        raise ValueError(f"unknown role {role!r}")
    grant, _created = CampaignRole.objects.update_or_create(
        user=user, campaign=campaign, role=role, defaults={"languages": languages or []}
    )
    forget_roles(user)
    audit_record(
        actor=actor,
        verb="accounts.role.granted",
        target=grant,
        campaign=campaign,
        data={"user": user.get_username(), "role": role, "languages": languages or []},
    )
    return grant


@transaction.atomic
def role_revoke(*, actor, campaign, user, role: str) -> None:
    require_coordinator(actor, campaign)
    for grant in CampaignRole.objects.filter(user=user, campaign=campaign, role=role):
        audit_record(
            actor=actor,
            verb="accounts.role.revoked",
            target=grant,
            campaign=campaign,
            data={"user": user.get_username(), "role": role},
        )
        grant.delete()
    forget_roles(user)


def staff_user_create(*, username: str, password: str, email: str = "", superuser: bool = False):
    """Creates a staff account (used by set-up and tests; roles are granted separately)."""
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username=username, email=email, password=password)
    return User.objects.create_user(username=username, email=email, password=password, is_staff=True)
