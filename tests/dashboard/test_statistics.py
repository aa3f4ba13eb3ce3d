"""The statistics page of the dashboard: who may see it, what it shows, and its constant query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groundswell.actions.models import Action
from groundswell.reports.models import Review
from tests.factories import ActionFactory, CampaignFactory, EndorsementFactory, RSVPFactory, actor
from tests.factories.reports import IncidentFactory, ReportBackFactory

pytestmark = pytest.mark.django_db


def statistics_url(campaign) -> str:
    return reverse("dashboard:statistics", kwargs={"slug": campaign.slug})


def table_of(html: str, key: str) -> str:
    figure = html[html.index(f'id="chart-{key}"') :]
    return figure[figure.index("<table") : figure.index("</table>")]


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("superuser", 200),
        ("coordinator", 200),
        ("moderator", 200),
        ("translator", 403),
        ("plain staff", 404),
        ("coordinator elsewhere", 404),
    ],
)
def test_statistics_page_permissions(client, kind, status):
    campaign = CampaignFactory()
    client.force_login(actor(kind, campaign))

    assert client.get(statistics_url(campaign)).status_code == status


def test_statistics_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(statistics_url(CampaignFactory()))

    assert response.status_code == 302 and "/dashboard/login/" in response["Location"]


def test_statistics_page_shows_the_numbers_of_the_campaign(client):
    campaign = CampaignFactory()
    day = dt.date(2026, 10, 12)
    # Osaka at 01:00 is still the day before in UTC; it counts on its local day.
    osaka = ActionFactory(
        campaign=campaign,
        city="Osaka",
        country="JP",
        timezone="Asia/Tokyo",
        local_start=dt.datetime.combine(day, dt.time(1)),
    )
    berlin = ActionFactory(campaign=campaign, local_start=dt.datetime.combine(day, dt.time(15)))
    ActionFactory(
        campaign=campaign,
        status=Action.Status.PENDING,
        approved_at=None,
        country="KE",
        city="Nairobi",
        timezone="Africa/Nairobi",
        action_type=Action.Type.VIGIL,
        local_start=dt.datetime.combine(day + dt.timedelta(days=2), dt.time(10)),
    )
    RSVPFactory(action=osaka, party_size=3)
    RSVPFactory(action=berlin, party_size=2)
    ReportBackFactory(action=berlin, attendance=140)
    EndorsementFactory(campaign=campaign, approved_at=dt.datetime(2026, 9, 2, 9, tzinfo=dt.UTC))
    IncidentFactory(campaign=campaign, country="KE", people_affected=9, visibility="coordinators")
    IncidentFactory(
        campaign=campaign, country="KE", people_affected=1, status=Review.PENDING, approved_at=None
    )
    IncidentFactory(campaign=campaign, country="DE", people_affected=50, status=Review.REJECTED)
    client.force_login(actor("coordinator", campaign))

    html = client.get(statistics_url(campaign)).content.decode()

    per_day = table_of(html, "actions-per-day")
    assert '<time datetime="2026-10-12">' in per_day and '<time datetime="2026-10-14">' in per_day
    # 12 October: two approved, none pending; 13 October: nothing; 14 October: one pending.
    rows = per_day.split("<tr>")[2:]
    assert [row.count("<td>") for row in rows] == [2, 2, 2]
    assert "<td>2</td><td>0</td>" in rows[0] and "<td>0</td><td>0</td>" in rows[1]
    assert "<td>0</td><td>1</td>" in rows[2]
    country = table_of(html, "actions-per-country")
    assert '<th scope="row">Germany</th>' in country and '<th scope="row">Japan</th>' in country
    assert "Kenya" not in country  # the pending action is not among the approved ones
    assert "<td>5</td><td>140</td>" in table_of(html, "rsvps-attendance")
    # Coordinators see every incident the moderators did not reject, coordinators-only ones too.
    incidents = table_of(html, "incidents-per-country")
    assert '<th scope="row">Kenya</th>' in incidents and "<td>2</td><td>10</td>" in incidents
    assert "Germany" not in incidents
    backlog = table_of(html, "moderation-backlog")
    assert "New actions" in backlog and "<td>1</td>" in backlog
    assert f'href="{reverse("dashboard:queue", kwargs={"slug": campaign.slug})}"' in html
    assert f'href="{reverse("dashboard:endorsements", kwargs={"slug": campaign.slug})}"' in html
    assert f'href="{statistics_url(campaign)}" aria-current="page"' in html
    assert "uPlot.iife.min.js" in html and "js/charts.js" in html and "style=" not in html


def test_moderators_see_nothing_of_incidents_not_even_a_backlog_count(client):
    campaign = CampaignFactory()
    IncidentFactory(campaign=campaign, country="KE", city="Nairobi", visibility="coordinators")
    IncidentFactory(campaign=campaign, country="KE", status=Review.PENDING, approved_at=None)
    client.force_login(actor("moderator", campaign))

    html = client.get(statistics_url(campaign)).content.decode()

    assert 'id="chart-incidents-per-country"' not in html and "Kenya" not in html
    assert "people affected" not in html
    # Incidents are for coordinators: not even how many wait.
    assert "Incidents" not in table_of(html, "moderation-backlog")
    assert "Photos" in table_of(html, "moderation-backlog")
    client.force_login(actor("coordinator", campaign))
    html = client.get(statistics_url(campaign)).content.decode()
    assert "Incidents" in table_of(html, "moderation-backlog")


def _campaign_with(n: int):
    campaign = CampaignFactory()
    for index in range(n):
        action = ActionFactory(
            campaign=campaign,
            country=["DE", "KE", "JP"][index],
            local_start=dt.datetime(2026, 10, 12 + index, 14),
            action_type=[Action.Type.VIGIL, Action.Type.RALLY, Action.Type.ONLINE][index],
        )
        RSVPFactory(action=action)
        ReportBackFactory(action=action, attendance=10 * (index + 1))
        ActionFactory(
            campaign=campaign, status=Action.Status.PENDING, local_start=dt.datetime(2026, 10, 20, 9)
        )
        EndorsementFactory(campaign=campaign, approved_at=dt.datetime(2026, 9, 1 + index, tzinfo=dt.UTC))
        IncidentFactory(campaign=campaign, action=action, country=action.country)
        IncidentFactory(campaign=campaign, status=Review.PENDING, approved_at=None)
    return campaign


def _queries_of_page(client, campaign) -> int:
    client.force_login(actor("coordinator", campaign))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(statistics_url(campaign))
    assert response.status_code == 200
    return len(queries)


def test_statistics_page_query_count_is_constant_at_1_and_3_actions_and_incidents(client):
    assert _queries_of_page(client, _campaign_with(1)) == _queries_of_page(client, _campaign_with(3))
