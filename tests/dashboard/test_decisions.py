"""Moderators' decisions from the dashboard: approve, reject with a reason, bulk approve."""

import pytest
from django.conf import settings
from django.urls import reverse

from groundswell.actions.models import Action
from groundswell.actions.services import action_reject
from groundswell.core.models import AuditEntry
from tests.dashboard.conftest import action_url, pending_action, queue_url
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_approve_publishes_and_emails_organizer(world, as_user, mailbox, django_capture_on_commit_callbacks):
    action = world.action
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world.users["moderator"]).post(action_url(action, "approve"))

    assert response.status_code == 302
    assert response["Location"] == queue_url(world.campaign)
    action.refresh_from_db()
    assert action.status == Action.Status.APPROVED
    assert action.approved_at is not None
    messages = mailbox.wait_for(1)
    assert len(messages) == 1
    assert messages[0]["To"] == action.contact_email
    public_link = settings.BASE_URL + reverse(
        "public:action", kwargs={"slug": "clean-water", "pk": action.pk}
    )
    assert public_link in mailbox.text_of(messages[0])


def test_approve_returns_to_the_filtered_queue_with_a_message(world, as_user):
    client = as_user(world.users["moderator"])
    back = queue_url(world.campaign, country="DE", page="1")
    response = client.post(action_url(world.action, "approve"), {"next": back}, follow=True)

    assert response.redirect_chain == [(back, 302)]
    assert "Approved: the action is public" in response.content.decode()


def test_approve_ignores_a_next_url_outside_the_queue(world, as_user):
    client = as_user(world.users["moderator"])
    response = client.post(action_url(world.action, "approve"), {"next": "https://evil.example/dashboard/"})
    assert response["Location"] == queue_url(world.campaign)


def test_reject_with_reason_emails_the_reason(world, as_user, mailbox, django_capture_on_commit_callbacks):
    action = world.action
    reason = "The date is outside the campaign; please move it to a day of action."
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world.users["moderator"]).post(action_url(action, "reject"), {"reason": reason})

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.REJECTED
    assert action.moderation_note == reason
    messages = mailbox.wait_for(1)
    assert len(messages) == 1
    assert messages[0]["To"] == action.contact_email
    assert reason in mailbox.text_of(messages[0])


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_reject_without_reason_shows_error_and_changes_nothing(
    world, as_user, mailbox, django_capture_on_commit_callbacks, reason
):
    audit_before = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_user(world.users["moderator"]).post(
            action_url(world.action, "reject"), {"reason": reason}
        )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Give a reason: the organizer receives it by email" in content
    assert '<details class="reject" open>' in content
    world.action.refresh_from_db()
    assert world.action.status == Action.Status.PENDING
    assert world.action.moderation_note == ""
    assert AuditEntry.objects.count() == audit_before
    assert callbacks == []
    assert mailbox.wait_for(1, timeout=0.3) == []


def test_deciding_an_action_no_longer_pending_shows_the_services_message(
    world, as_user, mailbox, django_capture_on_commit_callbacks
):
    client = as_user(world.users["moderator"])
    action_reject(actor=world.users["coordinator"], action=world.action, reason="Duplicate.")

    for name, data in (("approve", {}), ("reject", {"reason": "Spam."})):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(action_url(world.action, name), data, follow=True)
        assert callbacks == []
        assert response.redirect_chain == [(queue_url(world.campaign), 302)]
        assert "This action is no longer waiting for moderation." in response.content.decode()
    world.action.refresh_from_db()
    assert world.action.status == Action.Status.REJECTED
    assert world.action.moderation_note == "Duplicate."
    assert mailbox.wait_for(1, timeout=0.3) == []


def test_bulk_approve_approves_the_selected_actions_only(
    world, as_user, mailbox, django_capture_on_commit_callbacks
):
    second = pending_action(campaign=world.campaign, city="Hamburg")
    third = pending_action(campaign=world.campaign, city="Munich")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world.users["moderator"]).post(
            reverse("dashboard:bulk-approve", kwargs={"slug": "clean-water"}),
            {"action": [world.action.pk, third.pk]},
            follow=True,
        )

    assert "Approved 2 actions." in response.content.decode()
    statuses = dict(Action.objects.values_list("pk", "status"))
    assert statuses[world.action.pk] == Action.Status.APPROVED
    assert statuses[third.pk] == Action.Status.APPROVED
    assert statuses[second.pk] == Action.Status.PENDING
    assert sorted(message["To"] for message in mailbox.wait_for(2)) == sorted(
        [world.action.contact_email, third.contact_email]
    )


def test_bulk_approve_leaves_other_campaigns_and_decided_actions_alone(world, as_user):
    elsewhere = pending_action(campaign=world.other_campaign)
    rejected = ActionFactory(campaign=world.campaign, status=Action.Status.REJECTED, approved_at=None)
    response = as_user(world.users["moderator"]).post(
        reverse("dashboard:bulk-approve", kwargs={"slug": "clean-water"}),
        {"action": [world.action.pk, elsewhere.pk, rejected.pk, "not-a-number"]},
        follow=True,
    )

    content = response.content.decode()
    assert "Approved 1 action." in content
    assert "2 selected actions were no longer waiting for moderation." in content
    elsewhere.refresh_from_db()
    rejected.refresh_from_db()
    assert elsewhere.status == Action.Status.PENDING
    assert rejected.status == Action.Status.REJECTED


def test_bulk_approve_without_selection_says_so(world, as_user):
    response = as_user(world.users["moderator"]).post(
        reverse("dashboard:bulk-approve", kwargs={"slug": "clean-water"}), {}, follow=True
    )
    assert "Select at least one action to approve." in response.content.decode()
    world.action.refresh_from_db()
    assert world.action.status == Action.Status.PENDING


@pytest.mark.parametrize(
    "junk",
    [
        ["99999999999999999999999"],
        [str(2**63), "0", "-1", "+1", "1e3", "٣", "1" * 5000],
    ],
)
def test_bulk_approve_ignores_ids_out_of_range(world, as_user, junk):
    audit_before = AuditEntry.objects.count()
    response = as_user(world.users["moderator"]).post(
        reverse("dashboard:bulk-approve", kwargs={"slug": "clean-water"}), {"action": junk}, follow=True
    )

    assert response.status_code == 200
    assert "Select at least one action to approve." in response.content.decode()
    world.action.refresh_from_db()
    assert world.action.status == Action.Status.PENDING
    assert AuditEntry.objects.count() == audit_before


def test_bulk_approve_approves_the_valid_ids_beside_junk(world, as_user):
    response = as_user(world.users["moderator"]).post(
        reverse("dashboard:bulk-approve", kwargs={"slug": "clean-water"}),
        {"action": [str(2**64), world.action.pk, str(2**63 - 1)]},
        follow=True,
    )

    content = response.content.decode()
    assert "Approved 1 action." in content
    assert "1 selected action was no longer waiting for moderation." in content
    world.action.refresh_from_db()
    assert world.action.status == Action.Status.APPROVED
