"""Every write to an action: submission, organizer edits, moderation."""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.accounts.permissions import require_moderator
from groundswell.core.page_cache import public_changed
from groundswell.core.privacy import hash_token, new_token, public_point
from groundswell.core.services import audit_record
from groundswell.participation.services import rsvp_action_cancelled, rsvp_action_changed

from .models import Action
from .tasks import send_action_decision_email, send_action_received_email

# How long an action may last, and how far past the campaign window it may end.
MAX_DURATION = dt.timedelta(days=14)


@dataclasses.dataclass(kw_only=True)
class ActionInput:
    """A parsed, geocoded action as the form (or an import) hands it to the services."""

    action_type: str
    title: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str
    city: str
    country: str
    latitude: float
    longitude: float
    location_precision: str
    venue: str = ""
    geonameid: int | None = None
    city_point: tuple[float, float] | None = None
    host_name: str = ""
    online_url: str = ""
    contact_email: str = ""
    language: str = "en"
    # Places for RSVPs (None: no limit). Not moderated: it only limits, it shows nothing new.
    capacity: int | None = None


# Changing any of these on an approved action sends it back to moderation.
MODERATED_FIELDS = (
    "action_type",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "timezone",
    "venue",
    "city",
    "country",
    "latitude",
    "longitude",
    "location_precision",
    "host_name",
    "online_url",
)


def action_validate(*, campaign, data: ActionInput) -> None:
    """The domain's rules for an action in a campaign; raises ValidationError keyed by field."""
    errors = {}
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        raise ValueError("starts_at and ends_at must be aware datetimes")
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = _("The action must end after it starts.")
    elif data.ends_at - data.starts_at > MAX_DURATION:
        errors["ends_at"] = _("An action may last at most %(days)d days.") % {"days": MAX_DURATION.days}
    local_start = data.starts_at.astimezone(ZoneInfo(data.timezone)).date()
    if not campaign.start_date <= local_start <= campaign.end_date:
        errors["starts_at"] = _(
            "The campaign runs from %(start)s to %(end)s: the action must start in that window."
        ) % {"start": campaign.start_date.isoformat(), "end": campaign.end_date.isoformat()}
    if data.action_type == Action.Type.ONLINE and not data.online_url:
        errors["online_url"] = _("An online action needs its link.")
    if not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180):
        errors["latitude"] = _("Latitude must be between -90 and 90 and longitude between -180 and 180.")
    if errors:
        raise ValidationError(errors)


def _apply(action: Action, data: ActionInput) -> None:
    for field in MODERATED_FIELDS:
        setattr(action, field, getattr(data, field))
    action.geonameid = data.geonameid
    action.local_date = data.starts_at.astimezone(ZoneInfo(data.timezone)).date()
    action.public_latitude, action.public_longitude = public_point(
        latitude=data.latitude,
        longitude=data.longitude,
        precision=data.location_precision,
        seed=action.edit_token_hash,
        city_point=data.city_point,
    )


@transaction.atomic
def action_submit(*, campaign, data: ActionInput) -> tuple[Action, str]:
    """Registers a local action from the public. It waits for moderation; the organizer is emailed a
    secret link. Returns the action and that link's token (shown once, stored only as a hash)."""
    action_validate(campaign=campaign, data=data)
    token = new_token()
    action = Action(
        campaign=campaign,
        contact_email=data.contact_email,
        language=data.language,
        capacity=data.capacity,
        status=Action.Status.PENDING,
        edit_token_hash=hash_token(token),
    )
    _apply(action, data)
    action.full_clean(exclude=["campaign", "host_organization"])
    action.save()
    audit_record(actor=None, verb="actions.action.submitted", target=action, campaign=campaign)
    transaction.on_commit(lambda: send_action_received_email.enqueue(action.pk, token))
    return action, token


def action_get_by_token(*, token: str) -> Action | None:
    if not token or len(token) > 100:
        return None
    return Action.objects.select_related("campaign").filter(edit_token_hash=hash_token(token)).first()


def _display(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _require_open_campaign(action: Action) -> None:
    if action.campaign.status != action.campaign.Status.PUBLISHED:
        raise ValidationError(_("This campaign is closed: its actions can no longer be changed."))


@transaction.atomic
def action_update_by_organizer(*, action: Action, data: ActionInput) -> list[str]:
    """The organizer edits through the secret link. Returns the names of the changed fields.

    A change to an action that was approved sends it back to moderation: the public sees nothing of it
    until a moderator approves, and ``pending_changes`` keeps ``[before, after]`` of every field changed
    since the approved version. A new contact email is private and needs no moderation.
    """
    action = Action.objects.select_for_update().select_related("campaign").get(pk=action.pk)
    if action.status in {Action.Status.CANCELLED, Action.Status.REJECTED}:
        raise ValidationError(_("This action can no longer be edited."))
    _require_open_campaign(action)
    action_validate(campaign=action.campaign, data=data)
    changes = {}
    for field in MODERATED_FIELDS:
        before, after = getattr(action, field), getattr(data, field)
        if field in {"latitude", "longitude"}:
            if round(before, 6) == round(after, 6):
                continue
        elif before == after:
            continue
        changes[field] = [_display(before), _display(after)]
    contact_changed = bool(data.contact_email) and data.contact_email != action.contact_email
    capacity_changed = data.capacity != action.capacity
    if not changes and not contact_changed and not capacity_changed:
        return []
    _apply(action, data)
    if contact_changed:
        action.contact_email = data.contact_email
    action.capacity = data.capacity
    action.full_clean(exclude=["campaign", "host_organization"])
    was_approved = action.status == Action.Status.APPROVED or bool(action.pending_changes)
    if changes and was_approved:
        action.status = Action.Status.PENDING
        # The current content is no longer the approved one (a cancelled action is public only if it is).
        action.approved_at = None
        # Keep the approved version's "before" across repeated edits until a moderator decides.
        merged = dict(action.pending_changes)
        for field, (before, after) in changes.items():
            merged[field] = [merged[field][0] if field in merged else before, after]
        action.pending_changes = merged
    action.save()
    extra = (["contact_email"] if contact_changed else []) + (["capacity"] if capacity_changed else [])
    changed = sorted([*changes, *extra])
    if was_approved:
        public_changed(campaign_slug=action.campaign.slug, action_ids=[action.pk])
    audit_record(
        actor=None,
        verb="actions.action.edited",
        target=action,
        campaign=action.campaign,
        data={"fields": changed},
    )
    return changed


@transaction.atomic
def action_cancel_by_organizer(*, action: Action) -> Action:
    """The organizer calls the action off. An approved action stays visible, marked cancelled."""
    action = Action.objects.select_for_update().select_related("campaign").get(pk=action.pk)
    if action.status == Action.Status.CANCELLED:
        return action
    if action.status == Action.Status.REJECTED:
        raise ValidationError(_("This action was not approved, so there is nothing to cancel."))
    _require_open_campaign(action)
    action.status = Action.Status.CANCELLED
    action.save(update_fields=["status", "updated_at"])
    audit_record(actor=None, verb="actions.action.cancelled", target=action, campaign=action.campaign)
    public_changed(campaign_slug=action.campaign.slug, action_ids=[action.pk])
    rsvp_action_cancelled(action=action)
    return action


def _decide(*, actor, action: Action, status: str, note: str, verb: str) -> Action:
    require_moderator(actor, action.campaign)
    action = Action.objects.select_for_update().select_related("campaign").get(pk=action.pk)
    if action.status != Action.Status.PENDING:
        raise ValidationError(_("This action is no longer waiting for moderation."))
    action.status = status
    action.moderation_note = note
    changes = action.pending_changes
    action.pending_changes = {}
    if status == Action.Status.APPROVED:
        action.approved_at = timezone.now()
    action.save(update_fields=["status", "moderation_note", "pending_changes", "approved_at", "updated_at"])
    public_changed(campaign_slug=action.campaign.slug, action_ids=[action.pk])
    audit_record(
        actor=actor,
        verb=verb,
        target=action,
        campaign=action.campaign,
        message=note,
        # Field names only: the values (an exact point, a venue) are not kept beyond the decision.
        data={"changed_fields": sorted(changes)} if changes else {},
    )
    transaction.on_commit(lambda: send_action_decision_email.enqueue(action.pk))
    # The people who RSVPed to the approved version hear of a new time or place once it is public, or
    # that the action is off when a moderator rejects its changed version.
    if status == Action.Status.APPROVED:
        rsvp_action_changed(action=action, changed_fields=changes)
    else:
        rsvp_action_cancelled(action=action)
    return action


@transaction.atomic
def action_approve(*, actor, action: Action) -> Action:
    """Publishes a pending action and tells the organizer. Its campaign's moderators and coordinators only."""
    return _decide(
        actor=actor, action=action, status=Action.Status.APPROVED, note="", verb="actions.action.approved"
    )


@transaction.atomic
def action_reject(*, actor, action: Action, reason: str) -> Action:
    """Rejects a pending action; the reason is emailed to the organizer."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, so the organizer can fix it.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Keep the reason under 2,000 characters.")})
    return _decide(
        actor=actor, action=action, status=Action.Status.REJECTED, note=reason, verb="actions.action.rejected"
    )


@transaction.atomic
def action_bulk_approve(*, actor, campaign, action_ids: list[int]) -> int:
    """Approves every pending action of ``campaign`` among ``action_ids``; returns how many."""
    require_moderator(actor, campaign)
    approved = 0
    for action in Action.objects.filter(campaign=campaign, pk__in=action_ids, status=Action.Status.PENDING):
        _decide(
            actor=actor, action=action, status=Action.Status.APPROVED, note="", verb="actions.action.approved"
        )
        approved += 1
    return approved
