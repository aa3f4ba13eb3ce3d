"""The report-back services: the organizer's account and the moderators' decisions (the photos' services are
tested in test_photo_services.py)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from groundswell.actions.models import Action
from groundswell.campaigns.models import Campaign
from groundswell.core.models import AuditEntry
from groundswell.reports.models import ReportBack, Review
from groundswell.reports.services import report_backs as services
from tests.factories import ActionFactory, CampaignFactory, actor
from tests.factories.reports import ReportBackFactory, past_action

pytestmark = pytest.mark.django_db


def save(action, **changes):
    values = {
        "took_place": True,
        "attendance": 80,
        "text": "Eighty people came; the tap-water tests were shown at the stand.",
        "links": ["https://news.example.org/stand"],
        "blur_faces": False,
        **changes,
    }
    return services.report_back_save(action=action, **values)


# --- report_back_save ---------------------------------------------------------------------------------------


def test_report_back_save_creates_a_pending_report_back_with_an_audit_entry():
    action = past_action()
    report_back = save(action)
    assert report_back.status == Review.PENDING
    assert report_back.attendance == 80
    assert report_back.links == ["https://news.example.org/stand"]
    assert AuditEntry.objects.filter(
        verb="reports.report_back.submitted", target_id=str(report_back.pk)
    ).exists()


@pytest.mark.parametrize(
    ("make_action", "message"),
    [
        (lambda: ActionFactory(), "once the action has started"),
        (lambda: past_action(status=Action.Status.PENDING, approved_at=None), "Only an approved action"),
        (lambda: past_action(status=Action.Status.CANCELLED), "Only an approved action"),
        (
            lambda: past_action(campaign=CampaignFactory(status=Campaign.Status.ARCHIVED)),
            "campaign is closed",
        ),
    ],
    ids=["not-started", "pending", "cancelled", "archived-campaign"],
)
def test_report_back_save_is_refused_when_not_open(make_action, message):
    action = make_action()
    with pytest.raises(ValidationError) as caught:
        save(action)
    assert message in " ".join(caught.value.messages)
    assert not ReportBack.objects.exists()


def test_report_back_opens_at_the_start_of_the_action():
    action = ActionFactory()
    assert not services.report_back_is_open(action, now=action.starts_at - dt.timedelta(seconds=1))
    assert services.report_back_is_open(action, now=action.starts_at)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"links": [f"https://news.example.org/{n}" for n in range(6)]}, "links"),
        ({"links": ["ftp://files.example.org/photos"]}, "links"),
        ({"links": ["javascript:alert(1)"]}, "links"),
        ({"links": ["https://example.org/" + "a" * 500]}, "links"),
        ({"links": ["https://"]}, "links"),
        ({"text": "x" * 5001}, "text"),
        ({"attendance": 10_000_001}, "attendance"),
        ({"attendance": -1}, "attendance"),
    ],
    ids=[
        "six-links",
        "ftp",
        "javascript",
        "long-link",
        "no-host",
        "long-text",
        "huge-attendance",
        "negative",
    ],
)
def test_report_back_save_refuses_bad_values_and_saves_nothing(changes, field):
    action = past_action()
    with pytest.raises(ValidationError) as caught:
        save(action, **changes)
    assert field in caught.value.error_dict
    assert not ReportBack.objects.exists()


def test_changing_an_approved_report_back_sends_it_back_to_moderation():
    report_back = ReportBackFactory()
    save(
        report_back.action,
        attendance=report_back.attendance + 10,
        links=report_back.links,
        text=report_back.text,
    )
    report_back.refresh_from_db()
    assert report_back.status == Review.PENDING
    assert report_back.approved_at is None
    assert AuditEntry.objects.filter(verb="reports.report_back.updated").exists()


def test_saving_the_same_values_keeps_an_approved_report_back_approved():
    report_back = ReportBackFactory()
    save(
        report_back.action,
        took_place=report_back.took_place,
        attendance=report_back.attendance,
        text=report_back.text,
        links=report_back.links,
        blur_faces=report_back.blur_faces,
    )
    report_back.refresh_from_db()
    assert report_back.status == Review.APPROVED


def test_turning_on_blurring_alone_does_not_need_moderation():
    report_back = ReportBackFactory()
    save(
        report_back.action,
        took_place=report_back.took_place,
        attendance=report_back.attendance,
        text=report_back.text,
        links=report_back.links,
        blur_faces=True,
    )
    report_back.refresh_from_db()
    assert report_back.blur_faces is True
    assert report_back.status == Review.APPROVED


# --- moderation ---------------------------------------------------------------------------------------------


def test_report_back_approve_and_reject_are_audited():
    report_back = ReportBackFactory(status=Review.PENDING, approved_at=None)
    moderator = actor("moderator", report_back.action.campaign)
    services.report_back_approve(actor=moderator, report_back=report_back)
    report_back.refresh_from_db()
    assert report_back.status == Review.APPROVED and report_back.approved_at is not None
    services.report_back_reject(
        actor=moderator, report_back=report_back, reason="Contains a private address."
    )
    report_back.refresh_from_db()
    assert report_back.status == Review.REJECTED
    assert report_back.moderation_note == "Contains a private address."
    verbs = set(AuditEntry.objects.filter(target_id=str(report_back.pk)).values_list("verb", flat=True))
    assert {"reports.report_back.approved", "reports.report_back.rejected"} <= verbs


def test_reject_needs_a_reason():
    report_back = ReportBackFactory(status=Review.PENDING, approved_at=None)
    moderator = actor("moderator", report_back.action.campaign)
    with pytest.raises(ValidationError) as caught:
        services.report_back_reject(actor=moderator, report_back=report_back, reason="  ")
    assert "reason" in caught.value.error_dict
    report_back.refresh_from_db()
    assert report_back.status == Review.PENDING


@pytest.mark.parametrize("kind", ["translator", "coordinator elsewhere", "plain staff", "anonymous"])
def test_only_moderators_decide(kind):
    report_back = ReportBackFactory(status=Review.PENDING, approved_at=None)
    user = actor(kind, report_back.action.campaign)
    with pytest.raises(PermissionDenied):
        services.report_back_approve(actor=user, report_back=report_back)
    with pytest.raises(PermissionDenied):
        services.report_back_reject(actor=user, report_back=report_back, reason="No.")
    report_back.refresh_from_db()
    assert report_back.status == Review.PENDING
    assert not AuditEntry.objects.filter(verb__startswith="reports.").exists()


# --- text safe to store (PostgreSQL refuses NUL) ------------------------------------------------------------


def test_report_back_text_loses_control_characters_and_keeps_its_lines():
    report_back = save(past_action(), text="  First\x00 line\r\nSecond\x1b line  ")
    assert ReportBack.objects.get(pk=report_back.pk).text == "First line\nSecond line"


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("https://news.example.org/a\x00b", "contains spaces"),
        ("https://news.example.org/\u202eexe.pdf", "contains invisible characters"),
        ("https://news.example.org/a\u200bb", "contains invisible characters"),
    ],
)
def test_links_with_control_or_invisible_characters_are_refused(link, message):
    with pytest.raises(ValidationError) as error:
        save(past_action(), links=[link])
    assert message in " ".join(error.value.message_dict["links"])
    assert "\x00" not in " ".join(error.value.message_dict["links"])
    assert not ReportBack.objects.exists()


# --- rows or files gone meanwhile ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "decide",
    [
        lambda user, report_back: services.report_back_approve(actor=user, report_back=report_back),
        lambda user, report_back: services.report_back_reject(
            actor=user, report_back=report_back, reason="No."
        ),
    ],
    ids=["approve", "reject"],
)
def test_a_decision_on_a_report_back_deleted_meanwhile_is_a_validation_error(decide):
    report_back = ReportBackFactory(status=Review.PENDING, approved_at=None)
    moderator = actor("moderator", report_back.action.campaign)
    ReportBack.objects.filter(pk=report_back.pk).delete()
    with pytest.raises(ValidationError, match="This report-back changed meanwhile: reload the page."):
        decide(moderator, report_back)
