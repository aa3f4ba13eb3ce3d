"""Plain words for moderators: an organizer's changes as before → after, audit entries as sentences."""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from groundswell.actions.models import Action

DATETIME_FIELDS = {"starts_at", "ends_at"}
CHOICE_FIELDS = {"action_type": Action.Type, "location_precision": Action.Precision}


@dataclasses.dataclass(frozen=True)
class ChangeRow:
    field: str
    label: str
    before: str
    after: str


def _label(field: str) -> str:
    try:
        return str(Action._meta.get_field(field).verbose_name).capitalize()
    except FieldDoesNotExist:
        return field


def _local(value, zone: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value)
        moment = moment.astimezone(ZoneInfo(zone))
    except (TypeError, ValueError, ZoneInfoNotFoundError):
        return str(value)
    return f"{formats.date_format(moment, 'Y-m-d H:i')} ({zone})"


def _shown(field: str, value, zone: str) -> str:
    if value in (None, ""):
        return _("(empty)")
    if field in DATETIME_FIELDS:
        return _local(value, zone)
    if field == "country":
        return countries.name(value) or str(value)
    if field in CHOICE_FIELDS:
        choices = CHOICE_FIELDS[field]
        return str(choices(value).label) if value in choices.values else str(value)
    return str(value)


def change_rows(action: Action) -> list[ChangeRow]:
    """The organizer's changes waiting for moderation, times in the zone they were given in."""
    changes = action.pending_changes or {}
    zone_before, zone_after = changes.get("timezone", [action.timezone, action.timezone])
    rows = []
    for field, pair in changes.items():
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            continue
        before, after = pair
        rows.append(
            ChangeRow(
                field, _label(field), _shown(field, before, zone_before), _shown(field, after, zone_after)
            )
        )
    return rows


# What each audited verb means, as "<actor> <words>".
VERB_WORDS = {
    "actions.action.submitted": gettext_lazy("submitted the action"),
    "actions.action.edited": gettext_lazy("edited the action"),
    "actions.action.cancelled": gettext_lazy("cancelled the action"),
    "actions.action.approved": gettext_lazy("approved the action"),
    "actions.action.rejected": gettext_lazy("rejected the action"),
    "participation.email.failed": gettext_lazy("could not be sent after 5 attempts"),
    "actions.email.failed": gettext_lazy("could not be sent after 5 attempts"),
}


@dataclasses.dataclass(frozen=True)
class AuditLine:
    created_at: dt.datetime
    actor: str
    words: str
    fields: list[str]
    reason: str


def audit_line(entry) -> AuditLine:
    if entry.actor_id:
        actor = entry.actor.get_username()
    elif entry.verb in {"actions.action.submitted", "actions.action.edited", "actions.action.cancelled"}:
        # The public submits and the organizer edits through the secret link: there is no account.
        actor = _("The organizer")
    elif entry.verb == "participation.email.failed":
        actor = _("An email about this action")
    elif entry.verb == "actions.email.failed":
        actor = _("An email to the organizer")
    else:
        actor = _("Someone")
    words = str(VERB_WORDS.get(entry.verb, entry.verb))
    data = entry.data or {}
    fields = data.get("fields") or data.get("changed_fields") or []
    reason = entry.message if entry.verb.endswith((".rejected", ".failed")) else ""
    return AuditLine(entry.created_at, actor, words, [_label(field) for field in fields], reason)
