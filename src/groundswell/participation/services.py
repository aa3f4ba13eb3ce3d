"""Every write to RSVPs: submit (double opt-in), confirm, change, cancel, stop emails, and what an
organizer's change to the action means for the people coming. Erasure lives in ``retention.py``."""

import dataclasses
import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groundswell.actions.models import Action

from .models import MAX_PARTY_SIZE, RSVP, ScheduledEmail
from .scheduling import plan_digest, plan_now, plan_reminders, skip_scheduled
from .tokens import calendar_token_hash, email_key, normalize_email

# What a change of the action must tell the people coming: its time or its place.
TIME_FIELDS = ("starts_at", "ends_at", "timezone")
PLACE_FIELDS = ("venue", "city", "country", "latitude", "longitude", "location_precision", "online_url")


@dataclasses.dataclass(kw_only=True)
class RSVPInput:
    email: str
    name: str = ""
    party_size: int = 1
    language: str = "en"
    share_with_organizer: bool = False
    # The form's idempotency token (a random id rendered into the form).
    submission_id: str = ""


def rsvp_closed_reason(action: Action, *, now: dt.datetime | None = None) -> str:
    """Why nobody can RSVP to ``action`` now, or "" when they can."""
    now = now or timezone.now()
    if action.status == Action.Status.CANCELLED:
        return _("This action is cancelled.")
    if action.status != Action.Status.APPROVED:
        return _("This action is not open for RSVPs.")
    if action.campaign.status != action.campaign.Status.PUBLISHED:
        return _("This campaign is closed.")
    if action.ends_at <= now:
        return _("This action is over.")
    return ""


def seats_taken(action: Action, *, exclude: RSVP | None = None) -> int:
    """People counted against the capacity: the party sizes of confirmed RSVPs."""
    queryset = RSVP.objects.filter(action=action, status=RSVP.Status.CONFIRMED)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return queryset.aggregate(total=Sum("party_size"))["total"] or 0


def _check_capacity(action: Action, party_size: int, *, exclude: RSVP | None = None) -> None:
    if action.capacity is None:
        return
    left = action.capacity - seats_taken(action, exclude=exclude)
    if left <= 0:
        raise ValidationError({"party_size": _("This action is full: there are no places left.")})
    if party_size > left:
        raise ValidationError(
            {
                "party_size": ngettext("Only %(left)d place is left.", "Only %(left)d places are left.", left)
                % {"left": left}
            }
        )


def _validate(data: RSVPInput) -> None:
    errors = {}
    if not 1 <= data.party_size <= MAX_PARTY_SIZE:
        errors["party_size"] = _("Say how many people are coming, from 1 to %(max)d.") % {
            "max": MAX_PARTY_SIZE
        }
    if not data.email or "@" not in data.email:
        errors["email"] = _("Enter your email address: we send the confirmation link there.")
    if data.language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the languages offered.")
    if errors:
        raise ValidationError(errors)


def _locked_action(action: Action) -> Action:
    # RSVPs to one action queue up behind this lock, so capacity is never overbooked (SQLite's IMMEDIATE
    # transactions serialise writers anyway).
    return Action.objects.select_for_update().select_related("campaign").get(pk=action.pk)


def _locked_for_rsvp(action: Action) -> Action:
    """What decides whether ``action`` takes an RSVP, read again under its row lock: RSVPs to one action
    queue up behind it, so capacity is never overbooked. Only the action's row is locked (not its
    campaign's, which every RSVP of the campaign would otherwise wait for), and only those columns read."""
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .only("status", "ends_at", "capacity", "campaign__status")
        .get(pk=action.pk)
    )


def _rsvp_insert(*, action: Action, key: str, data: RSVPInput, details: dict, now) -> RSVP | None:
    """A new RSVP, or None when this person has one already (the database enforces one per person)."""
    rsvp = RSVP(
        action=action,
        email=normalize_email(data.email),
        email_key=key,
        calendar_token_hash=calendar_token_hash(data.email),
        link_nonce=secrets.token_hex(16),
        submission_id=data.submission_id,
        requested_at=now,
        **details,
    )
    try:
        # A savepoint: on PostgreSQL a failed INSERT must not spoil the outer transaction.
        with transaction.atomic():
            rsvp.full_clean(
                exclude=["action", "requested_at"], validate_unique=False, validate_constraints=False
            )
            rsvp.save()
    except IntegrityError:
        return None
    # A new row, so its confirmation's dedupe key cannot exist yet: inserted without looking first.
    plan_now(
        kind=ScheduledEmail.Kind.CONFIRM,
        action=action,
        rsvp=rsvp,
        dedupe_key=f"confirm:{rsvp.pk}:{rsvp.submission_id or now.timestamp()}",
        now=now,
        new_key=True,
    )
    return rsvp


@transaction.atomic
def rsvp_submit(*, action: Action, data: RSVPInput, now: dt.datetime | None = None) -> RSVP:
    """Records that someone will come and emails them a link to confirm (double opt-in).

    One RSVP per person and action: the same email again updates the unconfirmed RSVP, or asks the inbox
    to confirm the change of a confirmed one (so nobody can change another person's RSVP by typing their
    address). A form sent twice (same ``submission_id``) is recognised and changes nothing more. The
    answer is the same whether or not the address had RSVPed, so the form reveals nothing about others.
    """
    now = now or timezone.now()
    _validate(data)
    locked = _locked_for_rsvp(action)
    reason = rsvp_closed_reason(locked, now=now)
    if reason:
        raise ValidationError(reason)
    key = email_key(data.email)
    details = {
        "name": data.name.strip(),
        "party_size": data.party_size,
        "language": data.language,
        "share_with_organizer": data.share_with_organizer,
    }
    if locked.capacity is None:
        # Most actions take anyone: the INSERT comes first, and someone already there (a second form, a
        # double click) is found after it fails. (The uniqueness is the database's to enforce.)
        rsvp = _rsvp_insert(action=action, key=key, data=data, details=details, now=now)
        if rsvp is not None:
            return rsvp
    rsvp = RSVP.objects.filter(action=action, email_key=key).first()
    if rsvp is not None and data.submission_id and rsvp.submission_id == data.submission_id:
        return rsvp
    # The same capacity check for everyone, whether or not this address has an RSVP already: a different
    # answer would tell a stranger who is coming. (A confirmed person changes their party size from their
    # RSVP's own page, where the check leaves their own places out.)
    _check_capacity(locked, data.party_size)
    if rsvp is None:
        rsvp = _rsvp_insert(action=action, key=key, data=data, details=details, now=now)
        if rsvp is not None:
            return rsvp
        # Another request for the same person won the race: treat this one as an update of it.
        rsvp = RSVP.objects.get(action=action, email_key=key)
    return _resubmit(rsvp=rsvp, action=action, details=details, data=data, now=now)


def _resubmit(*, rsvp: RSVP, action: Action, details: dict, data: RSVPInput, now) -> RSVP:
    if data.submission_id and rsvp.submission_id == data.submission_id:
        return rsvp
    rsvp.submission_id = data.submission_id
    if rsvp.status == RSVP.Status.CONFIRMED:
        rsvp.pending_update = details
        rsvp.save(update_fields=["pending_update", "submission_id", "updated_at"])
        kind = ScheduledEmail.Kind.CONFIRM_UPDATE
    else:
        # Not confirmed (or cancelled): nothing counts yet, so the new details replace the old ones.
        for field, value in details.items():
            setattr(rsvp, field, value)
        rsvp.status = RSVP.Status.UNCONFIRMED
        rsvp.requested_at = now
        rsvp.cancelled_at = None
        rsvp.emails_stopped = False
        rsvp.save()
        kind = ScheduledEmail.Kind.CONFIRM
    plan_now(
        kind=kind,
        action=action,
        rsvp=rsvp,
        dedupe_key=f"{kind}:{rsvp.pk}:{data.submission_id or now.timestamp()}",
        now=now,
    )
    return rsvp


def rsvp_is_expired(rsvp: RSVP, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return rsvp.status == RSVP.Status.UNCONFIRMED and rsvp.requested_at < now - dt.timedelta(
        hours=settings.RSVP_CONFIRM_HOURS
    )


def _locked(rsvp: RSVP) -> tuple[RSVP, Action]:
    action = _locked_action(rsvp.action)
    rsvp = RSVP.objects.select_for_update().get(pk=rsvp.pk)
    rsvp.action = action
    return rsvp, action


@transaction.atomic
def rsvp_confirm(*, rsvp: RSVP, now: dt.datetime | None = None) -> RSVP:
    """The link in the email was followed: the RSVP (or its asked-for change) counts from now on and its
    reminders are planned. Raises ValidationError when that is no longer possible."""
    now = now or timezone.now()
    rsvp, action = _locked(rsvp)
    if rsvp.is_erased:
        raise ValidationError(_("This RSVP no longer exists."))
    if rsvp.status == RSVP.Status.CONFIRMED and not rsvp.pending_update:
        return rsvp
    reason = rsvp_closed_reason(action, now=now)
    if reason:
        raise ValidationError(reason)
    if rsvp.status == RSVP.Status.CONFIRMED:
        update = rsvp.pending_update
        _check_capacity(action, update["party_size"], exclude=rsvp)
        for field, value in update.items():
            setattr(rsvp, field, value)
        rsvp.pending_update = {}
        rsvp.save()
    else:
        if rsvp.status == RSVP.Status.CANCELLED:
            raise ValidationError(
                _("You cancelled this RSVP. To come after all, RSVP again on the action page.")
            )
        if rsvp_is_expired(rsvp, now=now):
            raise ValidationError(_("This confirmation link has expired. RSVP again on the action page."))
        _check_capacity(action, rsvp.party_size, exclude=rsvp)
        rsvp.status = RSVP.Status.CONFIRMED
        rsvp.confirmed_at = now
        rsvp.save()
        if not rsvp.emails_stopped:
            plan_reminders(rsvp=rsvp, action=action, now=now)
    plan_digest(action=action, now=now)
    return rsvp


@transaction.atomic
def rsvp_change(
    *, rsvp: RSVP, name: str, party_size: int, share_with_organizer: bool, language: str, now=None
) -> RSVP:
    """Changes from the RSVP's own link (which proves the inbox): applied at once."""
    now = now or timezone.now()
    if not 1 <= party_size <= MAX_PARTY_SIZE:
        raise ValidationError(
            {"party_size": _("Say how many people are coming, from 1 to %(max)d.") % {"max": MAX_PARTY_SIZE}}
        )
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    rsvp, action = _locked(rsvp)
    if rsvp.is_erased or rsvp.status == RSVP.Status.CANCELLED:
        raise ValidationError(_("This RSVP can no longer be changed."))
    if rsvp.status == RSVP.Status.CONFIRMED and party_size > rsvp.party_size:
        reason = rsvp_closed_reason(action, now=now)
        if reason:
            raise ValidationError(reason)
        _check_capacity(action, party_size, exclude=rsvp)
    rsvp.name = name.strip()
    rsvp.party_size = party_size
    rsvp.share_with_organizer = share_with_organizer
    rsvp.language = language
    rsvp.pending_update = {}
    rsvp.save()
    if rsvp.status == RSVP.Status.CONFIRMED:
        plan_digest(action=action, now=now)
    return rsvp


@transaction.atomic
def rsvp_cancel(*, rsvp: RSVP, now: dt.datetime | None = None) -> RSVP:
    """The person will not come after all: the RSVP stops counting and no more emails go to it."""
    now = now or timezone.now()
    rsvp, action = _locked(rsvp)
    if rsvp.status == RSVP.Status.CANCELLED:
        return rsvp
    was_confirmed = rsvp.status == RSVP.Status.CONFIRMED
    rsvp.status = RSVP.Status.CANCELLED
    rsvp.cancelled_at = now
    rsvp.pending_update = {}
    rsvp.save()
    skip_scheduled(rsvp.emails.all())
    if was_confirmed:
        plan_digest(action=action, now=now)
    return rsvp


@transaction.atomic
def rsvp_stop_emails(*, rsvp: RSVP) -> RSVP:
    """One-click unsubscribe: no more reminders or notices for this RSVP; it still counts."""
    rsvp = RSVP.objects.select_for_update().get(pk=rsvp.pk)
    if not rsvp.emails_stopped:
        rsvp.emails_stopped = True
        rsvp.save(update_fields=["emails_stopped", "updated_at"])
    skip_scheduled(rsvp.emails.all())
    return rsvp


@transaction.atomic
def action_digest_stop(*, action: Action) -> Action:
    """The organizer's one-click unsubscribe from the daily RSVP digest."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.rsvp_digest:
        action.rsvp_digest = False
        action.save(update_fields=["rsvp_digest"])
    skip_scheduled(action.scheduled_emails.filter(kind=ScheduledEmail.Kind.DIGEST))
    return action


def _people_to_tell(action: Action):
    return RSVP.objects.filter(
        action=action, status=RSVP.Status.CONFIRMED, emails_stopped=False, erased_at=None
    )


def rsvp_action_changed(*, action: Action, changed_fields, now: dt.datetime | None = None) -> int:
    """Called in the transaction that makes a new version of ``action`` public: when its time or place
    changed, every confirmed RSVP gets a notice and reminders move to the new time. Returns the number of
    notices planned."""
    now = now or timezone.now()
    changed = [field for field in changed_fields if field in TIME_FIELDS + PLACE_FIELDS]
    if not changed:
        return 0
    what = sorted({"time" if field in TIME_FIELDS else "place" for field in changed})
    reminders = action.scheduled_emails.filter(
        kind__in=[ScheduledEmail.Kind.REMINDER_DAY, ScheduledEmail.Kind.REMINDER_2H]
    )
    if "time" in what:
        skip_scheduled(reminders.exclude(dedupe_key__endswith=f":{int(action.starts_at.timestamp())}"))
    version = int(now.timestamp() * 1000)
    count = 0
    for rsvp in _people_to_tell(action):
        plan_now(
            kind=ScheduledEmail.Kind.CHANGED,
            action=action,
            rsvp=rsvp,
            dedupe_key=f"changed:{rsvp.pk}:{version}",
            now=now,
            data={"what": what},
        )
        if "time" in what:
            plan_reminders(rsvp=rsvp, action=action, now=now)
        count += 1
    return count


def rsvp_action_cancelled(*, action: Action, now: dt.datetime | None = None) -> int:
    """Called in the transaction that cancels (or withdraws) ``action``: every confirmed RSVP is told,
    and no reminder or digest goes any more."""
    now = now or timezone.now()
    skip_scheduled(action.scheduled_emails.all())
    count = 0
    for rsvp in _people_to_tell(action):
        plan_now(
            kind=ScheduledEmail.Kind.CANCELLED,
            action=action,
            rsvp=rsvp,
            dedupe_key=f"cancelled:{rsvp.pk}",
            now=now,
        )
        count += 1
    return count
