"""A campaign with something of everything the report must count or leave out, for the report's tests.

Distinctive strings mark what must never be public; ``build_campaign`` returns the objects a test needs.
"""

import dataclasses
import datetime as dt

from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.organizations.models import Endorsement
from groundswell.participation.models import RSVP
from groundswell.reports.models import Incident, Review
from tests.factories import ActionFactory, CampaignFactory, EndorsementFactory, RSVPFactory
from tests.factories.reports import IncidentFactory, PhotoFactory, ReportBackFactory

# Incidents that no public page, feed, API answer or export may show, by what they are.
HIDDEN = {
    "coordinators only": ("Zq-coordinators-only-7731", "Zqcoordtown"),
    "pending": ("Zq-pending-review-5520", "Zqpendingville"),
    "delayed": ("Zq-delayed-release-9184", "Zqdelayburg"),
    "rejected": ("Zq-rejected-3307", "Zqrejectstad"),
    "count only": ("Zq-count-only-6642", "Zqcountham"),
}
PUBLIC_INCIDENT = ("Police stopped the march at the river bridge for an hour.", "Lyon")
# What no public report may show of a report-back or photo that is not public.
HIDDEN_TEXT = {
    "pending report-back": "Zq-pending-report-text-4411",
    "rejected report-back": "Zq-rejected-report-text-4412",
    "pending photo caption": "Zq-pending-caption-4413",
    "rejected photo caption": "Zq-rejected-caption-4414",
}


def local(days: int, hour: int = 14) -> dt.datetime:
    """A naive local time ``days`` from today (negative: in the past)."""
    return dt.datetime.combine(timezone.now().date() + dt.timedelta(days=days), dt.time(hour))


@dataclasses.dataclass
class Built:
    campaign: object
    took_place: list
    not_took_place: list
    hidden_incidents: dict


def build_campaign(*, slug: str = "report-water") -> Built:
    today = timezone.now().date()
    campaign = CampaignFactory(
        slug=slug, start_date=today - dt.timedelta(days=10), end_date=today + dt.timedelta(days=10)
    )
    berlin = ActionFactory(campaign=campaign, local_start=local(-3), title="Stand at the market square")
    lyon = ActionFactory(
        campaign=campaign,
        local_start=local(-2, 11),
        timezone="Europe/Paris",
        city="Lyon",
        country="FR",
        latitude=45.764043,
        longitude=4.835659,
        location_precision=Action.Precision.ABOUT_1KM,
        venue="Zq-private-venue-8890",
        action_type=Action.Type.DEMONSTRATION,
        title="March along the river",
    )
    nairobi = ActionFactory(
        campaign=campaign,
        local_start=local(-2, 9),
        timezone="Africa/Nairobi",
        city="Nairobi",
        country="KE",
        latitude=-1.292066,
        longitude=36.821945,
        location_precision=Action.Precision.CITY,
        action_type=Action.Type.VIGIL,
        title="Vigil for clean wells",
    )
    osaka = ActionFactory(
        campaign=campaign,
        local_start=local(-1, 18),
        timezone="Asia/Tokyo",
        city="Osaka",
        country="JP",
        latitude=34.693738,
        longitude=135.502165,
        action_type=Action.Type.PUBLIC_MEETING,
        title="Evening meeting on water prices",
    )
    banned = ActionFactory(
        campaign=campaign,
        local_start=local(-3, 10),
        timezone="America/Sao_Paulo",
        city="Recife",
        country="BR",
        latitude=-8.047562,
        longitude=-34.8770,
        action_type=Action.Type.RALLY,
        title="Rally that was banned",
    )
    cancelled = ActionFactory(campaign=campaign, local_start=local(-3), status=Action.Status.CANCELLED)
    pending = ActionFactory(
        campaign=campaign, local_start=local(-3), status=Action.Status.PENDING, approved_at=None
    )
    rejected = ActionFactory(
        campaign=campaign, local_start=local(-2), status=Action.Status.REJECTED, approved_at=None
    )
    future = ActionFactory(campaign=campaign, local_start=local(5), city="Hamburg", title="Future stand")

    # Report-backs: approved, pending, rejected, and one saying the action did not take place.
    berlin_report = ReportBackFactory(action=berlin, attendance=120)
    ReportBackFactory(
        action=lyon,
        attendance=900,
        status=Review.PENDING,
        approved_at=None,
        text=HIDDEN_TEXT["pending report-back"],
    )
    nairobi_report = ReportBackFactory(
        action=nairobi, attendance=None, text="Candles at every well of the district."
    )
    ReportBackFactory(
        action=osaka,
        attendance=45,
        status=Review.REJECTED,
        approved_at=None,
        text=HIDDEN_TEXT["rejected report-back"],
    )
    banned_report = ReportBackFactory(
        action=banned, took_place=False, attendance=None, text="The rally was banned the night before."
    )
    # Photos of each status; one of an action that did not take place (public all the same).
    PhotoFactory(report_back=berlin_report, caption="Water-testing kits on the table")
    PhotoFactory(report_back=berlin_report, caption="Crowd at noon")
    PhotoFactory(
        report_back=berlin_report,
        caption=HIDDEN_TEXT["pending photo caption"],
        status=Review.PENDING,
        approved_at=None,
    )
    PhotoFactory(
        report_back=berlin_report,
        caption=HIDDEN_TEXT["rejected photo caption"],
        status=Review.REJECTED,
        approved_at=None,
    )
    PhotoFactory(report_back=nairobi_report, caption="")
    PhotoFactory(report_back=banned_report, caption="Police line at the square")
    PhotoFactory(report_back=ReportBackFactory(action=pending, attendance=7), caption="Of a pending action")

    # RSVPs: confirmed ones count (on approved actions only), others not.
    RSVPFactory(action=berlin, party_size=2)
    RSVPFactory(action=berlin, party_size=1)
    RSVPFactory(action=berlin, party_size=4, status=RSVP.Status.UNCONFIRMED, confirmed_at=None)
    RSVPFactory(action=future, party_size=3)
    RSVPFactory(action=future, party_size=5, status=RSVP.Status.CANCELLED)
    RSVPFactory(action=pending, party_size=6)
    RSVPFactory(action=cancelled, party_size=2)

    # Endorsements of each status and kind.
    EndorsementFactory(campaign=campaign, approved_at=timezone.now() - dt.timedelta(days=6))
    EndorsementFactory(campaign=campaign, approved_at=timezone.now() - dt.timedelta(days=2))
    EndorsementFactory(
        campaign=campaign, signer_kind=Endorsement.SignerKind.INDIVIDUAL, approved_at=timezone.now()
    )
    for status in ("unverified", "pending", "rejected", "withdrawn"):
        EndorsementFactory(campaign=campaign, status=status)

    # Incidents of each visibility and status.
    three_days_ago = today - dt.timedelta(days=3)
    IncidentFactory(
        campaign=campaign,
        action=lyon,
        city=PUBLIC_INCIDENT[1],
        country="FR",
        description=PUBLIC_INCIDENT[0],
        date=today - dt.timedelta(days=2),
        people_affected=3,
    )
    IncidentFactory(
        campaign=campaign,
        action=banned,
        kind=Incident.Kind.BAN,
        city="Recife",
        country="BR",
        description="The city banned the rally.",
        date=three_days_ago,
        people_affected=0,
        publish_after=timezone.now() - dt.timedelta(hours=1),
    )
    hidden = {}
    hidden["count only"] = IncidentFactory(
        campaign=campaign,
        visibility=Incident.Visibility.COUNTS,
        kind=Incident.Kind.DETENTION,
        description=HIDDEN["count only"][0],
        city=HIDDEN["count only"][1],
        country="FR",
        people_affected=2,
    )
    hidden["coordinators only"] = IncidentFactory(
        campaign=campaign,
        visibility=Incident.Visibility.COORDINATORS,
        kind=Incident.Kind.DETENTION,
        description=HIDDEN["coordinators only"][0],
        city=HIDDEN["coordinators only"][1],
        country="KE",
        people_affected=11,
        action=nairobi,
    )
    hidden["pending"] = IncidentFactory(
        campaign=campaign,
        status=Review.PENDING,
        approved_at=None,
        kind=Incident.Kind.ATTACK,
        description=HIDDEN["pending"][0],
        city=HIDDEN["pending"][1],
        country="JP",
        people_affected=13,
    )
    hidden["delayed"] = IncidentFactory(
        campaign=campaign,
        publish_after=timezone.now() + dt.timedelta(days=30),
        kind=Incident.Kind.DETENTION,
        description=HIDDEN["delayed"][0],
        city=HIDDEN["delayed"][1],
        country="DE",
        people_affected=17,
        action=berlin,
    )
    hidden["rejected"] = IncidentFactory(
        campaign=campaign,
        status=Review.REJECTED,
        approved_at=None,
        description=HIDDEN["rejected"][0],
        city=HIDDEN["rejected"][1],
        country="DE",
        people_affected=19,
    )
    return Built(
        campaign=campaign,
        took_place=[berlin, lyon, nairobi, osaka],
        not_took_place=[banned, cancelled, pending, rejected, future],
        hidden_incidents=hidden,
    )
