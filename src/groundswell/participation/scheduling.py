"""When RSVP emails are due, and planning them into the outbox (``ScheduledEmail``).

Reminders go the day before at the action's local wall-clock start time (so across a change of clocks the
gap is 23 or 25 hours, and the email says "tomorrow at 10:00" the day before at 10:00 local time) and two
hours before the start. The organizer's digest goes at 08:00 in the action's time zone.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from .models import RSVP, ScheduledEmail

REMINDER_2H_BEFORE = dt.timedelta(hours=2)
DIGEST_LOCAL_TIME = dt.time(8, 0)


def local_wall_clock(naive: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A local wall-clock time as an aware datetime. A time skipped when clocks go forward moves on by the
    gap (02:30 becomes 03:30); a time that happens twice is taken at its first occurrence."""
    aware = naive.replace(tzinfo=zone, fold=0)
    # A skipped time does not survive a round trip through UTC: normalise it to a real instant.
    return aware.astimezone(dt.UTC).astimezone(zone)


def reminder_times(action) -> dict[str, dt.datetime]:
    zone = ZoneInfo(action.timezone)
    local_start = action.starts_at.astimezone(zone).replace(tzinfo=None)
    return {
        ScheduledEmail.Kind.REMINDER_DAY: local_wall_clock(local_start - dt.timedelta(days=1), zone),
        # In UTC: arithmetic on an aware datetime in a zone would be wall-clock arithmetic.
        ScheduledEmail.Kind.REMINDER_2H: action.starts_at.astimezone(dt.UTC) - REMINDER_2H_BEFORE,
    }


def next_digest_time(action, now: dt.datetime) -> dt.datetime | None:
    """The next 08:00 in the action's zone after ``now``, if the action has not ended by then."""
    zone = ZoneInfo(action.timezone)
    local_now = now.astimezone(zone)
    day = local_now.date()
    if local_now.time() >= DIGEST_LOCAL_TIME:
        day += dt.timedelta(days=1)
    due = local_wall_clock(dt.datetime.combine(day, DIGEST_LOCAL_TIME), zone)
    return due if due < action.ends_at else None


def _reminder_key(kind: str, rsvp: RSVP, action) -> str:
    # The start time is part of the key: when the time changes, the old reminders are skipped and new
    # ones planned, while a reminder already sent for the same start is never sent again.
    return f"{kind}:{rsvp.pk}:{int(action.starts_at.timestamp())}"


def plan_reminders(*, rsvp: RSVP, action, now: dt.datetime) -> None:
    """Plans the reminders of a confirmed RSVP; a reminder whose time has passed is not sent late."""
    for kind, due in reminder_times(action).items():
        if due <= now:
            continue
        ScheduledEmail.objects.get_or_create(
            dedupe_key=_reminder_key(kind, rsvp, action),
            defaults={"kind": kind, "action": action, "rsvp": rsvp, "due_at": due},
        )


def skip_scheduled(queryset) -> int:
    """Marks planned emails as no longer needed (a cancelled RSVP, a stopped subscription, a new time)."""
    return queryset.filter(status=ScheduledEmail.Status.SCHEDULED).update(
        status=ScheduledEmail.Status.SKIPPED
    )


def plan_digest(*, action, now: dt.datetime) -> None:
    if not action.rsvp_digest:
        return
    due = next_digest_time(action, now)
    if due is None:
        return
    ScheduledEmail.objects.get_or_create(
        dedupe_key=f"digest:{action.pk}:{due.date().isoformat()}",
        defaults={"kind": ScheduledEmail.Kind.DIGEST, "action": action, "due_at": due},
    )


def plan_now(
    *, kind: str, action, rsvp: RSVP | None, dedupe_key: str, now: dt.datetime, data=None, new_key=False
):
    """An email due at once; the worker is asked to send it as soon as this transaction commits.
    ``new_key``: the caller knows no row has this ``dedupe_key`` (it names a row created in the same
    transaction), so the row is inserted without looking for it first."""
    from .tasks import send_scheduled_email

    fields = {"kind": kind, "action": action, "rsvp": rsvp, "due_at": now, "data": data or {}}
    if new_key:
        email, created = ScheduledEmail.objects.create(dedupe_key=dedupe_key, **fields), True
    else:
        email, created = ScheduledEmail.objects.get_or_create(dedupe_key=dedupe_key, defaults=fields)
    if created:
        transaction.on_commit(lambda: send_scheduled_email.enqueue(email.pk))
    return email
