import datetime as dt

import pytest

from groundswell.actions.models import Action
from groundswell.actions.selectors import (
    action_data_version,
    action_public_get_by_slug,
    action_public_list,
    duplicate_hints,
    moderation_queue,
)
from groundswell.actions.services import (
    action_approve,
    action_cancel_by_organizer,
    action_submit,
    action_update_by_organizer,
)
from groundswell.campaigns.models import Campaign
from tests.actions.test_services import action_input
from tests.factories import ActionFactory, CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_public_list_has_approved_and_once_approved_cancelled_only():
    campaign = CampaignFactory()
    approved = ActionFactory(campaign=campaign)
    cancelled = ActionFactory(campaign=campaign, status=Action.Status.CANCELLED)
    ActionFactory(campaign=campaign, status=Action.Status.CANCELLED, approved_at=None)
    ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None)
    ActionFactory(campaign=campaign, status=Action.Status.REJECTED, approved_at=None)
    ActionFactory(status=Action.Status.APPROVED)  # another campaign
    assert set(action_public_list(campaign=campaign)) == {approved, cancelled}


@pytest.mark.parametrize("campaign_status", list(Campaign.Status))
def test_get_by_slug_finds_exactly_the_public_actions_of_a_public_campaign(campaign_status):
    campaign = CampaignFactory(status=campaign_status)
    actions = [
        ActionFactory(campaign=campaign),
        ActionFactory(campaign=campaign, status=Action.Status.CANCELLED),
        ActionFactory(campaign=campaign, status=Action.Status.CANCELLED, approved_at=None),
        ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None),
        ActionFactory(campaign=campaign, status=Action.Status.REJECTED, approved_at=None),
    ]
    other = ActionFactory(status=Action.Status.APPROVED)  # another campaign's action, under this slug

    found = {
        action for action in [*actions, other]
        if action_public_get_by_slug(campaign_slug=campaign.slug, pk=action.pk) is not None
    }  # fmt: skip

    public_campaign = campaign_status in {Campaign.Status.PUBLISHED, Campaign.Status.ARCHIVED}
    # The same rule as the list of the campaign's public pages, and the campaign's own.
    assert found == (set(action_public_list(campaign=campaign)) if public_campaign else set())
    assert len(found) == (2 if public_campaign else 0)


def test_get_by_slug_reads_the_action_and_its_campaign_in_one_query(django_assert_num_queries):
    action = ActionFactory()
    with django_assert_num_queries(1):
        found = action_public_get_by_slug(campaign_slug=action.campaign.slug, pk=action.pk)
        assert (found.pk, found.status, found.capacity) == (action.pk, action.status, action.capacity)
        assert (found.campaign.slug, found.campaign.status) == (action.campaign.slug, action.campaign.status)


def test_duplicate_hints_find_similar_title_same_city_same_day():
    campaign = CampaignFactory()
    first = ActionFactory(campaign=campaign, title="Water testing stand at the market", status="pending")
    twin = ActionFactory(campaign=campaign, title="Water-testing stand at market", status="pending")
    other_city = ActionFactory(campaign=campaign, title="Water testing stand at the market", city="Hamburg")
    other_day = ActionFactory(
        campaign=campaign,
        title="Water testing stand at the market",
        local_start=dt.datetime.combine(campaign.start_date, dt.time(10)),
    )
    different = ActionFactory(campaign=campaign, title="Concert for clean rivers")
    hints = duplicate_hints(actions=[first, twin])
    assert [a.pk for a in hints[first.pk]] == [twin.pk]
    assert [a.pk for a in hints[twin.pk]] == [first.pk]
    for unrelated in (other_city, other_day, different):
        assert unrelated not in hints[first.pk]


def test_moderation_queue_filters():
    campaign = CampaignFactory()
    de = ActionFactory(campaign=campaign, status="pending", title="Vigil at the lake")
    fr = ActionFactory(campaign=campaign, status="pending", country="FR", city="Lyon", action_type="rally")
    ActionFactory(campaign=campaign)  # approved: not in the queue
    assert list(moderation_queue(campaign=campaign)) == [de, fr]
    assert list(moderation_queue(campaign=campaign, country="fr")) == [fr]
    assert list(moderation_queue(campaign=campaign, action_type="rally")) == [fr]
    assert list(moderation_queue(campaign=campaign, q="lake")) == [de]
    assert list(moderation_queue(campaign=campaign, day=de.local_date)) == [de, fr]


# --- the public data version ------------------------------------------------------------------------------


def _submit(campaign):
    return action_submit(campaign=campaign, data=action_input(campaign))[0]


def test_data_version_ignores_a_new_pending_submission():
    """A submission waits for moderation: the public's ETags must not tell that it arrived."""
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    before = action_data_version(campaign=campaign)
    _submit(campaign)
    ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None)
    ActionFactory(campaign=campaign, status=Action.Status.REJECTED, approved_at=None)
    assert action_data_version(campaign=campaign) == before


def test_data_version_changes_when_an_action_is_approved():
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    pending = _submit(campaign)
    before = action_data_version(campaign=campaign)
    action_approve(actor=UserFactory(is_superuser=True), action=pending)
    assert action_data_version(campaign=campaign) != before


def test_data_version_changes_when_a_public_action_is_cancelled():
    campaign = CampaignFactory()
    action = ActionFactory(campaign=campaign)
    ActionFactory(campaign=campaign)
    before = action_data_version(campaign=campaign)
    action_cancel_by_organizer(action=action)
    assert action_data_version(campaign=campaign) != before


def test_data_version_changes_when_an_edit_sends_a_public_action_back_to_moderation():
    campaign = CampaignFactory()
    action = _submit(campaign)
    action_approve(actor=UserFactory(is_superuser=True), action=action)
    newer = ActionFactory(campaign=campaign)  # the newest change is another action's
    assert newer.updated_at > Action.objects.get(pk=action.pk).updated_at
    before = action_data_version(campaign=campaign)
    action_update_by_organizer(action=action, data=action_input(campaign, title="Changed after approval"))
    assert Action.objects.get(pk=action.pk).status == Action.Status.PENDING
    assert action_data_version(campaign=campaign) != before
