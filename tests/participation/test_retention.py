"""Personal data of RSVPs is erased RETENTION_DAYS after the action; counts remain."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from groundswell.participation.models import RSVP, ScheduledEmail
from groundswell.participation.retention import rsvp_purge
from groundswell.participation.scheduling import plan_reminders
from groundswell.participation.selectors import rsvp_calendar_actions, rsvp_counts
from groundswell.participation.tokens import calendar_token
from tests.factories import ActionFactory, RSVPFactory

pytestmark = pytest.mark.django_db


def test_purge_erases_names_and_emails_after_retention_and_keeps_counts(settings):
    settings.RETENTION_DAYS = 30
    action = ActionFactory()
    later = ActionFactory(campaign=action.campaign, starts_at=action.starts_at + dt.timedelta(days=2))
    kept = RSVPFactory(action=later, name="Later Person", email="later@private.example.org")
    for size in (1, 2, 3):
        RSVPFactory(action=action, party_size=size, name=f"Person {size}")
    before = rsvp_counts(action)
    day_after_retention = action.ends_at + dt.timedelta(days=30, minutes=1)

    # Not a minute early.
    assert rsvp_purge(now=action.ends_at + dt.timedelta(days=29, hours=23))["erased"] == 0

    assert rsvp_purge(now=day_after_retention) == {"erased": 3, "expired": 0}

    assert rsvp_counts(action) == before == {"rsvps": 3, "people": 6}
    for rsvp in RSVP.objects.filter(action=action):
        assert (rsvp.name, rsvp.email, rsvp.email_key, rsvp.calendar_token_hash) == ("", "", "", "")
        assert rsvp.erased_at == day_after_retention
    kept.refresh_from_db()
    assert (kept.name, kept.email) == ("Later Person", "later@private.example.org")
    assert rsvp_purge(now=day_after_retention)["erased"] == 0  # once is enough


def test_purge_skips_planned_emails_and_empties_the_private_calendar(settings):
    action = ActionFactory()
    rsvp = RSVPFactory(action=action, email="cal@private.example.org")
    plan_reminders(rsvp=rsvp, action=action, now=action.starts_at - dt.timedelta(days=3))
    assert list(rsvp_calendar_actions(token=calendar_token("cal@private.example.org"))) == [action]

    rsvp_purge(now=action.ends_at + dt.timedelta(days=settings.RETENTION_DAYS + 1))

    assert set(ScheduledEmail.objects.values_list("status", flat=True)) == {"skipped"}
    assert list(rsvp_calendar_actions(token=calendar_token("cal@private.example.org"))) == []


def test_purge_deletes_rsvps_never_confirmed_in_time(settings):
    settings.RSVP_CONFIRM_HOURS = 48
    action = ActionFactory()
    asked = action.starts_at - dt.timedelta(days=10)
    RSVPFactory(action=action, status="unconfirmed", confirmed_at=None, requested_at=asked)
    RSVPFactory(action=action, status="confirmed", requested_at=asked)

    assert rsvp_purge(now=asked + dt.timedelta(hours=47))["expired"] == 0
    assert rsvp_purge(now=asked + dt.timedelta(hours=49))["expired"] == 1
    assert list(RSVP.objects.values_list("status", flat=True)) == ["confirmed"]


def test_purge_command_says_what_it_did_and_dry_run_changes_nothing(settings):
    settings.RETENTION_DAYS = 0
    action = ActionFactory(
        starts_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3),
        ends_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3) + dt.timedelta(hours=2),
    )
    RSVPFactory(action=action, email="gone@private.example.org")

    out = io.StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert "Would erase the personal data of 1 RSVP(s)" in out.getvalue()
    assert RSVP.objects.get().email == "gone@private.example.org"

    out = io.StringIO()
    call_command("purge", stdout=out)
    assert "Erased the personal data of 1 RSVP(s)" in out.getvalue()
    assert RSVP.objects.get().email == ""


@pytest.mark.django_db(transaction=True)
def test_hourly_erasure_also_deletes_finished_task_results_older_than_a_day(settings):
    from django_tasks_db.models import DBTaskResult

    from groundswell.participation.tasks import dispatch_scheduled_emails, purge_personal_data

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old, recent = dispatch_scheduled_emails.enqueue(), dispatch_scheduled_emails.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    now = dt.datetime.now(dt.UTC)
    DBTaskResult.objects.filter(id=old.id).update(finished_at=now - dt.timedelta(days=2))

    purge_personal_data.call()

    assert [str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)] == [str(recent.id)]
