import dataclasses

import pytest
from django.urls import reverse

from groundswell.accounts.models import CampaignRole
from groundswell.actions.models import Action
from tests.factories import ActionFactory, CallTranslationFactory, CampaignFactory, UserFactory, grant

Role = CampaignRole.Role


@dataclasses.dataclass
class World:
    campaign: object
    other_campaign: object
    action: Action
    users: dict
    newcomer: object
    spare_grant: CampaignRole


def pending_action(**kwargs) -> Action:
    return ActionFactory(status=Action.Status.PENDING, approved_at=None, **kwargs)


def queue_url(campaign, **query) -> str:
    url = reverse("dashboard:queue", kwargs={"slug": campaign.slug})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def action_url(action, name="action") -> str:
    return reverse(f"dashboard:{name}", kwargs={"slug": action.campaign.slug, "pk": action.pk})


@pytest.fixture
def world(db) -> World:
    """One campaign (English original, French translation) with one pending action, and a user per role."""
    campaign = CampaignFactory(slug="clean-water")
    CallTranslationFactory(
        campaign=campaign,
        language="fr",
        title="De l'eau propre pour chaque quartier",
        demands=["Analyser chaque robinet public chaque mois", "Publier les résultats"],
    )
    other_campaign = CampaignFactory(slug="fair-wages")
    users = {
        "coordinator": UserFactory(username="coord"),
        "moderator": UserFactory(username="mod"),
        "translator": UserFactory(username="trans"),
        "translator_fr": UserFactory(username="trans-fr"),
        "other_campaign_staff": UserFactory(username="elsewhere"),
        "plain_staff": UserFactory(username="plain"),
        "anonymous": None,
    }
    grant(users["coordinator"], campaign, Role.COORDINATOR)
    grant(users["moderator"], campaign, Role.MODERATOR)
    grant(users["translator"], campaign, Role.TRANSLATOR)
    grant(users["translator_fr"], campaign, Role.TRANSLATOR, languages=["fr"])
    grant(users["other_campaign_staff"], other_campaign, Role.COORDINATOR)
    spare_grant = grant(UserFactory(username="spare"), campaign, Role.TRANSLATOR)
    return World(
        campaign=campaign,
        other_campaign=other_campaign,
        action=pending_action(campaign=campaign, title="Water info stand at the market"),
        users=users,
        newcomer=UserFactory(username="newcomer"),
        spare_grant=spare_grant,
    )


@pytest.fixture
def as_user(client):
    """``as_user(user)``: the test client logged in as that user (or anonymous for None)."""

    def log_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return log_in
