import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from groundswell.accounts.models import CampaignRole
from groundswell.actions.models import Action
from groundswell.campaigns.models import Campaign
from groundswell.core.models import AuditEntry
from groundswell.reports.models import Incident, IncidentNote, Review
from groundswell.reports.services.incidents import (
    incident_add_note,
    incident_approve,
    incident_create_by_coordinator,
    incident_reject,
    incident_report_by_organizer,
    incident_update,
)
from tests.factories import CampaignFactory, UserFactory, grant
from tests.factories.reports import IncidentFactory, past_action

pytestmark = pytest.mark.django_db

Role = CampaignRole.Role
DESCRIPTION = "Police kettled the vigil for two hours and took the names of three stewards."


def three_days_ago() -> dt.date:
    return (timezone.now() - dt.timedelta(days=3)).date()


def report(action, **changes) -> Incident:
    fields = {
        "kind": Incident.Kind.POLICE,
        "date": three_days_ago(),
        "city": "Leipzig",
        "country": "",
        "description": DESCRIPTION,
        "people_affected": 3,
        "visibility": "",
        "publish_after": None,
        **changes,
    }
    return incident_report_by_organizer(action=action, **fields)


def record(actor, campaign, **changes) -> Incident:
    fields = {
        "kind": Incident.Kind.BAN,
        "date": three_days_ago(),
        "city": "Porto",
        "country": "PT",
        "description": "The city banned the march on the morning of the day of action.",
        "people_affected": 0,
        **changes,
    }
    return incident_create_by_coordinator(actor=actor, campaign=campaign, **fields)


@pytest.fixture
def coordinator():
    return UserFactory(username="coordinator")


@pytest.fixture
def action(coordinator):
    action = past_action()
    grant(coordinator, action.campaign, Role.COORDINATOR)
    return action


def incident_verbs() -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type="reports.incident")
        .order_by("id")
        .values_list("verb", flat=True)
    )


# The organizer's report


def test_organizer_report_waits_for_a_coordinator_with_safe_defaults(action):
    incident = report(action)
    assert incident.status == Review.PENDING
    assert incident.approved_at is None
    assert incident.campaign == action.campaign
    assert incident.action == action
    assert incident.country.code == action.country.code  # the action's, as none was given
    assert incident.visibility == Incident.Visibility.COUNTS
    assert incident.follow_up == Incident.FollowUp.OPEN
    assert incident.created_by is None
    entry = AuditEntry.objects.get(target_type="reports.incident", target_id=str(incident.pk))
    assert entry.verb == "reports.incident.reported"
    assert entry.actor is None
    assert DESCRIPTION not in entry.message + str(entry.data)


def test_high_risk_campaign_keeps_incidents_for_coordinators_by_default(coordinator):
    campaign = CampaignFactory(high_risk=True)
    grant(coordinator, campaign, Role.COORDINATOR)
    action = past_action(campaign=campaign)
    assert report(action).visibility == Incident.Visibility.COORDINATORS
    assert record(coordinator, campaign).visibility == Incident.Visibility.COORDINATORS
    # A choice made on purpose is kept.
    assert report(action, visibility="public").visibility == Incident.Visibility.PUBLIC


def test_organizer_choices_are_kept(action):
    later = timezone.now() + dt.timedelta(days=10)
    incident = report(
        action, kind="detention", country="AT", visibility="public", publish_after=later, city="  Graz  "
    )
    incident.refresh_from_db()
    assert (incident.kind, incident.country.code, incident.visibility, incident.city) == (
        "detention",
        "AT",
        "public",
        "Graz",
    )
    assert incident.publish_after == later


def _future():
    return (timezone.now() + dt.timedelta(days=3)).date()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"kind": "riot"}, "kind", "kind of incident"),
        ({"date": "yesterday"}, "date", "Enter the date"),
        ({"date": None}, "date", "Enter the date"),
        ({"city": "   "}, "city", "city or town"),
        ({"city": "x" * 121}, "city", "under 120"),
        ({"country": "XX"}, "country", "Choose a country"),
        ({"description": " \n "}, "description", "Describe what happened"),
        ({"description": "x" * 5001}, "description", "under 5,000"),
        ({"people_affected": -1}, "people_affected", "from 0 to 10,000,000"),
        ({"people_affected": 10_000_001}, "people_affected", "from 0 to 10,000,000"),
        ({"people_affected": "4"}, "people_affected", "from 0 to 10,000,000"),
        ({"visibility": "everyone"}, "visibility", "who may see"),
        ({"publish_after": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)}, "publish_after", "in the future"),
    ],
)
def test_bad_report_is_refused_and_changes_nothing(action, changes, field, words):
    with pytest.raises(ValidationError) as caught:
        report(action, **changes)
    assert field in caught.value.error_dict
    assert words in " ".join(caught.value.message_dict[field])
    assert not Incident.objects.exists()
    assert incident_verbs() == []


def test_date_must_not_be_in_the_future(action):
    with pytest.raises(ValidationError) as caught:
        report(action, date=_future())
    assert "cannot be in the future" in caught.value.message_dict["date"][0]
    assert not Incident.objects.exists()


def test_date_must_lie_near_the_campaign_window(action):
    campaign = action.campaign
    too_early = campaign.start_date - dt.timedelta(days=61)
    with pytest.raises(ValidationError) as caught:
        report(action, date=too_early)
    assert "60 days around the campaign" in caught.value.message_dict["date"][0]
    assert report(action, date=campaign.start_date - dt.timedelta(days=60)).pk


def test_control_characters_are_removed(action):
    incident = report(action, description="Line one\x00\r\nLine two\x07", city="Le\x00ipzig")
    assert incident.description == "Line one\nLine two"
    assert incident.city == "Leipzig"


@pytest.mark.parametrize(
    ("status", "approved_at", "campaign_status"),
    [
        (Action.Status.PENDING, None, Campaign.Status.PUBLISHED),
        (Action.Status.REJECTED, None, Campaign.Status.PUBLISHED),
        (Action.Status.CANCELLED, None, Campaign.Status.PUBLISHED),  # cancelled before approval
        (Action.Status.APPROVED, timezone.now(), Campaign.Status.ARCHIVED),
    ],
)
def test_report_needs_a_public_action_of_an_open_campaign(status, approved_at, campaign_status):
    action = past_action(
        status=status, approved_at=approved_at, campaign=CampaignFactory(status=campaign_status)
    )
    with pytest.raises(ValidationError) as caught:
        report(action)
    assert "approved action" in caught.value.messages[0]
    assert not Incident.objects.exists()


def test_report_allowed_for_an_action_cancelled_after_approval():
    action = past_action(status=Action.Status.CANCELLED)
    assert report(action).status == Review.PENDING


# A coordinator's record


def test_coordinator_records_an_incident_that_counts_at_once(coordinator, action):
    incident = record(coordinator, action.campaign, action=action, country="")
    assert incident.status == Review.APPROVED
    assert incident.approved_at is not None
    assert incident.created_by == coordinator
    assert incident.country.code == "DE"  # the action's
    assert incident.visibility == Incident.Visibility.COUNTS
    entry = AuditEntry.objects.get(target_id=str(incident.pk), target_type="reports.incident")
    assert (entry.verb, entry.actor, entry.campaign) == (
        "reports.incident.created",
        coordinator,
        action.campaign,
    )


def test_coordinator_record_without_action_needs_a_country(coordinator, action):
    with pytest.raises(ValidationError) as caught:
        record(coordinator, action.campaign, country="")
    assert "country" in caught.value.error_dict
    assert not Incident.objects.exists()


def test_coordinator_cannot_attach_another_campaigns_action(coordinator, action):
    elsewhere = past_action()
    with pytest.raises(ValidationError) as caught:
        record(coordinator, action.campaign, action=elsewhere)
    assert "another campaign" in caught.value.message_dict["action"][0]
    assert not Incident.objects.exists()


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.TRANSLATOR, None])
def test_only_coordinators_handle_incidents(action, role):
    user = UserFactory()
    if role:
        grant(user, action.campaign, role)
    pending = report(action)
    recorded = IncidentFactory(campaign=action.campaign)
    before = list(Incident.objects.order_by("pk").values())
    calls = [
        lambda: record(user, action.campaign),
        lambda: incident_update(actor=user, incident=recorded, city="Bonn"),
        lambda: incident_approve(actor=user, incident=pending),
        lambda: incident_reject(actor=user, incident=pending, reason="Duplicate."),
        lambda: incident_add_note(
            actor=user, incident=recorded, text="Called the lawyer.", follow_up="legal"
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert list(Incident.objects.order_by("pk").values()) == before
    assert not IncidentNote.objects.exists()
    assert incident_verbs() == ["reports.incident.reported"]


def test_a_coordinator_of_another_campaign_cannot_handle_incidents(action):
    other = UserFactory()
    grant(other, CampaignFactory(), Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        incident_approve(actor=other, incident=report(action))


# Edits


def test_update_changes_fields_and_audits_their_names(coordinator, action):
    incident = IncidentFactory(action=action)
    later = timezone.now() + dt.timedelta(days=30)
    changed = incident_update(
        actor=coordinator,
        incident=incident,
        city="Dresden",
        visibility="coordinators",
        publish_after=later,
        kind="police",  # unchanged
        country="DE",  # unchanged
    )
    assert changed == ["city", "publish_after", "visibility"]
    incident.refresh_from_db()
    assert (incident.city, incident.visibility, incident.publish_after) == ("Dresden", "coordinators", later)
    entry = AuditEntry.objects.get(verb="reports.incident.edited")
    assert entry.actor == coordinator
    assert entry.data == {"fields": ["city", "publish_after", "visibility"]}


def test_update_with_nothing_new_records_nothing(coordinator, action):
    incident = IncidentFactory(action=action)
    assert incident_update(actor=coordinator, incident=incident, city="Berlin", country="DE") == []
    assert incident_verbs() == []


def test_update_keeps_a_past_publish_after_but_refuses_a_new_one(coordinator, action):
    past = timezone.now() - dt.timedelta(days=1)
    incident = IncidentFactory(action=action, publish_after=past)
    assert incident_update(actor=coordinator, incident=incident, publish_after=past, city="Köln") == ["city"]
    with pytest.raises(ValidationError) as caught:
        incident_update(actor=coordinator, incident=incident, publish_after=past - dt.timedelta(days=1))
    assert "publish_after" in caught.value.error_dict
    # Clearing it is always allowed.
    assert incident_update(actor=coordinator, incident=incident, publish_after=None) == ["publish_after"]


def test_bad_update_changes_nothing(coordinator, action):
    incident = IncidentFactory(action=action)
    with pytest.raises(ValidationError):
        incident_update(actor=coordinator, incident=incident, city="Bonn", people_affected=-5)
    incident.refresh_from_db()
    assert (incident.city, incident.people_affected) == ("Berlin", 4)
    assert incident_verbs() == []


def test_update_refuses_fields_it_does_not_edit(coordinator, action):
    with pytest.raises(TypeError):
        incident_update(actor=coordinator, incident=IncidentFactory(action=action), status="approved")


# Decisions


def test_approve_records_the_report(coordinator, action):
    incident = incident_approve(actor=coordinator, incident=report(action))
    incident.refresh_from_db()
    assert incident.status == Review.APPROVED
    assert incident.approved_at is not None
    assert incident_verbs() == ["reports.incident.reported", "reports.incident.approved"]


def test_reject_keeps_the_reason(coordinator, action):
    incident = incident_reject(actor=coordinator, incident=report(action), reason="  Reported twice.  ")
    incident.refresh_from_db()
    assert (incident.status, incident.moderation_note) == (Review.REJECTED, "Reported twice.")
    assert AuditEntry.objects.get(verb="reports.incident.rejected").message == "Reported twice."


def test_reject_needs_a_reason(coordinator, action):
    incident = report(action)
    with pytest.raises(ValidationError) as caught:
        incident_reject(actor=coordinator, incident=incident, reason="  ")
    assert "reason" in caught.value.error_dict
    incident.refresh_from_db()
    assert incident.status == Review.PENDING


def test_a_decided_incident_cannot_be_decided_again(coordinator, action):
    incident = incident_approve(actor=coordinator, incident=report(action))
    for decide in (
        lambda: incident_approve(actor=coordinator, incident=incident),
        lambda: incident_reject(actor=coordinator, incident=incident, reason="Late."),
    ):
        with pytest.raises(ValidationError) as caught:
            decide()
        assert "no longer waiting" in caught.value.messages[0]
    incident.refresh_from_db()
    assert incident.status == Review.APPROVED
    assert incident_verbs().count("reports.incident.approved") == 1


# Follow-up


def test_note_with_a_new_state_changes_the_follow_up(coordinator, action):
    incident = IncidentFactory(action=action)
    note = incident_add_note(actor=coordinator, incident=incident, text="Lawyer called.", follow_up="legal")
    incident.refresh_from_db()
    assert incident.follow_up == Incident.FollowUp.LEGAL
    assert (note.text, note.follow_up, note.author) == ("Lawyer called.", "legal", coordinator)
    entry = AuditEntry.objects.get(verb="reports.incident.followed_up")
    assert entry.data == {"note": note.pk, "follow_up": ["open", "legal"]}
    assert "Lawyer" not in entry.message


def test_note_alone_keeps_the_state_and_a_state_alone_needs_no_note(coordinator, action):
    incident = IncidentFactory(action=action)
    first = incident_add_note(actor=coordinator, incident=incident, text="Waiting for news.")
    assert first.follow_up == ""
    second = incident_add_note(actor=coordinator, incident=incident, follow_up="closed")
    assert (second.text, second.follow_up) == ("", "closed")
    incident.refresh_from_db()
    assert incident.follow_up == "closed"


@pytest.mark.parametrize(
    ("text", "follow_up", "field"),
    [("", "", "text"), ("", "open", "text"), ("x" * 5001, "", "text"), ("Called.", "maybe", "follow_up")],
)
def test_empty_or_bad_note_changes_nothing(coordinator, action, text, follow_up, field):
    incident = IncidentFactory(action=action)  # follow-up "open": choosing it again changes nothing
    with pytest.raises(ValidationError) as caught:
        incident_add_note(actor=coordinator, incident=incident, text=text, follow_up=follow_up)
    assert field in caught.value.error_dict
    assert not IncidentNote.objects.exists()
    assert incident_verbs() == []
