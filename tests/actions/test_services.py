import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from groundswell.actions.models import Action
from groundswell.actions.services import (
    ActionInput,
    action_approve,
    action_bulk_approve,
    action_cancel_by_organizer,
    action_get_by_token,
    action_reject,
    action_submit,
    action_update_by_organizer,
)
from groundswell.campaigns.models import Campaign
from groundswell.core.models import AuditEntry
from tests.factories import ActionFactory, CampaignFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def action_input(campaign, **changes) -> ActionInput:
    start = dt.datetime.combine(
        campaign.start_date + dt.timedelta(days=1), dt.time(9), tzinfo=ZoneInfo("Asia/Tokyo")
    )
    values = {
        "action_type": "public_meeting",
        "title": "Town hall on water prices",
        "description": "",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "timezone": "Asia/Tokyo",
        "city": "Kochi",
        "country": "JP",
        "latitude": 33.55,
        "longitude": 133.53,
        "location_precision": "exact",
        "contact_email": "townhall@private.example.net",
        **changes,
    }
    return ActionInput(**values)


def test_submit_stores_local_date_in_the_actions_own_zone():
    campaign = CampaignFactory()
    # 00:30 in Tokyo on the window's second day is still the first day in UTC.
    start = dt.datetime.combine(
        campaign.start_date + dt.timedelta(days=1), dt.time(0, 30), tzinfo=ZoneInfo("Asia/Tokyo")
    )
    action, token = action_submit(
        campaign=campaign, data=action_input(campaign, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    )
    assert action.local_date == campaign.start_date + dt.timedelta(days=1)
    assert action.starts_at.astimezone(dt.UTC).date() == campaign.start_date
    assert action_get_by_token(token=token) == action
    assert action_get_by_token(token=token + "x") is None


def test_submit_refuses_bad_data_and_saves_nothing():
    campaign = CampaignFactory()
    with pytest.raises(ValidationError) as error:
        action_submit(campaign=campaign, data=action_input(campaign, contact_email="not an email"))
    assert "contact_email" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        bad = action_input(campaign)
        bad.ends_at = bad.starts_at - dt.timedelta(minutes=1)
        action_submit(campaign=campaign, data=bad)
    assert "ends_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        action_submit(campaign=campaign, data=action_input(campaign, latitude=123.0))
    assert "latitude" in error.value.message_dict
    assert not Action.objects.exists()
    assert not AuditEntry.objects.exists()


def test_moderator_approves_and_the_decision_is_audited(mailbox, django_capture_on_commit_callbacks):
    action = ActionFactory(status=Action.Status.PENDING, approved_at=None)
    moderator = UserFactory()
    grant(moderator, action.campaign, "moderator")
    with django_capture_on_commit_callbacks(execute=True):
        action_approve(actor=moderator, action=action)
    action.refresh_from_db()
    assert action.status == Action.Status.APPROVED and action.approved_at is not None
    entry = AuditEntry.objects.get(verb="actions.action.approved")
    assert entry.actor == moderator and entry.target_id == str(action.pk)
    [message] = mailbox.wait_for(1)
    assert "approved" in mailbox.text_of(message)


@pytest.mark.parametrize("role", ["translator", None, "moderator-elsewhere"])
def test_others_cannot_approve(role):
    action = ActionFactory(status=Action.Status.PENDING, approved_at=None)
    user = UserFactory()
    if role == "translator":
        grant(user, action.campaign, "translator")
    elif role == "moderator-elsewhere":
        grant(user, CampaignFactory(), "moderator")
    with pytest.raises(PermissionDenied):
        action_approve(actor=user, action=action)
    action.refresh_from_db()
    assert action.status == Action.Status.PENDING
    assert not AuditEntry.objects.exists()


def test_reject_needs_a_reason_and_emails_it(mailbox, django_capture_on_commit_callbacks):
    action = ActionFactory(status=Action.Status.PENDING, approved_at=None, language="fr")
    coordinator = UserFactory()
    grant(coordinator, action.campaign, "coordinator")
    with pytest.raises(ValidationError):
        action_reject(actor=coordinator, action=action, reason="   ")
    action.refresh_from_db()
    assert action.status == Action.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        action_reject(actor=coordinator, action=action, reason="Please give the meeting point.")
    action.refresh_from_db()
    assert action.status == Action.Status.REJECTED
    [message] = mailbox.wait_for(1)
    assert message["To"] == action.contact_email
    assert "Please give the meeting point." in mailbox.text_of(message)
    assert AuditEntry.objects.get(verb="actions.action.rejected").message == "Please give the meeting point."


def test_deciding_twice_is_refused():
    action = ActionFactory(status=Action.Status.PENDING, approved_at=None)
    moderator = UserFactory()
    grant(moderator, action.campaign, "moderator")
    action_approve(actor=moderator, action=action)
    with pytest.raises(ValidationError):
        action_reject(actor=moderator, action=action, reason="Too late")


def test_bulk_approve_only_touches_pending_actions_of_that_campaign():
    campaign = CampaignFactory()
    pending = [
        ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None) for _ in range(3)
    ]
    rejected = ActionFactory(campaign=campaign, status=Action.Status.REJECTED, approved_at=None)
    elsewhere = ActionFactory(status=Action.Status.PENDING, approved_at=None)
    moderator = UserFactory()
    grant(moderator, campaign, "moderator")
    count = action_bulk_approve(
        actor=moderator, campaign=campaign, action_ids=[a.pk for a in pending] + [rejected.pk, elsewhere.pk]
    )
    assert count == 3
    assert Action.objects.filter(campaign=campaign, status=Action.Status.APPROVED).count() == 3
    elsewhere.refresh_from_db()
    rejected.refresh_from_db()
    assert elsewhere.status == Action.Status.PENDING and rejected.status == Action.Status.REJECTED
    assert AuditEntry.objects.filter(verb="actions.action.approved").count() == 3


def test_organizer_edit_of_approved_action_goes_back_to_moderation_with_diff():
    campaign = CampaignFactory()
    action, _token = action_submit(campaign=campaign, data=action_input(campaign))
    Action.objects.filter(pk=action.pk).update(status=Action.Status.APPROVED)
    changed = action_update_by_organizer(
        action=action,
        data=action_input(campaign, title="Town hall moved online", city="Kochi", venue="Library"),
    )
    assert changed == ["title", "venue"]
    action.refresh_from_db()
    assert action.status == Action.Status.PENDING
    assert action.pending_changes == {
        "title": ["Town hall on water prices", "Town hall moved online"],
        "venue": ["", "Library"],
    }
    # A second edit before moderation keeps the first "before".
    action_update_by_organizer(
        action=action, data=action_input(campaign, title="Town hall, final", venue="Library")
    )
    action.refresh_from_db()
    assert action.pending_changes["title"] == ["Town hall on water prices", "Town hall, final"]
    # Approving clears the recorded changes; the audit log keeps which fields changed, not their values.
    coordinator = UserFactory(is_superuser=True)
    action_approve(actor=coordinator, action=action)
    action.refresh_from_db()
    assert action.pending_changes == {}
    entry = AuditEntry.objects.get(verb="actions.action.approved")
    assert entry.data == {"changed_fields": ["title", "venue"]}
    assert "Library" not in str(entry.data)


def test_second_edit_while_back_in_moderation_records_new_fields_too():
    campaign = CampaignFactory()
    action, _token = action_submit(campaign=campaign, data=action_input(campaign))
    Action.objects.filter(pk=action.pk).update(
        status=Action.Status.APPROVED, approved_at=dt.datetime.now(dt.UTC)
    )
    action_update_by_organizer(action=action, data=action_input(campaign, title="New title"))
    action_update_by_organizer(
        action=action,
        data=action_input(campaign, title="New title", venue="Secret venue", description="Spam"),
    )
    action.refresh_from_db()
    assert set(action.pending_changes) == {"title", "venue", "description"}
    assert action.pending_changes["venue"] == ["", "Secret venue"]


def test_edited_then_cancelled_action_does_not_publish_unapproved_content(client):
    campaign = CampaignFactory()
    action, _token = action_submit(campaign=campaign, data=action_input(campaign))
    Action.objects.filter(pk=action.pk).update(
        status=Action.Status.APPROVED, approved_at=dt.datetime.now(dt.UTC)
    )
    action_update_by_organizer(action=action, data=action_input(campaign, title="Unvetted title"))
    action_cancel_by_organizer(action=action)
    action.refresh_from_db()
    assert action.status == Action.Status.CANCELLED and action.approved_at is None
    assert client.get(action.get_absolute_url()).status_code == 404


def test_rejected_action_cannot_be_cancelled_into_public_view():
    campaign = CampaignFactory()
    action = ActionFactory(campaign=campaign, status=Action.Status.REJECTED)
    with pytest.raises(ValidationError):
        action_cancel_by_organizer(action=action)
    action.refresh_from_db()
    assert action.status == Action.Status.REJECTED


def test_organizer_cannot_change_actions_of_a_closed_campaign():
    campaign = CampaignFactory()
    action, _token = action_submit(campaign=campaign, data=action_input(campaign))
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.ARCHIVED)
    action.refresh_from_db()
    with pytest.raises(ValidationError):
        action_update_by_organizer(action=action, data=action_input(campaign, title="Too late"))
    with pytest.raises(ValidationError):
        action_cancel_by_organizer(action=action)
    action.refresh_from_db()
    assert action.title == "Town hall on water prices" and action.status == Action.Status.PENDING


def test_new_contact_email_is_saved_without_moderation():
    campaign = CampaignFactory()
    action, _token = action_submit(campaign=campaign, data=action_input(campaign))
    Action.objects.filter(pk=action.pk).update(
        status=Action.Status.APPROVED, approved_at=dt.datetime.now(dt.UTC)
    )
    changed = action_update_by_organizer(
        action=action, data=action_input(campaign, contact_email="new@private.example.net")
    )
    action.refresh_from_db()
    assert changed == ["contact_email"]
    assert action.contact_email == "new@private.example.net"
    assert action.status == Action.Status.APPROVED and action.pending_changes == {}
    assert "new@private" not in str(AuditEntry.objects.filter(verb="actions.action.edited").get().data)


def test_public_point_follows_precision_on_edit():
    campaign = CampaignFactory()
    action, _ = action_submit(campaign=campaign, data=action_input(campaign))
    assert (action.public_latitude, action.public_longitude) == (33.55, 133.53)
    action_update_by_organizer(action=action, data=action_input(campaign, location_precision="km"))
    action.refresh_from_db()
    assert (action.public_latitude, action.public_longitude) != (33.55, 133.53)
