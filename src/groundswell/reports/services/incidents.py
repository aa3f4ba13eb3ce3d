"""Every write to an incident: an organizer's report, a coordinator's record and edits, the decision on a
reported one, and the follow-up (notes and state).

Incidents are sensitive: only coordinators handle them in the dashboard (moderators and translators do
not), and every change they make is audited. The audit keeps field names and states, never descriptions.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from groundswell.accounts.permissions import require_coordinator
from groundswell.core.text import printable_line

from ..models import Incident, IncidentNote, Review
from .common import record, set_review

MAX_CITY = 120
MAX_DESCRIPTION = 5000
MAX_PEOPLE = 10_000_000
MAX_REASON = 2000
MAX_NOTE = 5000
# An incident may come before the window (a ban announced ahead) or after it (a trial, a late arrest).
DATE_MARGIN = dt.timedelta(days=60)
# "Today" anywhere on Earth: the latest zone (UTC+14) is already on tomorrow's date for part of our day.
LATEST_ZONE_OFFSET = dt.timedelta(hours=14)

# What a coordinator may change with incident_update().
EDITABLE_FIELDS = (
    "kind",
    "date",
    "city",
    "country",
    "description",
    "people_affected",
    "visibility",
    "publish_after",
)


def incident_default_visibility(*, campaign) -> str:
    """Only counts are public by default; nothing is in a campaign whose participants face repression."""
    return Incident.Visibility.COORDINATORS if campaign.high_risk else Incident.Visibility.COUNTS


def _clean_text(value) -> str:
    # Like printable_line, but the lines of a description or a note are kept.
    lines = str(value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(printable_line(line) for line in lines).strip()


def _validated(*, campaign, values: dict, check_publish_after: bool = True) -> dict:
    """The domain's rules for an incident's fields; returns them cleaned or raises ValidationError by field.

    ``check_publish_after`` is False when an edit keeps the current "not public before", which may be past.
    """
    errors = {}
    cleaned = {}
    if "kind" in values:
        if values["kind"] not in Incident.Kind.values:
            errors["kind"] = _("Choose the kind of incident.")
        cleaned["kind"] = values["kind"]
    if "date" in values:
        date = values["date"]
        earliest, latest = campaign.start_date - DATE_MARGIN, campaign.end_date + DATE_MARGIN
        if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
            errors["date"] = _("Enter the date of the incident.")
        elif date > (timezone.now() + LATEST_ZONE_OFFSET).date():
            errors["date"] = _("The date cannot be in the future.")
        elif not earliest <= date <= latest:
            errors["date"] = _(
                "The date must lie between %(earliest)s and %(latest)s (60 days around the campaign)."
            ) % {"earliest": earliest.isoformat(), "latest": latest.isoformat()}
        cleaned["date"] = date
    if "city" in values:
        city = printable_line(values["city"])
        if not city:
            errors["city"] = _("Enter the city or town where it happened.")
        elif len(city) > MAX_CITY:
            errors["city"] = _("Keep the city under %(limit)d characters.") % {"limit": MAX_CITY}
        cleaned["city"] = city
    if "country" in values:
        country = str(values["country"] or "").upper()
        if country not in countries:
            errors["country"] = _("Choose a country.")
        cleaned["country"] = country
    if "description" in values:
        description = _clean_text(values["description"])
        if not description:
            errors["description"] = _("Describe what happened.")
        elif len(description) > MAX_DESCRIPTION:
            errors["description"] = _("Keep the description under %(limit)s characters.") % {
                "limit": f"{MAX_DESCRIPTION:,}"
            }
        cleaned["description"] = description
    if "people_affected" in values:
        people = values["people_affected"]
        if isinstance(people, bool) or not isinstance(people, int) or not 0 <= people <= MAX_PEOPLE:
            errors["people_affected"] = _("Enter a number of people from 0 to %(limit)s.") % {
                "limit": f"{MAX_PEOPLE:,}"
            }
        cleaned["people_affected"] = people
    if "visibility" in values:
        if values["visibility"] not in Incident.Visibility.values:
            errors["visibility"] = _("Choose who may see the incident.")
        cleaned["visibility"] = values["visibility"]
    if "publish_after" in values:
        moment = values["publish_after"]
        if moment is not None:
            if not isinstance(moment, dt.datetime) or timezone.is_naive(moment):
                raise ValueError("publish_after must be an aware datetime or None")
            if check_publish_after and moment <= timezone.now():
                errors["publish_after"] = _(
                    "“Not public before” must be in the future, or left empty. A date means 00:00 UTC "
                    "on that day."
                )
        cleaned["publish_after"] = moment
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def incident_report_by_organizer(
    *,
    action,
    kind: str,
    date: dt.date,
    city: str,
    country: str,
    description: str,
    people_affected: int,
    visibility: str = "",
    publish_after: dt.datetime | None = None,
) -> Incident:
    """An organizer reports an incident of their action through the secret link.

    The action must be public (approved, or cancelled after approval) in a published campaign. The
    incident waits for a coordinator; an empty ``country`` is the action's, an empty ``visibility`` the
    campaign's default (see incident_default_visibility).
    """
    campaign = action.campaign
    if not action.is_public or campaign.status != campaign.Status.PUBLISHED:
        raise ValidationError(
            _("Incidents can be reported only for an approved action of a campaign that is still open.")
        )
    fields = _validated(
        campaign=campaign,
        values={
            "kind": kind,
            "date": date,
            "city": city,
            "country": country or action.country.code,
            "description": description,
            "people_affected": people_affected,
            "visibility": visibility or incident_default_visibility(campaign=campaign),
            "publish_after": publish_after,
        },
    )
    incident = Incident.objects.create(
        campaign=campaign, action=action, status=Review.PENDING, reported_by_organizer=True, **fields
    )
    record(actor=None, verb="reports.incident.reported", target=incident, campaign=campaign)
    return incident


@transaction.atomic
def incident_create_by_coordinator(
    *,
    actor,
    campaign,
    action=None,
    kind: str,
    date: dt.date,
    city: str,
    country: str = "",
    description: str,
    people_affected: int,
    visibility: str = "",
    publish_after: dt.datetime | None = None,
) -> Incident:
    """A coordinator records an incident, of an action of the campaign or of none; it counts at once.

    An empty ``country`` is the action's; an empty ``visibility`` the campaign's default.
    """
    require_coordinator(actor, campaign)
    if action is not None and action.campaign_id != campaign.pk:
        raise ValidationError({"action": _("This action belongs to another campaign.")})
    if not country and action is not None:
        country = action.country.code
    fields = _validated(
        campaign=campaign,
        values={
            "kind": kind,
            "date": date,
            "city": city,
            "country": country,
            "description": description,
            "people_affected": people_affected,
            "visibility": visibility or incident_default_visibility(campaign=campaign),
            "publish_after": publish_after,
        },
    )
    incident = Incident.objects.create(
        campaign=campaign,
        action=action,
        status=Review.APPROVED,
        approved_at=timezone.now(),
        created_by=actor,
        **fields,
    )
    record(actor=actor, verb="reports.incident.created", target=incident, campaign=campaign)
    return incident


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().select_related("campaign").get(pk=incident.pk)


@transaction.atomic
def incident_update(*, actor, incident: Incident, **fields) -> list[str]:
    """A coordinator edits an incident (any of EDITABLE_FIELDS). Returns the names of the changed fields.

    A "not public before" that is kept as it was may lie in the past; a new one must be in the future.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"incident_update() cannot change {', '.join(sorted(unknown))}")
    require_coordinator(actor, incident.campaign)
    incident = _locked(incident)
    cleaned = _validated(
        campaign=incident.campaign,
        values=fields,
        check_publish_after=fields.get("publish_after") != incident.publish_after,
    )
    changed = [field for field, value in cleaned.items() if getattr(incident, field) != value]
    if "country" in changed and incident.country.code == cleaned["country"]:
        changed.remove("country")
    if not changed:
        return []
    for field in changed:
        setattr(incident, field, cleaned[field])
    incident.save(update_fields=[*changed, "updated_at"])
    record(
        actor=actor,
        verb="reports.incident.edited",
        target=incident,
        campaign=incident.campaign,
        data={"fields": sorted(changed)},
    )
    return sorted(changed)


def _decide(*, actor, incident: Incident, status: str, note: str, verb: str) -> Incident:
    require_coordinator(actor, incident.campaign)
    incident = _locked(incident)
    if incident.status != Review.PENDING:
        raise ValidationError(_("This incident is no longer waiting for a decision."))
    set_review(incident, status=status, note=note, also=["updated_at"])
    record(actor=actor, verb=verb, target=incident, campaign=incident.campaign, message=note)
    return incident


@transaction.atomic
def incident_approve(*, actor, incident: Incident) -> Incident:
    """Records an organizer's report: it counts, and is public as far as its visibility allows."""
    return _decide(
        actor=actor, incident=incident, status=Review.APPROVED, note="", verb="reports.incident.approved"
    )


@transaction.atomic
def incident_reject(*, actor, incident: Incident, reason: str) -> Incident:
    """Does not record an organizer's report; the reason is shown on the organizer's private page."""
    reason = _clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the incident is not recorded.")})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": _("Keep the reason under %(limit)s characters.") % {"limit": f"{MAX_REASON:,}"}}
        )
    return _decide(
        actor=actor, incident=incident, status=Review.REJECTED, note=reason, verb="reports.incident.rejected"
    )


@transaction.atomic
def incident_add_note(*, actor, incident: Incident, text: str = "", follow_up: str = "") -> IncidentNote:
    """A coordinator's note on the follow-up, and/or a new follow-up state (Incident.FollowUp).

    The note keeps the state it set (empty when the state did not change), so the timeline shows both.
    """
    require_coordinator(actor, incident.campaign)
    text = _clean_text(text)
    errors = {}
    if follow_up and follow_up not in Incident.FollowUp.values:
        errors["follow_up"] = _("Choose a follow-up state.")
    if len(text) > MAX_NOTE:
        errors["text"] = _("Keep the note under %(limit)s characters.") % {"limit": f"{MAX_NOTE:,}"}
    if errors:
        raise ValidationError(errors)
    incident = _locked(incident)
    new_state = follow_up if follow_up and follow_up != incident.follow_up else ""
    if not text and not new_state:
        raise ValidationError(
            {"text": _("Write a note or choose a new follow-up state: there was nothing to save.")}
        )
    note = IncidentNote.objects.create(incident=incident, text=text, follow_up=new_state, author=actor)
    data = {"note": note.pk}
    if new_state:
        data["follow_up"] = [incident.follow_up, new_state]
        incident.follow_up = new_state
        incident.save(update_fields=["follow_up", "updated_at"])
    record(
        actor=actor,
        verb="reports.incident.followed_up",
        target=incident,
        campaign=incident.campaign,
        data=data,
    )
    return note
