"""What the public may learn of a campaign's outcome: the one place that says which actions took place and
which report-backs, photos and incidents are public. Every public page, download, feed and API answer about
the campaign report reads through these functions, so a rule changes here and nowhere else.

"Published" campaign means what every public page means by it (``campaigns.selectors.campaign_get_public``):
status published or archived. A draft campaign has no public report, photos or incidents.

Incidents follow their ``visibility`` and ``publish_after``:

- *coordinators only*: never public, not even in a count;
- *counts*: only inside totals (the total, per kind, per country, people affected), never their date, city,
  description or action. A country with a single count-only incident shows "1" for that country: the
  coalition chose to make it public as a count, and a count per country is what such a choice means;
- *public*: in the totals and in detail (date, city, country, kind, people affected, description);
- not approved, or ``publish_after`` still in the future: as if it did not exist.
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.campaigns.models import Campaign
from groundswell.organizations.models import Endorsement
from groundswell.participation.models import RSVP

from ..models import Incident, Photo, ReportBack, Review

PUBLIC_CAMPAIGN_STATUSES = (Campaign.Status.PUBLISHED, Campaign.Status.ARCHIVED)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def actions_registered(*, campaign) -> QuerySet[Action]:
    """The campaign's approved actions (past and future): the "actions registered" of the report."""
    return Action.objects.filter(campaign=campaign, status=Action.Status.APPROVED)


def actions_took_place(*, campaign, now: dt.datetime | None = None) -> QuerySet[Action]:
    """Actions that took place: approved (so not cancelled, pending or rejected), started at or before
    ``now``, and not reported by their organizer as not having taken place (an *approved* report-back with
    ``took_place=False``; a pending or rejected one says nothing yet)."""
    did_not_happen = ReportBack.objects.filter(
        action=OuterRef("pk"), status=Review.APPROVED, took_place=False
    )
    return (
        actions_registered(campaign=campaign).filter(starts_at__lte=_now(now)).exclude(Exists(did_not_happen))
    )


def report_backs_public(*, campaign, now: dt.datetime | None = None) -> QuerySet[ReportBack]:
    """Public report-backs: approved, of an action that took place (and is therefore approved)."""
    return ReportBack.objects.filter(
        status=Review.APPROVED,
        action__in=actions_took_place(campaign=campaign, now=now).values("pk"),
    )


def _campaign_is_public(campaign) -> bool:
    return campaign.status in PUBLIC_CAMPAIGN_STATUSES


def photos_public(*, campaign) -> QuerySet[Photo]:
    """Public photos: approved, of an approved report-back of an approved action of a published campaign.

    Unlike a report-back's text, a photo does not need the action to have "taken place": a photo of a
    banned gathering is part of the record too (the rule of the issue, kept as written)."""
    if not _campaign_is_public(campaign):
        return Photo.objects.none()
    return photos_public_anywhere().filter(report_back__action__campaign=campaign)


def photos_public_anywhere() -> QuerySet[Photo]:
    """The same rule for photos of every campaign: what the photo files' address may serve."""
    return Photo.objects.filter(
        status=Review.APPROVED,
        report_back__status=Review.APPROVED,
        report_back__action__status=Action.Status.APPROVED,
        report_back__action__campaign__status__in=PUBLIC_CAMPAIGN_STATUSES,
    )


def incidents_counted(*, campaign, now: dt.datetime | None = None) -> QuerySet[Incident]:
    """Incidents that count in public totals: approved, visibility public or counts, and released
    (``publish_after`` empty or past). Read only their kind, country and people affected: see
    ``incidents_shown`` for the ones whose details are public."""
    if not _campaign_is_public(campaign):
        return Incident.objects.none()
    return Incident.objects.filter(
        Q(publish_after__isnull=True) | Q(publish_after__lte=_now(now)),
        campaign=campaign,
        status=Review.APPROVED,
        visibility__in=[Incident.Visibility.PUBLIC, Incident.Visibility.COUNTS],
    )


def incidents_shown(*, campaign, now: dt.datetime | None = None) -> QuerySet[Incident]:
    """Incidents shown in detail: those counted whose visibility is public."""
    return incidents_counted(campaign=campaign, now=now).filter(visibility=Incident.Visibility.PUBLIC)


def endorsements_public(*, campaign) -> QuerySet[Endorsement]:
    """Approved endorsements (organizations and individuals; individuals are only ever counted here)."""
    return Endorsement.objects.filter(campaign=campaign, status=Endorsement.Status.APPROVED)


def rsvps_counted(*, campaign) -> QuerySet[RSVP]:
    """Confirmed RSVPs to the campaign's registered (approved) actions. Only the sum of their party sizes
    leaves this function's callers: never a name, an email or a row."""
    return RSVP.objects.filter(
        action__campaign=campaign, action__status=Action.Status.APPROVED, status=RSVP.Status.CONFIRMED
    )
