"""Granting and revoking campaign roles: the services refuse anyone but the campaign's coordinators
(and superusers) themselves, whatever view or command calls them."""

import pytest
from django.core.exceptions import PermissionDenied

from groundswell.accounts.models import CampaignRole
from groundswell.accounts.services import role_grant, role_revoke, staff_user_create
from groundswell.core.models import AuditEntry
from tests.factories import CampaignFactory, UserFactory, actor, grant

pytestmark = pytest.mark.django_db

REFUSED = ["moderator", "translator", "plain staff", "coordinator elsewhere"]
ALLOWED = ["coordinator", "superuser"]


actor_for = actor


def all_roles() -> list[tuple]:
    return list(
        CampaignRole.objects.order_by("pk").values_list("pk", "user_id", "campaign_id", "role", "languages")
    )


@pytest.mark.parametrize("kind", REFUSED)
def test_role_grant_refuses_anyone_but_the_campaigns_coordinators(kind):
    campaign = CampaignFactory()
    actor = actor_for(kind, campaign)
    member = UserFactory()
    grant(member, campaign, "translator", languages=["fr"])
    before = all_roles()
    # Promoting oneself is the grant that matters most.
    with pytest.raises(PermissionDenied):
        role_grant(actor=actor, campaign=campaign, user=actor, role="coordinator")
    # Re-granting an existing role would widen its languages.
    with pytest.raises(PermissionDenied):
        role_grant(actor=actor, campaign=campaign, user=member, role="translator", languages=[])
    assert all_roles() == before
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("kind", REFUSED)
def test_role_revoke_refuses_anyone_but_the_campaigns_coordinators(kind):
    campaign = CampaignFactory()
    actor = actor_for(kind, campaign)
    coordinator = UserFactory()
    grant(coordinator, campaign, "coordinator")
    before = all_roles()
    with pytest.raises(PermissionDenied):
        role_revoke(actor=actor, campaign=campaign, user=coordinator, role="coordinator")
    assert all_roles() == before
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("kind", ALLOWED)
def test_role_grant_by_a_coordinator_or_superuser_is_audited(kind):
    campaign = CampaignFactory()
    actor = actor_for(kind, campaign)
    member = UserFactory()
    role = role_grant(actor=actor, campaign=campaign, user=member, role="translator", languages=["de"])
    assert CampaignRole.objects.get(user=member, campaign=campaign) == role
    assert role.role == "translator" and role.languages == ["de"]
    entry = AuditEntry.objects.get()
    assert entry.verb == "accounts.role.granted"
    assert (entry.actor, entry.campaign, entry.target_id) == (actor, campaign, str(role.pk))
    assert entry.data == {"user": member.username, "role": "translator", "languages": ["de"]}


@pytest.mark.parametrize("kind", ALLOWED)
def test_role_revoke_by_a_coordinator_or_superuser_is_audited(kind):
    campaign = CampaignFactory()
    actor = actor_for(kind, campaign)
    member = UserFactory()
    moderator_role = grant(member, campaign, "moderator")
    translator_role = grant(member, campaign, "translator")
    role_revoke(actor=actor, campaign=campaign, user=member, role="moderator")
    assert list(CampaignRole.objects.filter(user=member)) == [translator_role]
    entry = AuditEntry.objects.get()
    assert entry.verb == "accounts.role.revoked"
    assert (entry.actor, entry.campaign, entry.target_id) == (actor, campaign, str(moderator_role.pk))
    assert entry.data == {"user": member.username, "role": "moderator"}


@pytest.mark.parametrize("role", ["owner", "Coordinator", ""])
def test_role_grant_of_an_unknown_role_raises_and_writes_nothing(role):
    campaign = CampaignFactory()
    actor = actor_for("coordinator", campaign)
    member = UserFactory()
    before = all_roles()
    with pytest.raises(ValueError, match="unknown role"):
        role_grant(actor=actor, campaign=campaign, user=member, role=role)
    assert all_roles() == before
    assert not AuditEntry.objects.exists()


def test_staff_user_create_makes_a_staff_account_with_no_campaign_rights():
    campaign = CampaignFactory()
    user = staff_user_create(username="ada", password="correct horse battery staple", email="ada@example.org")
    user.refresh_from_db()
    assert user.is_staff and user.is_active and not user.is_superuser
    assert user.email == "ada@example.org"
    assert user.check_password("correct horse battery staple")
    assert not CampaignRole.objects.filter(user=user).exists()
    # Being staff gives no say in any campaign until a coordinator grants a role.
    with pytest.raises(PermissionDenied):
        role_grant(actor=user, campaign=campaign, user=user, role="coordinator")
    assert not CampaignRole.objects.filter(user=user).exists()


def test_staff_user_create_superuser_may_grant_roles_in_any_campaign():
    campaign = CampaignFactory()
    admin = staff_user_create(username="root", password="correct horse battery staple", superuser=True)
    admin.refresh_from_db()
    assert admin.is_superuser and admin.is_staff
    assert not CampaignRole.objects.filter(user=admin).exists()
    member = UserFactory()
    role_grant(actor=admin, campaign=campaign, user=member, role="moderator")
    assert CampaignRole.objects.filter(user=member, campaign=campaign, role="moderator").exists()
