"""Moderation decisions are refused by the services themselves, not only by the dashboard's views:
a refused call changes no action, writes no audit entry and emails no organizer."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from groundswell.actions.models import Action
from groundswell.actions.services import action_approve, action_bulk_approve, action_reject
from groundswell.core.models import AuditEntry
from tests.factories import ActionFactory, CampaignFactory, actor

pytestmark = pytest.mark.django_db

REFUSED = ["translator", "moderator elsewhere", "plain staff", "anonymous"]


actor_for = actor


def pending_action(**fields) -> Action:
    return ActionFactory(status=Action.Status.PENDING, approved_at=None, **fields)


def assert_untouched(actions, mailbox):
    for action in actions:
        action.refresh_from_db()
        assert action.status == Action.Status.PENDING
        assert action.approved_at is None and action.moderation_note == ""
    assert not AuditEntry.objects.exists()
    assert mailbox.wait_for(1, timeout=0.5) == []


def test_approve_refuses_anonymous(mailbox, django_capture_on_commit_callbacks):
    action = pending_action()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        action_approve(actor=AnonymousUser(), action=action)
    assert_untouched([action], mailbox)


@pytest.mark.parametrize("kind", REFUSED)
def test_reject_refuses_anyone_but_the_campaigns_moderators(
    kind, mailbox, django_capture_on_commit_callbacks
):
    action = pending_action()
    actor = actor_for(kind, action.campaign)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        action_reject(actor=actor, action=action, reason="Please give the meeting point.")
    assert_untouched([action], mailbox)


@pytest.mark.parametrize("kind", REFUSED)
def test_bulk_approve_refuses_anyone_but_the_campaigns_moderators(
    kind, mailbox, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory()
    actions = [pending_action(campaign=campaign), pending_action(campaign=campaign)]
    actor = actor_for(kind, campaign)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        action_bulk_approve(actor=actor, campaign=campaign, action_ids=[a.pk for a in actions])
    assert_untouched(actions, mailbox)


@pytest.mark.parametrize("kind", REFUSED)
def test_bulk_approve_refuses_outsiders_even_with_nothing_to_approve(kind):
    # The per-action check inside the loop never runs here, so only the service's own check can refuse.
    approved = ActionFactory()
    actor = actor_for(kind, approved.campaign)
    with pytest.raises(PermissionDenied):
        action_bulk_approve(actor=actor, campaign=approved.campaign, action_ids=[approved.pk])
    with pytest.raises(PermissionDenied):
        action_bulk_approve(actor=actor, campaign=approved.campaign, action_ids=[])
    assert not AuditEntry.objects.exists()


def test_the_same_calls_succeed_for_a_moderator_of_the_campaign(mailbox, django_capture_on_commit_callbacks):
    # The refusals above are meaningful only if these very actions would otherwise be decided and emailed.
    campaign = CampaignFactory()
    rejected, first, second = (pending_action(campaign=campaign) for _ in range(3))
    moderator = actor_for("moderator", campaign)
    with django_capture_on_commit_callbacks(execute=True):
        action_reject(actor=moderator, action=rejected, reason="Please give the meeting point.")
        assert action_bulk_approve(actor=moderator, campaign=campaign, action_ids=[first.pk, second.pk]) == 2
    rejected.refresh_from_db()
    assert rejected.status == Action.Status.REJECTED
    assert set(Action.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        Action.Status.APPROVED
    }
    assert sorted(AuditEntry.objects.values_list("verb", flat=True)) == [
        "actions.action.approved",
        "actions.action.approved",
        "actions.action.rejected",
    ]
    assert len(mailbox.wait_for(3)) == 3
