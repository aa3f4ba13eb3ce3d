"""When reminders go, across time zones and changes of clocks, and that the outbox sends each email once."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from groundswell.actions.models import Action
from groundswell.participation.models import ScheduledEmail
from groundswell.participation.outbox import scheduled_email_dispatch
from groundswell.participation.scheduling import next_digest_time, plan_reminders, reminder_times
from groundswell.participation.services import rsvp_confirm, rsvp_submit
from tests.factories import ActionFactory, CampaignFactory, RSVPFactory

UTC = dt.UTC


def _action(local: dt.datetime, zone: str) -> Action:
    starts = local.replace(tzinfo=ZoneInfo(zone))
    return Action(starts_at=starts, ends_at=starts + dt.timedelta(hours=2), timezone=zone)


def _utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "local_start", "day_before_utc", "two_hours_utc"),
    [
        # Tokyo (UTC+9, no summer time): 19:00 local.
        ("Asia/Tokyo", dt.datetime(2027, 10, 12, 19), _utc(2027, 10, 11, 10), _utc(2027, 10, 12, 8)),
        # Auckland (UTC+13 in October): the reminder's UTC date is two days before the UTC start.
        ("Pacific/Auckland", dt.datetime(2027, 10, 12, 9), _utc(2027, 10, 10, 20), _utc(2027, 10, 11, 18)),
        # Honolulu (UTC−10).
        ("Pacific/Honolulu", dt.datetime(2027, 10, 12, 18), _utc(2027, 10, 12, 4), _utc(2027, 10, 13, 2)),
        # Berlin, clocks go forward on 28 March 2027: the day before at 10:00 CET is 23 hours earlier.
        ("Europe/Berlin", dt.datetime(2027, 3, 28, 10), _utc(2027, 3, 27, 9), _utc(2027, 3, 28, 6)),
        # New York, clocks go back on 7 November 2027: the day before at 10:00 EDT is 25 hours earlier.
        ("America/New_York", dt.datetime(2027, 11, 7, 10), _utc(2027, 11, 6, 14), _utc(2027, 11, 7, 13)),
        # 02:30 on 28 March 2027 does not exist in Berlin: the day-before reminder moves on to 03:30 CEST.
        (
            "Europe/Berlin",
            dt.datetime(2027, 3, 29, 2, 30),
            _utc(2027, 3, 28, 1, 30),
            _utc(2027, 3, 28, 22, 30),
        ),
    ],
)
def test_reminder_times_follow_the_actions_local_clock(zone, local_start, day_before_utc, two_hours_utc):
    times = reminder_times(_action(local_start, zone))
    assert times[ScheduledEmail.Kind.REMINDER_DAY] == day_before_utc
    assert times[ScheduledEmail.Kind.REMINDER_2H] == two_hours_utc
    local = times[ScheduledEmail.Kind.REMINDER_DAY].astimezone(ZoneInfo(zone))
    assert local.date() == local_start.date() - dt.timedelta(days=1)


def test_next_digest_time_is_eight_in_the_morning_local_until_the_action_ends():
    action = _action(dt.datetime(2027, 10, 12, 19), "Asia/Tokyo")
    assert next_digest_time(action, _utc(2027, 10, 10, 22)) == _utc(2027, 10, 10, 23)  # 07:00 → 08:00 JST
    assert next_digest_time(action, _utc(2027, 10, 10, 23, 30)) == _utc(2027, 10, 11, 23)
    assert next_digest_time(action, _utc(2027, 10, 12, 1)) is None  # the next 08:00 is after the end


@pytest.mark.django_db
def test_reminders_go_at_their_time_once_each_in_the_rsvp_language(mailbox):
    campaign = CampaignFactory(start_date=dt.date(2027, 10, 7), end_date=dt.date(2027, 10, 21))
    action = ActionFactory(
        campaign=campaign,
        title="Harbour vigil",
        rsvp_digest=False,
        timezone="Asia/Tokyo",
        starts_at=dt.datetime(2027, 10, 12, 19, tzinfo=ZoneInfo("Asia/Tokyo")),
    )
    rsvp = RSVPFactory(action=action, status="unconfirmed", confirmed_at=None, requested_at=_utc(2027, 10, 1))
    rsvp_confirm(rsvp=rsvp, now=_utc(2027, 10, 1, 1))
    day_before, two_hours = _utc(2027, 10, 11, 10), _utc(2027, 10, 12, 8)

    assert scheduled_email_dispatch(now=day_before - dt.timedelta(minutes=1)).get("sent", 0) == 0
    assert scheduled_email_dispatch(now=day_before + dt.timedelta(minutes=1))["sent"] == 1
    # Dispatching again (a second worker, a restart) sends nothing more.
    assert scheduled_email_dispatch(now=day_before + dt.timedelta(minutes=2)).get("sent", 0) == 0
    assert scheduled_email_dispatch(now=two_hours)["sent"] == 1
    assert scheduled_email_dispatch(now=two_hours + dt.timedelta(hours=1)).get("sent", 0) == 0

    first, second = mailbox.wait_for(2)
    assert len(mailbox.messages) == 2
    assert first["Subject"] == "Tomorrow: Harbour vigil"
    assert second["Subject"] == "In 2 hours: Harbour vigil"
    text = mailbox.text_of(first)
    assert "19:00 (Asia/Tokyo, JST)" in text
    assert rsvp.email not in text  # the address is the envelope's, not repeated in the body


@pytest.mark.django_db
def test_reminder_whose_time_has_passed_is_not_sent_late():
    action = ActionFactory()
    rsvp = RSVPFactory(action=action)
    plan_reminders(rsvp=rsvp, action=action, now=action.starts_at - dt.timedelta(hours=5))
    assert list(rsvp.emails.values_list("kind", flat=True)) == [ScheduledEmail.Kind.REMINDER_2H]


@pytest.mark.django_db
def test_reminders_are_not_sent_after_the_person_stopped_emails_or_cancelled(mailbox):
    from groundswell.participation.services import rsvp_cancel, rsvp_stop_emails

    action = ActionFactory()
    stopped = RSVPFactory(action=action)
    cancelled = RSVPFactory(action=action)
    now = action.starts_at - dt.timedelta(days=3)
    for rsvp in (stopped, cancelled):
        plan_reminders(rsvp=rsvp, action=action, now=now)
    rsvp_stop_emails(rsvp=stopped)
    rsvp_cancel(rsvp=cancelled)

    scheduled_email_dispatch(now=action.starts_at - dt.timedelta(minutes=1))

    recipients = [m["To"] for m in mailbox.wait_for(1, timeout=0.3)]
    assert stopped.email not in recipients and cancelled.email not in recipients
    assert not ScheduledEmail.objects.filter(status="sent", rsvp__isnull=False).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "confirm_subject", "two_hours_subject", "when"),
    [
        ("fr", "Confirmez votre venue\xa0: Veillée du port", "Dans 2 heures\xa0: Veillée du port", "Quand"),
        ("ar", "أكّد حضورك: Veillée du port", "بعد ساعتين: Veillée du port", "متى"),
    ],
)
def test_rsvp_emails_speak_the_language_chosen_in_the_form(
    django_capture_on_commit_callbacks, mailbox, language, confirm_subject, two_hours_subject, when
):
    from groundswell.participation.services import RSVPInput

    action = ActionFactory(title="Veillée du port", rsvp_digest=False)
    with django_capture_on_commit_callbacks(execute=True):
        rsvp = rsvp_submit(
            action=action,
            data=RSVPInput(email="riviere@private.example.org", language=language),
        )
    rsvp_confirm(rsvp=rsvp)
    scheduled_email_dispatch(now=action.starts_at - dt.timedelta(hours=1, minutes=59))
    confirm, _day, two_hours = mailbox.wait_for(3)
    assert confirm["Subject"] == confirm_subject
    assert two_hours["Subject"] == two_hours_subject
    assert when in mailbox.text_of(two_hours) and "When:" not in mailbox.text_of(two_hours)
    assert f'lang="{language}"' in mailbox.html_of(two_hours)
