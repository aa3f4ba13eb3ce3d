"""The outbox: failures are retried then reported, a restart of the worker loses nothing and repeats
nothing, organizers' changes reach the people coming, and the organizer's daily digest."""

import datetime as dt
import logging

import pytest
from django.core.management import call_command

from groundswell.actions.models import Action
from groundswell.actions.services import ActionInput, action_approve, action_cancel_by_organizer
from groundswell.core.models import AuditEntry
from groundswell.participation.models import RSVP, ScheduledEmail
from groundswell.participation.outbox import MAX_ATTEMPTS, scheduled_email_dispatch
from groundswell.participation.scheduling import plan_digest, plan_reminders
from groundswell.participation.services import RSVPInput, action_digest_stop, rsvp_submit
from tests.conftest import free_port
from tests.factories import ActionFactory, RSVPFactory, actor

pytestmark = pytest.mark.django_db


def test_failed_email_is_retried_with_pauses_then_reported(settings, mailbox, caplog):
    rsvp = RSVPFactory()
    action = rsvp.action
    # The day-before reminder: a reminder whose retries would run past the start is dropped instead.
    plan_reminders(rsvp=rsvp, action=action, now=action.starts_at - dt.timedelta(days=3))
    email = rsvp.emails.get(kind="reminder_day")
    settings.EMAIL_PORT = free_port()  # nothing listens there: every attempt fails

    when = email.due_at
    for attempt in range(1, MAX_ATTEMPTS):
        assert scheduled_email_dispatch(now=when) == {"returned": 0, "scheduled": 1}
        email.refresh_from_db()
        assert (email.status, email.attempts) == ("scheduled", attempt)
        assert "ConnectionRefusedError" in email.last_error
        assert email.due_at > when  # the next try waits
        assert scheduled_email_dispatch(now=when).get("scheduled", 0) == 0  # not before its time
        when = email.due_at
    with caplog.at_level(logging.ERROR, logger="groundswell.participation.outbox"):
        assert scheduled_email_dispatch(now=when)["failed"] == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", MAX_ATTEMPTS)
    assert "gave up" in caplog.text or "giving up" in caplog.text
    entry = AuditEntry.objects.get(verb="participation.email.failed")
    assert entry.target_id == str(action.pk) and entry.data["kind"] == "reminder_day"

    settings.EMAIL_PORT = mailbox.port
    assert (
        scheduled_email_dispatch(now=when + dt.timedelta(days=1)).get("sent", 0) == 0
    )  # failed stays failed


def test_email_that_fails_once_goes_on_the_retry(settings, mailbox):
    rsvp = RSVPFactory()
    plan_reminders(rsvp=rsvp, action=rsvp.action, now=rsvp.action.starts_at - dt.timedelta(days=3))
    email = rsvp.emails.get(kind="reminder_day")
    settings.EMAIL_PORT = free_port()
    scheduled_email_dispatch(now=email.due_at)
    settings.EMAIL_PORT = mailbox.port
    email.refresh_from_db()
    assert scheduled_email_dispatch(now=email.due_at)["sent"] == 1
    assert len(mailbox.wait_for(1)) == 1


def test_email_claimed_by_a_crashed_worker_is_handed_back(mailbox):
    rsvp = RSVPFactory()
    plan_reminders(rsvp=rsvp, action=rsvp.action, now=rsvp.action.starts_at - dt.timedelta(days=3))
    email = rsvp.emails.get(kind="reminder_day")
    ScheduledEmail.objects.filter(pk=email.pk).update(status="sending", claimed_at=email.due_at)

    assert scheduled_email_dispatch(now=email.due_at + dt.timedelta(minutes=5)).get("sent", 0) == 0
    result = scheduled_email_dispatch(now=email.due_at + dt.timedelta(minutes=20))
    assert result["returned"] == 1 and result["sent"] == 1


@pytest.fixture
def database_tasks(settings):
    """The production task backend: tasks are rows, run by ``db_worker`` (here in --batch mode)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_worker_restart_loses_no_email_and_sends_none_twice(database_tasks, mailbox):
    from django_tasks_db.models import DBTaskResult

    action = ActionFactory()
    rsvp_submit(action=action, data=RSVPInput(email="harbour@private.example.org"))
    # Nothing is sent while no worker runs: the task waits in the database, as across a restart.
    assert mailbox.wait_for(1, timeout=0.3) == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(mailbox.wait_for(1)) == 1
    # The same task run again (a worker that crashed before recording it) finds the email sent.
    from groundswell.participation.tasks import send_scheduled_email

    send_scheduled_email.enqueue(ScheduledEmail.objects.get().pk)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(mailbox.wait_for(2, timeout=0.5)) == 1
    assert ScheduledEmail.objects.get().status == "sent"


def _approved_with_rsvps(**action_kwargs):
    action = ActionFactory(**action_kwargs)
    confirmed = RSVPFactory(action=action, email="coming@private.example.org")
    RSVPFactory(action=action, email="unsure@private.example.org", status="unconfirmed", confirmed_at=None)
    RSVPFactory(action=action, email="quiet@private.example.org", emails_stopped=True)
    return action, confirmed


def test_cancelled_action_tells_confirmed_rsvps_and_stops_reminders(
    django_capture_on_commit_callbacks, mailbox
):
    action, confirmed = _approved_with_rsvps(title="Dockside rally")
    plan_reminders(rsvp=confirmed, action=action, now=action.starts_at - dt.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        action_cancel_by_organizer(action=action)

    [message] = mailbox.wait_for(1)
    assert message["To"] == "coming@private.example.org"
    assert message["Subject"] == "Cancelled: Dockside rally"
    assert not confirmed.emails.filter(kind__startswith="reminder", status="scheduled").exists()


def _edit_time_and_approve(action, capture, *, hours_later=3):
    from groundswell.actions.services import action_update_by_organizer

    data = ActionInput(
        **{
            field: getattr(action, field)
            for field in ActionInput.__dataclass_fields__
            if hasattr(action, field)
        }
    )
    data.starts_at = action.starts_at + dt.timedelta(hours=hours_later)
    data.ends_at = action.ends_at + dt.timedelta(hours=hours_later)
    action_update_by_organizer(action=action, data=data)
    action.refresh_from_db()
    assert action.status == Action.Status.PENDING
    with capture(execute=True):
        action_approve(actor=actor("moderator", action.campaign), action=action)
    action.refresh_from_db()
    return action


def test_new_time_reaches_confirmed_rsvps_once_approved_and_reminders_move(
    django_capture_on_commit_callbacks, mailbox
):
    action, confirmed = _approved_with_rsvps(title="Dockside rally")
    plan_reminders(rsvp=confirmed, action=action, now=action.starts_at - dt.timedelta(days=3))
    old_due = set(confirmed.emails.values_list("due_at", flat=True))

    action = _edit_time_and_approve(action, django_capture_on_commit_callbacks)

    # The organizer hears of the approval; of the people coming, only the confirmed one who wants emails.
    messages = [m for m in mailbox.wait_for(2, timeout=1) if m["To"] != action.contact_email]
    assert [m["To"] for m in messages] == ["coming@private.example.org"]
    assert messages[0]["Subject"] == "Changed: Dockside rally"
    assert "changed the time" in mailbox.text_of(messages[0])
    assert "17:00" in mailbox.text_of(messages[0])  # 14:00 + 3 h, Berlin time
    live = confirmed.emails.filter(kind__startswith="reminder", status="scheduled")
    assert {e.due_at for e in live}.isdisjoint(old_due)
    assert {e.due_at for e in live} == {
        action.starts_at - dt.timedelta(hours=2),
        action.starts_at - dt.timedelta(days=1),
    }


def test_rejected_changed_action_tells_confirmed_rsvps_it_is_off(django_capture_on_commit_callbacks, mailbox):
    from groundswell.actions.services import action_reject, action_update_by_organizer

    action, _ = _approved_with_rsvps(title="Dockside rally")
    data = ActionInput(
        **{
            field: getattr(action, field)
            for field in ActionInput.__dataclass_fields__
            if hasattr(action, field)
        }
    )
    data.title = "Dockside rally (moved)"
    action_update_by_organizer(action=action, data=data)
    with django_capture_on_commit_callbacks(execute=True):
        action_reject(actor=actor("moderator", action.campaign), action=action, reason="Not in the campaign.")
    subjects = [m["Subject"] for m in mailbox.wait_for(2, timeout=1)]
    assert subjects.count("Cancelled: Dockside rally (moved)") == 1


def test_digest_goes_to_the_organizer_at_eight_local_with_the_count_and_only_on_news(mailbox):
    action = ActionFactory(title="Dockside rally", contact_email="host@private.example.net")
    first_day = action.starts_at - dt.timedelta(days=4)
    RSVPFactory(action=action, party_size=3)
    RSVPFactory(action=action, party_size=1, share_with_organizer=True)
    plan_digest(action=action, now=first_day)
    digest = action.scheduled_emails.get(kind="digest")
    assert digest.due_at.astimezone(action.starts_at.tzinfo).time() == dt.time(8)

    assert scheduled_email_dispatch(now=digest.due_at)["sent"] == 1
    [message] = mailbox.wait_for(1)
    assert message["To"] == "host@private.example.net"
    assert message["Subject"] == "4 people coming to Dockside rally"
    text = mailbox.text_of(message)
    assert "2 RSVPs" in text and "2 new RSVPs" in text
    assert "participant" not in text.lower()  # no names or addresses of the people coming
    assert "/o/digest/" in message["List-Unsubscribe"]

    # The next day, nothing changed: no digest.
    plan_digest(action=action, now=digest.due_at + dt.timedelta(minutes=1))
    assert scheduled_email_dispatch(now=digest.due_at + dt.timedelta(days=1)) == {"returned": 0, "skipped": 1}


def test_digest_stops_when_the_organizer_unsubscribes(mailbox):
    action = ActionFactory()
    RSVPFactory(action=action)
    plan_digest(action=action, now=action.starts_at - dt.timedelta(days=4))
    action_digest_stop(action=action)
    plan_digest(action=action, now=action.starts_at - dt.timedelta(days=3))
    assert scheduled_email_dispatch(now=action.starts_at).get("sent", 0) == 0
    assert set(action.scheduled_emails.values_list("status", flat=True)) == {"skipped"}
    assert mailbox.wait_for(1, timeout=0.3) == []


def test_unconfirmed_rsvp_gets_no_reminder():
    action = ActionFactory()
    rsvp = RSVPFactory(action=action, status=RSVP.Status.UNCONFIRMED, confirmed_at=None)
    ScheduledEmail.objects.create(
        kind="reminder_2h",
        action=action,
        rsvp=rsvp,
        due_at=action.starts_at - dt.timedelta(hours=2),
        dedupe_key="x",
    )
    assert scheduled_email_dispatch(now=action.starts_at - dt.timedelta(hours=1)) == {
        "returned": 0,
        "skipped": 1,
    }
