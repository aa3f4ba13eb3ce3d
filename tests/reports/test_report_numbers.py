"""Every number of the public report (the page's data-stat values and report.json) equals the count made
straight from the database here, with plain ORM queries and Python, independently of the selectors."""

import datetime as dt
import json
import re
from collections import Counter, defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.organizations.models import Endorsement
from groundswell.participation.models import RSVP
from groundswell.reports.models import Incident, Photo, ReportBack

from .report_support import build_campaign

pytestmark = pytest.mark.django_db

STAT = re.compile(r'<data value="(-?\d+)" data-stat="([a-z_]+)">')


def _took_place(campaign) -> list[Action]:
    now = timezone.now()
    said_no = set(
        ReportBack.objects.filter(action__campaign=campaign, status="approved", took_place=False).values_list(
            "action_id", flat=True
        )
    )
    return [
        action
        for action in Action.objects.filter(campaign=campaign)
        if action.status == "approved" and action.starts_at <= now and action.pk not in said_no
    ]


def _counted_incidents(campaign) -> list[Incident]:
    now = timezone.now()
    return [
        incident
        for incident in Incident.objects.filter(campaign=campaign)
        if incident.status == "approved"
        and incident.visibility in ("public", "counts")
        and (incident.publish_after is None or incident.publish_after <= now)
    ]


def expected(campaign) -> dict:
    took = _took_place(campaign)
    took_ids = {action.pk for action in took}
    report_backs = [
        rb for rb in ReportBack.objects.all() if rb.action_id in took_ids and rb.status == "approved"
    ]
    photos = [
        photo
        for photo in Photo.objects.select_related("report_back__action")
        if photo.status == "approved"
        and photo.report_back.status == "approved"
        and photo.report_back.action.status == "approved"
        and photo.report_back.action.campaign_id == campaign.pk
    ]
    rsvps = [
        rsvp
        for rsvp in RSVP.objects.select_related("action")
        if rsvp.status == "confirmed"
        and rsvp.action.status == "approved"
        and rsvp.action.campaign_id == campaign.pk
    ]
    endorsements = list(Endorsement.objects.filter(campaign=campaign, status="approved"))
    incidents = _counted_incidents(campaign)
    return {
        "actions_registered": Action.objects.filter(campaign=campaign, status="approved").count(),
        "actions_took_place": len(took),
        "countries": len({action.country.code for action in took}),
        "attendance": sum(rb.attendance or 0 for rb in report_backs),
        "rsvp_people": sum(rsvp.party_size for rsvp in rsvps),
        "report_backs": len(report_backs),
        "photos": len(photos),
        "endorsements": len(endorsements),
        "endorsements_organizations": sum(e.signer_kind == "organization" for e in endorsements),
        "endorsements_individuals": sum(e.signer_kind == "individual" for e in endorsements),
        "incidents": len(incidents),
        "people_affected": sum(incident.people_affected for incident in incidents),
    }


# The same numbers worked out by hand from report_support.build_campaign, so a mistake shared by the
# selectors and the counts above cannot pass unnoticed.
BY_HAND = {
    "actions_registered": 6,
    "actions_took_place": 4,
    "countries": 4,
    "attendance": 120,
    "rsvp_people": 6,
    "report_backs": 2,
    "photos": 4,
    "endorsements": 3,
    "endorsements_organizations": 2,
    "endorsements_individuals": 1,
    "incidents": 3,
    "people_affected": 5,
}


@pytest.fixture
def built():
    return build_campaign()


def test_every_number_on_the_page_equals_the_database(client, built):
    response = client.get(reverse("public:report", kwargs={"slug": built.campaign.slug}))

    assert response.status_code == 200
    shown = STAT.findall(response.content.decode())
    stats = {name: int(value) for value, name in shown}
    assert len(shown) == len(stats), "a data-stat appears twice"
    # Every number shown is checked, and every number checked is shown.
    assert stats == expected(built.campaign)
    assert stats == BY_HAND


def test_every_number_in_report_json_equals_the_database(client, built):
    campaign = built.campaign
    report = client.get(reverse("public:report_json", kwargs={"slug": campaign.slug})).json()
    took = _took_place(campaign)
    incidents = _counted_incidents(campaign)

    assert report["numbers"] == expected(campaign) == BY_HAND

    series = report["series"]
    per_day = Counter(action.local_date.isoformat() for action in took)
    assert {row["date"]: row["actions"] for row in series["actions_per_day"] if row["actions"]} == per_day
    assert sum(row["actions"] for row in series["actions_per_day"]) == len(took)
    assert {row["country"]: row["actions"] for row in series["actions_per_country"]} == Counter(
        action.country.code for action in took
    )
    assert {row["type"]: row["actions"] for row in series["actions_per_type"]} == Counter(
        action.action_type for action in took
    )
    approved = Endorsement.objects.filter(campaign=campaign, status="approved", approved_at__isnull=False)
    assert series["endorsements_over_time"][-1]["cumulative"] == approved.count()
    assert sum(row["new"] for row in series["endorsements_over_time"]) == approved.count()
    people = defaultdict(int)
    for incident in incidents:
        people[incident.country.code] += incident.people_affected
    assert {
        row["country"]: (row["incidents"], row["people_affected"]) for row in series["incidents_per_country"]
    } == {code: (n, people[code]) for code, n in Counter(i.country.code for i in incidents).items()}

    assert report["incidents"]["total"] == len(incidents)
    assert report["incidents"]["people_affected"] == sum(i.people_affected for i in incidents)
    assert {
        row["kind"]: (row["incidents"], row["people_affected"]) for row in report["incidents"]["by_kind"]
    } == {
        kind: (n, sum(i.people_affected for i in incidents if i.kind == kind))
        for kind, n in Counter(i.kind for i in incidents).items()
    }
    public = [i for i in incidents if i.visibility == "public"]
    assert sorted(i["id"] for i in report["incidents"]["public"]) == sorted(i.pk for i in public)

    # The timeline: each day's actions, attendance and public incidents.
    timeline = {day["date"]: day for day in report["timeline"]}
    for date, n in per_day.items():
        assert timeline[date]["actions"] == n
        assert {c["country"] for c in timeline[date]["countries"]} == {
            a.country.code for a in took if a.local_date.isoformat() == date
        }
        took_ids = {a.pk for a in took if a.local_date.isoformat() == date}
        assert timeline[date]["attendance"] == sum(
            rb.attendance or 0 for rb in ReportBack.objects.filter(action_id__in=took_ids, status="approved")
        )
    assert sum(len(day["incidents"]) for day in report["timeline"]) == len(public)
    assert report["photos"]["total"] == len(report["photos"]["items"]) == BY_HAND["photos"]


def test_the_page_and_the_json_agree_with_the_api(client, built):
    slug = built.campaign.slug
    from_json = client.get(reverse("public:report_json", kwargs={"slug": slug})).json()
    from_api = client.get(f"/api/v1/campaigns/{slug}/report").json()

    assert from_api["numbers"] == from_json["numbers"] == BY_HAND
    assert from_api["series"] == from_json["series"]
    assert from_api["timeline"] == from_json["timeline"]
    assert from_api["incidents"] == from_json["incidents"]
    assert from_api["photos"] == from_json["photos"]


def test_an_empty_campaign_reports_zeros(client):
    from tests.factories import CampaignFactory

    campaign = CampaignFactory()
    response = client.get(reverse("public:report", kwargs={"slug": campaign.slug}))

    assert response.status_code == 200
    assert {name: int(value) for value, name in STAT.findall(response.content.decode())} == dict.fromkeys(
        BY_HAND, 0
    )
    report = json.loads(client.get(reverse("public:report_json", kwargs={"slug": campaign.slug})).content)
    assert report["timeline"] == [] and report["photos"]["items"] == []


def test_numbers_follow_time_for_delayed_incidents(client, built):
    """A delayed incident counts once its moment has come (the report is read afresh, not from a cache)."""
    from groundswell.reports.selectors.report import campaign_report

    later = timezone.now() + dt.timedelta(days=31)
    report = campaign_report(campaign=built.campaign, now=later)

    assert report["numbers"]["incidents"] == BY_HAND["incidents"] + 1
    assert "Zq-delayed-release-9184" in json.dumps(report)
