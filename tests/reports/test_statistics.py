"""reports.selectors.statistics: every series equals the counts computed from the rows themselves."""

import datetime as dt
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from groundswell.actions.models import Action
from groundswell.organizations.models import Endorsement
from groundswell.reports.models import Incident, Review
from groundswell.reports.selectors import statistics as stats
from tests.factories import ActionFactory, CampaignFactory, EndorsementFactory, RSVPFactory
from tests.factories.reports import IncidentFactory, PhotoFactory, ReportBackFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 12)
# (city, country, time zone, local start): Tokyo at 01:00 and Los Angeles at 20:00 fall on another UTC day.
PLACES = [
    ("Osaka", "JP", "Asia/Tokyo", dt.datetime.combine(DAY, dt.time(1))),
    ("Los Angeles", "US", "America/Los_Angeles", dt.datetime.combine(DAY, dt.time(20))),
    ("Berlin", "DE", "Europe/Berlin", dt.datetime.combine(DAY + dt.timedelta(days=3), dt.time(14))),
    ("Nairobi", "KE", "Africa/Nairobi", dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(10))),
    ("Berlin", "DE", "Europe/Berlin", dt.datetime.combine(DAY, dt.time(23, 30))),
]
TYPES = [
    Action.Type.VIGIL,
    Action.Type.DEMONSTRATION,
    Action.Type.VIGIL,
    Action.Type.INFO_STAND,
    Action.Type.VIGIL,
]


def actions_around_the_world(campaign, status=Action.Status.APPROVED):
    return [
        ActionFactory(
            campaign=campaign,
            city=city,
            country=country,
            timezone=zone,
            local_start=start,
            action_type=kind,
            status=status,
        )
        for (city, country, zone, start), kind in zip(PLACES, TYPES, strict=True)
    ]


def test_actions_per_day_counts_local_dates_with_every_day_in_between():
    campaign = CampaignFactory()
    made = actions_around_the_world(campaign)
    ActionFactory(campaign=CampaignFactory(), local_start=dt.datetime.combine(DAY, dt.time(12)))  # elsewhere
    # The time zones matter: some local dates are not the UTC dates.
    assert any(a.local_date != a.starts_at.astimezone(dt.UTC).date() for a in made)

    result = stats.actions_per_day(Action.objects.filter(campaign=campaign))

    expected = Counter(a.local_date for a in made)
    first, last = min(expected), max(expected)
    assert [day for day, _count in result] == [
        first + dt.timedelta(days=n) for n in range((last - first).days + 1)
    ]
    assert dict(result) == {day: expected.get(day, 0) for day, _count in result}
    assert dict(result)[DAY] == 3 and dict(result)[DAY + dt.timedelta(days=2)] == 0
    assert stats.actions_per_day(Action.objects.none()) == []


def test_actions_per_country_most_first_with_localized_names_and_a_limit():
    campaign = CampaignFactory()
    made = actions_around_the_world(campaign)
    actions = Action.objects.filter(campaign=campaign)

    with translation.override("fr"):
        result = stats.actions_per_country(actions)
        top = stats.actions_per_country(actions, limit=2)

    expected = Counter(str(a.country.code) for a in made)
    assert {code: count for code, _name, count in result} == expected
    assert result[0] == ("DE", "Allemagne", 2)
    assert [count for _code, _name, count in result] == sorted(expected.values(), reverse=True)
    assert top == result[:2]


def test_actions_per_type_counts_each_type_with_its_label():
    campaign = CampaignFactory()
    made = actions_around_the_world(campaign)

    result = stats.actions_per_type(Action.objects.filter(campaign=campaign))

    assert {kind: count for kind, _label, count in result} == Counter(a.action_type for a in made)
    assert result[0] == ("vigil", "Vigil", 3)


def test_endorsements_over_time_counts_approved_ones_by_day_and_adds_them_up():
    campaign = CampaignFactory()
    at = dt.datetime(2026, 9, 1, 22, 0, tzinfo=dt.UTC)
    approved_at = [
        at,
        at + dt.timedelta(hours=3),
        at + dt.timedelta(days=3),
        at + dt.timedelta(days=3, hours=1),
    ]
    for moment in approved_at:
        EndorsementFactory(campaign=campaign, approved_at=moment)
    EndorsementFactory(campaign=campaign, status=Endorsement.Status.PENDING)
    EndorsementFactory(campaign=campaign, status=Endorsement.Status.WITHDRAWN, approved_at=at)
    EndorsementFactory(approved_at=at)  # another campaign

    result = stats.endorsements_over_time(campaign)

    per_day = Counter(moment.date() for moment in approved_at)  # the site's time zone is UTC
    assert [day for day, _new, _total in result] == [
        dt.date(2026, 9, 1) + dt.timedelta(days=n) for n in range(4)
    ]
    assert [new for _day, new, _total in result] == [per_day.get(day, 0) for day, _new, _total in result]
    assert [total for _day, _new, total in result] == [1, 2, 2, 4]


def test_incidents_per_country_counts_incidents_and_people():
    campaign = CampaignFactory()
    rows = [("KE", 12), ("DE", 4), ("KE", 3), ("BR", 2)]
    for country, people in rows:
        IncidentFactory(campaign=campaign, country=country, people_affected=people)
    IncidentFactory(country="DE")  # another campaign

    result = stats.incidents_per_country(Incident.objects.filter(campaign=campaign))

    assert result[0] == ("KE", "Kenya", 2, 15)
    assert {code: (count, people) for code, _name, count, people in result} == {
        code: (sum(1 for c, _p in rows if c == code), sum(p for c, p in rows if c == code))
        for code, _p in rows
    }


def test_rsvps_and_attendance_count_confirmed_parties_and_approved_reports_by_local_day():
    campaign = CampaignFactory()
    osaka, los_angeles, berlin, nairobi, _late = actions_around_the_world(campaign)
    confirmed = [RSVPFactory(action=osaka, party_size=3), RSVPFactory(action=los_angeles, party_size=2)]
    confirmed.append(RSVPFactory(action=berlin, party_size=4))
    RSVPFactory(action=berlin, party_size=5, status="unconfirmed")
    RSVPFactory(action=berlin, party_size=6, status="cancelled")
    pending_action = ActionFactory(campaign=campaign, status=Action.Status.PENDING, local_start=PLACES[0][3])
    RSVPFactory(action=pending_action, party_size=7)
    ReportBackFactory(action=osaka, attendance=40)
    ReportBackFactory(action=los_angeles, attendance=25)
    ReportBackFactory(action=nairobi, attendance=90, status=Review.PENDING, approved_at=None)

    result = stats.rsvps_and_attendance_per_day(campaign)

    rsvps = Counter()
    for rsvp in confirmed:
        rsvps[rsvp.action.local_date] += rsvp.party_size
    assert [day for day, _r, _a in result] == [DAY + dt.timedelta(days=n) for n in range(4)]
    assert [people for _day, people, _a in result] == [rsvps.get(day, 0) for day, _r, _a in result]
    # Osaka and Los Angeles share the local day; the pending report from Nairobi does not count.
    assert [attendance for _day, _r, attendance in result] == [65, None, None, None]


def test_moderation_backlog_counts_changes_of_pending_and_approved_actions_only():
    campaign = CampaignFactory()
    changes = {"title": ["Old", "New"]}
    waiting = [
        ActionFactory(campaign=campaign, status=Action.Status.PENDING, pending_changes=changes),
        ActionFactory(campaign=campaign, status=Action.Status.APPROVED, pending_changes=changes),
    ]
    ActionFactory(campaign=campaign, status=Action.Status.REJECTED, pending_changes=changes)
    ActionFactory(campaign=campaign, status=Action.Status.CANCELLED, pending_changes=changes)
    ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None)  # new, no changes
    ActionFactory(status=Action.Status.PENDING, pending_changes=changes)  # another campaign

    backlog = {key: (count, oldest) for key, _label, count, oldest in stats.moderation_backlog(campaign)}

    assert backlog["action_changes"] == (2, min(action.updated_at for action in waiting))
    assert backlog["actions"][0] == 1


def test_moderation_backlog_counts_each_queue_and_its_oldest():
    campaign = CampaignFactory()
    new = [ActionFactory(campaign=campaign, status=Action.Status.PENDING, approved_at=None) for _ in range(2)]
    changed = ActionFactory(
        campaign=campaign, status=Action.Status.PENDING, pending_changes={"title": ["Old", "New"]}
    )
    ActionFactory(campaign=campaign)  # approved, nothing waiting
    ActionFactory(status=Action.Status.PENDING)  # another campaign
    verified = dt.datetime(2026, 9, 3, 8, tzinfo=dt.UTC)
    EndorsementFactory(campaign=campaign, status=Endorsement.Status.PENDING, verified_at=verified)
    EndorsementFactory(campaign=campaign, status=Endorsement.Status.UNVERIFIED)
    report = ReportBackFactory(
        action=ActionFactory(campaign=campaign), status=Review.PENDING, approved_at=None
    )
    photos = [PhotoFactory(report_back=report, status=Review.PENDING) for _ in range(3)]
    PhotoFactory(report_back=report)  # approved
    incident = IncidentFactory(campaign=campaign, status=Review.PENDING, approved_at=None)

    backlog = {key: (count, oldest) for key, _label, count, oldest in stats.moderation_backlog(campaign)}

    assert list(backlog) == [
        "actions",
        "action_changes",
        "endorsements",
        "report_backs",
        "photos",
        "incidents",
    ]
    assert backlog["actions"] == (2, min(a.submitted_at for a in new))
    assert backlog["action_changes"] == (1, changed.updated_at)
    assert backlog["endorsements"] == (1, verified)
    assert backlog["report_backs"] == (1, report.updated_at)
    assert backlog["photos"] == (3, min(p.created_at for p in photos))
    assert backlog["incidents"] == (1, incident.created_at)


def test_moderation_backlog_of_a_quiet_campaign_is_all_zero():
    backlog = stats.moderation_backlog(CampaignFactory())

    assert [(count, oldest) for _key, _label, count, oldest in backlog] == [(0, None)] * 6


def test_align_days_puts_lists_on_one_axis():
    days, (first, second) = stats.align_days([(DAY, 2)], [(DAY + dt.timedelta(days=2), 5)])

    assert days == [DAY, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2)]
    assert first == [2, 0, 0] and second == [0, 0, 5]
    assert stats.align_days([], []) == ([], [[], []])


def _queries_of_every_selector(campaign) -> int:
    actions = Action.objects.filter(campaign=campaign)
    with CaptureQueriesContext(connection) as queries:
        stats.actions_per_day(actions)
        stats.actions_per_country(actions)
        stats.actions_per_type(actions)
        stats.endorsements_over_time(campaign)
        stats.incidents_per_country(Incident.objects.filter(campaign=campaign))
        stats.rsvps_and_attendance_per_day(campaign)
        stats.moderation_backlog(campaign)
        stats.campaign_headline(campaign, with_incidents=True)
    return len(queries)


def _campaign_with(n: int):
    campaign = CampaignFactory()
    for index in range(n):
        city, country, zone, start = PLACES[index]
        action = ActionFactory(
            campaign=campaign, city=city, country=country, timezone=zone, local_start=start
        )
        RSVPFactory(action=action)
        PhotoFactory(report_back=ReportBackFactory(action=action), status=Review.PENDING)
        EndorsementFactory(campaign=campaign, approved_at=dt.datetime(2026, 9, 1 + index, tzinfo=dt.UTC))
        IncidentFactory(campaign=campaign, action=action, country=country)
        ActionFactory(campaign=campaign, status=Action.Status.PENDING, country=country)
    return campaign


def test_statistics_run_the_same_number_of_queries_for_1_and_3_of_everything():
    assert _queries_of_every_selector(_campaign_with(1)) == _queries_of_every_selector(_campaign_with(3))
