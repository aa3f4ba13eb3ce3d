"""Who may open which dashboard page: every role against every page, with the exact status.

No role in the campaign: 404 (the dashboard does not confirm a campaign exists). A role that does not
allow the page: 403. Anonymous: redirected to the login. A refused POST changes nothing.
"""

import dataclasses
from collections.abc import Callable

import pytest
from django.urls import reverse

from groundswell.accounts.models import CampaignRole
from groundswell.actions.models import Action
from groundswell.campaigns.models import CallTranslation, Campaign, DayOfAction
from groundswell.core.models import AuditEntry
from tests.factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "coordinator",
    "moderator",
    "translator",
    "translator_fr",
    "other_campaign_staff",
    "plain_staff",
    "anonymous",
]


@dataclasses.dataclass(frozen=True)
class Page:
    name: str
    method: str
    url: Callable
    data: Callable
    # Expected status per role, in the order of ROLES.
    statuses: tuple

    def expected(self, role: str) -> int:
        return self.statuses[ROLES.index(role)]


def _slug(world):
    return world.campaign.slug


def _url(name, **kwargs):
    return lambda world: reverse(f"dashboard:{name}", kwargs={"slug": _slug(world), **kwargs})


def _action_url(name):
    return lambda world: reverse(f"dashboard:{name}", kwargs={"slug": _slug(world), "pk": world.action.pk})


def _no_data(world):
    return {}


def _call_data(title):
    return lambda world: {"title": title, "body": "A new text.", "demands": "First demand\nSecond demand"}


def _settings_data(world):
    day = world.campaign.start_date
    return {
        "start_date": world.campaign.start_date.isoformat(),
        "end_date": world.campaign.end_date.isoformat(),
        "status": Campaign.Status.ARCHIVED,
        "days": f"{day.isoformat()}\n",
        "high_risk": "on",
    }


#       coordinator, moderator, translator, translator_fr, other_campaign_staff, plain_staff, anonymous
MODERATION = (200, 200, 403, 403, 404, 404, 302)
MODERATION_POST = (302, 302, 403, 403, 404, 404, 302)
TRANSLATION = (200, 403, 200, 200, 404, 404, 302)
ORIGINAL = (200, 403, 200, 403, 404, 404, 302)
ORIGINAL_POST = (302, 403, 302, 403, 404, 404, 302)
FRENCH_POST = (302, 403, 302, 302, 404, 404, 302)
COORDINATION = (200, 403, 403, 403, 404, 404, 302)
COORDINATION_POST = (302, 403, 403, 403, 404, 404, 302)

PAGES = [
    Page(
        "home", "get", lambda world: reverse("dashboard:home"), _no_data, (200, 200, 200, 200, 200, 200, 302)
    ),
    Page("queue", "get", _url("queue"), _no_data, MODERATION),
    Page("action", "get", _action_url("action"), _no_data, MODERATION),
    Page("approve", "post", _action_url("approve"), _no_data, MODERATION_POST),
    Page("reject", "post", _action_url("reject"), lambda world: {"reason": "Duplicate."}, MODERATION_POST),
    Page(
        "bulk-approve",
        "post",
        _url("bulk-approve"),
        lambda world: {"action": [world.action.pk]},
        MODERATION_POST,
    ),
    Page("translations", "get", _url("translations"), _no_data, TRANSLATION),
    Page("translation_edit en", "get", _url("translation_edit", language="en"), _no_data, ORIGINAL),
    Page(
        "translation_edit en",
        "post",
        _url("translation_edit", language="en"),
        _call_data("New"),
        ORIGINAL_POST,
    ),
    Page("translation_edit fr", "get", _url("translation_edit", language="fr"), _no_data, TRANSLATION),
    Page(
        "translation_edit fr",
        "post",
        _url("translation_edit", language="fr"),
        _call_data("Neuf"),
        FRENCH_POST,
    ),
    Page("campaign_settings", "get", _url("campaign_settings"), _no_data, COORDINATION),
    Page("campaign_settings", "post", _url("campaign_settings"), _settings_data, COORDINATION_POST),
    Page("roles", "get", _url("roles"), _no_data, COORDINATION),
    Page(
        "roles",
        "post",
        _url("roles"),
        lambda world: {"username": "newcomer", "role": "moderator"},
        COORDINATION_POST,
    ),
    Page(
        "role_revoke",
        "post",
        lambda world: reverse(
            "dashboard:role_revoke", kwargs={"slug": _slug(world), "pk": world.spare_grant.pk}
        ),
        _no_data,
        COORDINATION_POST,
    ),
]


def snapshot(campaign) -> dict:
    """Everything a dashboard POST could change."""
    return {
        "actions": list(
            Action.objects.filter(campaign=campaign)
            .order_by("pk")
            .values_list("pk", "status", "moderation_note")
        ),
        "call": list(
            CallTranslation.objects.filter(campaign=campaign)
            .order_by("language")
            .values_list("language", "title", "body", "demands", "source_updated_at")
        ),
        "campaign": list(
            Campaign.objects.filter(pk=campaign.pk).values_list(
                "start_date", "end_date", "status", "high_risk"
            )
        ),
        "days": list(
            DayOfAction.objects.filter(campaign=campaign).order_by("date").values_list("date", flat=True)
        ),
        "roles": list(
            CampaignRole.objects.filter(campaign=campaign)
            .order_by("pk")
            .values_list("user_id", "role", "languages")
        ),
        "audit": AuditEntry.objects.count(),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES, ids=lambda page: f"{page.method}-{page.name.replace(' ', '-')}")
def test_role_page_matrix(world, as_user, page, role):
    client = as_user(world.users[role])
    before = snapshot(world.campaign)

    response = getattr(client, page.method)(page.url(world), page.data(world))

    expected = page.expected(role)
    assert response.status_code == expected, response.content[:500]
    if role == "anonymous":
        assert response["Location"].startswith(reverse("dashboard:login") + "?next=")
    if page.method == "post":
        if expected == 302 and role != "anonymous":
            assert snapshot(world.campaign) != before, "an allowed POST should have changed something"
        else:
            assert snapshot(world.campaign) == before, "a refused POST must change nothing"


def test_home_lists_only_campaigns_with_a_role(world, as_user):
    response = as_user(world.users["other_campaign_staff"]).get(reverse("dashboard:home"))
    content = response.content.decode()
    assert world.other_campaign.name in content
    assert world.campaign.name not in content

    response = as_user(world.users["plain_staff"]).get(reverse("dashboard:home"))
    assert world.campaign.name not in response.content.decode()
    assert world.other_campaign.name not in response.content.decode()
    assert "You have no role in any campaign yet" in response.content.decode()


def test_home_shows_superusers_every_campaign(world, as_user):
    admin = UserFactory(username="admin", is_superuser=True)
    lonely = CampaignFactory(slug="lonely", name="A campaign nobody has a role in")
    content = as_user(admin).get(reverse("dashboard:home")).content.decode()
    for campaign in (world.campaign, world.other_campaign, lonely):
        assert campaign.name in content
        assert reverse("dashboard:queue", kwargs={"slug": campaign.slug}) in content


def test_home_shows_pending_count_and_links_by_role(world, as_user):
    response = as_user(world.users["translator"]).get(reverse("dashboard:home"))
    row = response.content.decode().split(world.campaign.name, 1)[1].split("</tr>", 1)[0]
    assert "<td>1</td>" in row
    assert reverse("dashboard:translations", kwargs={"slug": "clean-water"}) in row
    assert reverse("dashboard:queue", kwargs={"slug": "clean-water"}) not in row
    assert reverse("dashboard:roles", kwargs={"slug": "clean-water"}) not in row

    response = as_user(world.users["coordinator"]).get(reverse("dashboard:home"))
    row = response.content.decode().split(world.campaign.name, 1)[1].split("</tr>", 1)[0]
    for name in ("queue", "translations", "campaign_settings", "roles"):
        assert reverse(f"dashboard:{name}", kwargs={"slug": "clean-water"}) in row


def test_unknown_campaign_is_404_even_for_superusers(world, as_user):
    admin = UserFactory(username="admin", is_superuser=True)
    assert (
        as_user(admin).get(reverse("dashboard:queue", kwargs={"slug": "no-such-campaign"})).status_code == 404
    )


def test_action_of_another_campaign_is_404(world, as_user):
    from tests.dashboard.conftest import pending_action

    elsewhere = pending_action(campaign=world.other_campaign)
    client = as_user(world.users["coordinator"])
    url = reverse("dashboard:action", kwargs={"slug": world.campaign.slug, "pk": elsewhere.pk})
    assert client.get(url).status_code == 404
    url = reverse("dashboard:approve", kwargs={"slug": world.campaign.slug, "pk": elsewhere.pk})
    assert client.post(url).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Action.Status.PENDING
