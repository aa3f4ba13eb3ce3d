"""RSVP writes: double opt-in, one RSVP per person, idempotent forms, capacity, changes and cancellation."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from groundswell.actions.models import Action
from groundswell.participation.models import RSVP, ScheduledEmail
from groundswell.participation.selectors import rsvp_counts
from groundswell.participation.services import (
    rsvp_cancel,
    rsvp_change,
    rsvp_confirm,
    rsvp_stop_emails,
    rsvp_submit,
)
from groundswell.participation.tokens import rsvp_from_token, rsvp_token
from tests.factories import ActionFactory, RSVPFactory

pytestmark = pytest.mark.django_db


def _submit(capture, action, data, **kwargs):
    with capture(execute=True):
        return rsvp_submit(action=action, data=data, **kwargs)


def test_rsvp_submit_creates_unconfirmed_rsvp_and_emails_a_confirmation_link(
    django_capture_on_commit_callbacks, mailbox, submit_input
):
    action = ActionFactory(title="Riverbank vigil")
    rsvp = _submit(
        django_capture_on_commit_callbacks, action, submit_input(email=" River.Walker@Private.Example.org ")
    )

    assert rsvp.status == RSVP.Status.UNCONFIRMED
    assert rsvp.email == "river.walker@private.example.org"
    assert rsvp_counts(action) == {"rsvps": 0, "people": 0}
    [message] = mailbox.wait_for(1)
    assert message["To"] == "river.walker@private.example.org"
    assert "Riverbank vigil" in message["Subject"]
    text = mailbox.text_of(message)
    link = re.search(r"http://\S+/r/(\S+)/", text)
    assert link and rsvp_from_token(link.group(1), RSVP.objects.all()) == rsvp
    assert "<a href=" in mailbox.html_of(message)
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http") and unsubscribe.endswith("/unsubscribe/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_rsvp_confirm_counts_the_party_and_plans_two_reminders(
    django_capture_on_commit_callbacks, submit_input
):
    action = ActionFactory()
    rsvp = _submit(django_capture_on_commit_callbacks, action, submit_input(party_size=3))

    rsvp = rsvp_confirm(rsvp=rsvp)

    assert rsvp.status == RSVP.Status.CONFIRMED
    assert rsvp_counts(action) == {"rsvps": 1, "people": 3}
    kinds = set(rsvp.emails.filter(status="scheduled").exclude(kind="confirm").values_list("kind", flat=True))
    assert kinds == {ScheduledEmail.Kind.REMINDER_DAY, ScheduledEmail.Kind.REMINDER_2H}


def test_rsvp_same_submission_twice_makes_one_row_and_one_email(
    django_capture_on_commit_callbacks, mailbox, submit_input
):
    action = ActionFactory()
    data = submit_input(submission_id="form-1")
    first = _submit(django_capture_on_commit_callbacks, action, data)
    second = _submit(django_capture_on_commit_callbacks, action, data)

    assert first.pk == second.pk
    assert RSVP.objects.count() == 1
    assert len(mailbox.wait_for(2, timeout=0.5)) == 1


def test_rsvp_same_email_again_updates_the_unconfirmed_rsvp(django_capture_on_commit_callbacks, submit_input):
    action = ActionFactory()
    _submit(django_capture_on_commit_callbacks, action, submit_input(party_size=2, submission_id="a"))
    rsvp = _submit(
        django_capture_on_commit_callbacks,
        action,
        submit_input(email="RIVER.walker@private.example.org", party_size=4, submission_id="b"),
    )

    assert RSVP.objects.count() == 1
    assert rsvp.party_size == 4


def test_rsvp_same_email_after_confirmation_waits_for_the_inbox_to_confirm_the_change(
    django_capture_on_commit_callbacks, mailbox, submit_input
):
    action = ActionFactory()
    rsvp = _submit(django_capture_on_commit_callbacks, action, submit_input(party_size=2, submission_id="a"))
    rsvp_confirm(rsvp=rsvp)
    mailbox.clear()

    rsvp = _submit(
        django_capture_on_commit_callbacks,
        action,
        submit_input(party_size=5, share_with_organizer=True, submission_id="b"),
    )

    rsvp.refresh_from_db()
    assert (rsvp.party_size, rsvp.share_with_organizer) == (2, False)
    assert rsvp.pending_update["party_size"] == 5
    [message] = mailbox.wait_for(1)
    assert "Confirm the change" in message["Subject"]

    rsvp_confirm(rsvp=rsvp)
    rsvp.refresh_from_db()
    assert (rsvp.party_size, rsvp.share_with_organizer, rsvp.pending_update) == (5, True, {})
    assert rsvp_counts(action)["people"] == 5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"party_size": 0}, "from 1 to 20"),
        ({"party_size": 21}, "from 1 to 20"),
        ({"email": ""}, "Enter your email"),
        ({"email": "not-an-email"}, "Enter your email"),
        ({"email": "two@@example.org"}, "valid email"),
        ({"language": "xx"}, "languages offered"),
        ({"name": "n" * 101}, "at most 100"),
    ],
)
def test_rsvp_bad_input_is_refused_and_saves_nothing(submit_input, change, message):
    action = ActionFactory()
    with pytest.raises(ValidationError) as error:
        rsvp_submit(action=action, data=submit_input(**change))
    assert message in " ".join(error.value.messages)
    assert not RSVP.objects.exists()
    assert not ScheduledEmail.objects.exists()


@pytest.mark.parametrize(
    ("action_kwargs", "message"),
    [
        ({"status": Action.Status.PENDING, "approved_at": None}, "not open for RSVPs"),
        ({"status": Action.Status.CANCELLED}, "cancelled"),
        ({"campaign__status": "archived"}, "campaign is closed"),
    ],
)
def test_rsvp_to_an_action_that_is_not_open_is_refused(submit_input, action_kwargs, message):
    action = ActionFactory(**action_kwargs)
    with pytest.raises(ValidationError, match=message):
        rsvp_submit(action=action, data=submit_input())
    assert not RSVP.objects.exists()


def test_rsvp_after_the_action_ended_is_refused(submit_input):
    action = ActionFactory()
    with pytest.raises(ValidationError, match="over"):
        rsvp_submit(action=action, data=submit_input(), now=action.ends_at + dt.timedelta(minutes=1))


def test_rsvp_capacity_full_refuses_and_says_so(submit_input):
    action = ActionFactory(capacity=5)
    RSVPFactory(action=action, party_size=4)

    with pytest.raises(ValidationError) as error:
        rsvp_submit(action=action, data=submit_input(party_size=2))
    assert error.value.message_dict == {"party_size": ["Only 1 place is left."]}

    RSVPFactory(action=action, party_size=1)
    with pytest.raises(ValidationError) as error:
        rsvp_submit(action=action, data=submit_input(party_size=1))
    assert "full" in error.value.message_dict["party_size"][0]
    assert RSVP.objects.count() == 2


def test_rsvp_confirm_refuses_when_others_filled_the_places_meanwhile(submit_input):
    action = ActionFactory(capacity=3)
    rsvp = rsvp_submit(action=action, data=submit_input(party_size=2))
    RSVPFactory(action=action, party_size=2)

    with pytest.raises(ValidationError, match="Only 1 place"):
        rsvp_confirm(rsvp=rsvp)
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.UNCONFIRMED


def test_rsvp_confirm_after_expiry_is_refused(submit_input, settings):
    action = ActionFactory()
    rsvp = rsvp_submit(action=action, data=submit_input(), now=action.starts_at - dt.timedelta(days=5))
    with pytest.raises(ValidationError, match="expired"):
        rsvp_confirm(
            rsvp=rsvp, now=rsvp.requested_at + dt.timedelta(hours=settings.RSVP_CONFIRM_HOURS, minutes=1)
        )


def test_rsvp_cancel_stops_counting_and_skips_reminders():
    rsvp = RSVPFactory(party_size=2)
    from groundswell.participation.scheduling import plan_reminders

    plan_reminders(rsvp=rsvp, action=rsvp.action, now=rsvp.action.starts_at - dt.timedelta(days=3))
    rsvp_cancel(rsvp=rsvp)

    assert rsvp_counts(rsvp.action) == {"rsvps": 0, "people": 0}
    assert set(rsvp.emails.values_list("status", flat=True)) == {"skipped"}


def test_rsvp_stop_emails_keeps_the_rsvp_counted():
    rsvp = RSVPFactory(party_size=2)
    rsvp_stop_emails(rsvp=rsvp)
    rsvp.refresh_from_db()
    assert rsvp.emails_stopped
    assert rsvp_counts(rsvp.action)["people"] == 2


def test_rsvp_change_by_link_applies_at_once_within_capacity():
    action = ActionFactory(capacity=4)
    rsvp = RSVPFactory(action=action, party_size=1)
    RSVPFactory(action=action, party_size=2)

    rsvp_change(rsvp=rsvp, name="R.", party_size=2, share_with_organizer=True, language="fr")
    rsvp.refresh_from_db()
    assert (rsvp.name, rsvp.party_size, rsvp.share_with_organizer, rsvp.language) == ("R.", 2, True, "fr")
    with pytest.raises(ValidationError, match="Only 2 places"):
        rsvp_change(rsvp=rsvp, name="R.", party_size=4, share_with_organizer=True, language="fr")


def test_rsvp_token_is_refused_when_altered():
    rsvp = RSVPFactory()
    token = rsvp_token(rsvp)
    assert rsvp_from_token(token, RSVP.objects.all()) == rsvp
    pk, mac = token.split("-")
    for bad in (f"{pk}-{'0' * 32}", f"{int(pk) + 1}-{mac}", mac, "", "1-", "x" * 500, f"{pk}-{mac}x"):
        assert rsvp_from_token(bad, RSVP.objects.all()) is None


def test_rsvp_form_answers_the_same_for_a_stranger_and_for_someone_coming(submit_input):
    """Near capacity, typing the address of someone who is coming must not be answered differently."""
    action = ActionFactory(capacity=4)
    RSVPFactory(action=action, email="known@private.example.org", party_size=2)
    RSVPFactory(action=action, party_size=1)
    answers = []
    for email in ("known@private.example.org", "stranger@private.example.org"):
        with pytest.raises(ValidationError) as error:
            rsvp_submit(action=action, data=submit_input(email=email, party_size=2))
        answers.append(error.value.message_dict)
    assert answers[0] == answers[1] == {"party_size": ["Only 1 place is left."]}
