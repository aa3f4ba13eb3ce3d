"""What the map shows: the data's columns (public actions only, public points only, rounded), its filters,
the popups and the page. How the data is delivered (ETags, the cache, gzip, limits) is in test_map.py."""

import datetime as dt
import json
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groundswell.actions.map_data import TYPES
from groundswell.actions.models import Action
from groundswell.campaigns.models import Campaign
from groundswell.core.privacy import distance_m
from tests.factories import ActionFactory, CampaignFactory, OrganizationFactory
from tests.public.map_support import data_url, decoded, get_data, popup_url

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "very.private.organizer@hidden.example.net"


def test_map_data_lists_public_actions_as_columns(client):
    campaign = CampaignFactory()
    vigil = ActionFactory(
        campaign=campaign, action_type=Action.Type.VIGIL, latitude=48.856613, longitude=2.352222, country="FR"
    )
    stand = ActionFactory(campaign=campaign)
    cancelled = ActionFactory(campaign=campaign, status=Action.Status.CANCELLED)

    response, data = get_data(client, campaign)

    assert response["Content-Type"] == "application/json"
    assert set(data) == {"v", "n", "label", "types", "days", "id", "lat", "lon", "type", "day", "cancelled"}
    assert data["n"] == 3 and data["label"] == "3 actions shown"
    assert data["types"] == TYPES
    rows = {row["id"]: row for row in decoded(data)}
    assert set(rows) == {vigil.pk, stand.pk, cancelled.pk}
    assert rows[vigil.pk] == {
        "id": vigil.pk,
        "lat": 48.85661,  # exact precision: 5 decimals
        "lon": 2.35222,
        "type": "vigil",
        "day": vigil.local_date.isoformat(),
        "cancelled": False,
    }
    assert rows[cancelled.pk]["cancelled"] and not rows[stand.pk]["cancelled"]
    # Compact: no titles, no per-action keys.
    assert vigil.title not in response.content.decode()


def test_map_data_leaves_out_actions_the_public_may_not_see(client):
    campaign = CampaignFactory()
    shown = ActionFactory(campaign=campaign)
    ActionFactory(campaign=campaign, status=Action.Status.PENDING)
    ActionFactory(campaign=campaign, status=Action.Status.REJECTED)
    ActionFactory(campaign=campaign, status=Action.Status.CANCELLED, approved_at=None)  # never approved
    ActionFactory(campaign=CampaignFactory())  # another campaign

    _, data = get_data(client, campaign)

    assert [row["id"] for row in decoded(data)] == [shown.pk]


@pytest.mark.parametrize("precision", [Action.Precision.ABOUT_1KM, Action.Precision.CITY])
def test_map_data_never_contains_the_exact_point_of_an_approximate_action(client, precision):
    campaign = CampaignFactory()
    action = ActionFactory(
        campaign=campaign,
        location_precision=precision,
        latitude=52.512345,
        longitude=13.398765,
        contact_email=SECRET_EMAIL,
    )

    response, data = get_data(client, campaign)
    body = response.content.decode()

    for digits in (6, 5, 4, 3):
        exact = (f"{round(action.latitude, digits)}", f"{round(action.longitude, digits)}")
        assert not (exact[0] in body and exact[1] in body), digits
    (row,) = decoded(data)
    assert (row["lat"], row["lon"]) == (round(action.public_latitude, 4), round(action.public_longitude, 4))
    assert distance_m(row["lat"], row["lon"], action.latitude, action.longitude) > 200
    assert "hidden.example.net" not in body and "private" not in body


def test_map_data_rounds_approximate_points_to_four_decimals(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign, location_precision=Action.Precision.ABOUT_1KM)

    _, data = get_data(client, campaign)

    for value in (data["lat"][0], data["lon"][0]):
        assert value == round(value, 4)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=vigil", {"vigil-fr", "vigil-de"}),
        ("country=FR", {"vigil-fr", "stand-fr-late"}),
        ("type=vigil&country=fr", {"vigil-fr"}),
        ("q=harbour", {"vigil-de"}),
        ("day=DAY1", {"vigil-fr", "vigil-de"}),
        ("from=DAY2&to=DAY2", {"stand-fr-late"}),
    ],
)
def test_map_data_filters_narrow_the_actions(client, query, expected):
    campaign = CampaignFactory()
    day1 = campaign.start_date + dt.timedelta(days=1)
    day2 = campaign.start_date + dt.timedelta(days=2)
    named = {
        "vigil-fr": ActionFactory(
            campaign=campaign, action_type="vigil", country="FR", city="Lyon", title="Vigil at the river",
            local_start=dt.datetime.combine(day1, dt.time(18)), timezone="Europe/Paris",
        ),
        "vigil-de": ActionFactory(
            campaign=campaign, action_type="vigil", country="DE", title="Vigil at the harbour",
            local_start=dt.datetime.combine(day1, dt.time(18)),
        ),
        "stand-fr-late": ActionFactory(
            campaign=campaign, action_type="info_stand", country="FR", city="Lille",
            local_start=dt.datetime.combine(day2, dt.time(10)), timezone="Europe/Paris",
        ),
    }  # fmt: skip
    query = query.replace("DAY1", day1.isoformat()).replace("DAY2", day2.isoformat())

    _, data = get_data(client, campaign, query)

    by_id = {action.pk: name for name, action in named.items()}
    assert {by_id[row["id"]] for row in decoded(data)} == expected


@pytest.mark.parametrize(
    "query",
    [
        "type=nonsense",
        "country=XX",
        "country=%00",
        "day=2026-02-31",
        "from=yesterday&to=tomorrow",
        "q=" + "x" * 5000,
        "type=vigil&type=rally",
        "day=-1",
    ],
)
def test_map_data_ignores_bad_filter_values(client, query):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)

    response = client.get(data_url(campaign, query))

    assert response.status_code == 200
    assert json.loads(response.content)["n"] in (0, 1)


def test_map_data_query_count_does_not_grow(client):
    def count(n):
        campaign = CampaignFactory()
        organization = OrganizationFactory()
        for _ in range(n):
            ActionFactory(campaign=campaign, host_organization=organization)
        with CaptureQueriesContext(connection) as captured:
            _, data = get_data(client, campaign)
        assert data["n"] == n
        return len(captured)

    assert count(1) == count(3)


def test_map_data_of_a_draft_campaign_is_not_found(client):
    campaign = CampaignFactory(status=Campaign.Status.DRAFT)
    ActionFactory(campaign=campaign)
    assert client.get(data_url(campaign)).status_code == 404


def test_map_data_spreads_points_evenly_in_a_large_campaign(client):
    """Many actions still come back whole: every id once, every point on the globe."""
    campaign = CampaignFactory()
    actions = ActionFactory.create_batch(40, campaign=campaign)

    _, data = get_data(client, campaign)

    rows = decoded(data)
    assert sorted(row["id"] for row in rows) == sorted(action.pk for action in actions)
    assert all(-90 <= row["lat"] <= 90 and -180 <= row["lon"] <= 180 for row in rows)
    assert all(not math.isnan(row["lat"]) for row in rows)


# --- popup --------------------------------------------------------------------------------------------------


def test_popup_shows_public_fields_with_local_time_and_zone(client):
    action = ActionFactory(
        title="Water info stand at the town hall",
        city="Berlin",
        contact_email=SECRET_EMAIL,
        venue="Back door of number 12",
        location_precision=Action.Precision.ABOUT_1KM,
        local_start=dt.datetime(2026, 10, 12, 14, 0),
    )

    response = client.get(popup_url(action))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Water info stand at the town hall" in body
    assert "14:00" in body and "CEST" in body and "Europe/Berlin" in body
    assert "Berlin" in body and "Germany" in body
    assert f'href="{action.get_absolute_url()}"' in body
    assert "hidden.example.net" not in body and "Back door" not in body
    assert str(action.latitude) not in body
    assert "public" in response["Cache-Control"]


def test_popup_is_translated(client):
    action = ActionFactory()
    body = client.get(popup_url(action) + "?lang=fr").content.decode()
    assert "Allemagne" in body


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Action.Status.PENDING, "approved_at": None},
        {"status": Action.Status.REJECTED, "approved_at": None},
        {"status": Action.Status.CANCELLED, "approved_at": None},
    ],
)
def test_popup_of_an_action_the_public_may_not_see_is_not_found(client, changes):
    action = ActionFactory(**changes)
    assert client.get(popup_url(action)).status_code == 404


def test_popup_of_an_action_of_another_campaign_is_not_found(client):
    action = ActionFactory()
    other = CampaignFactory()
    url = reverse("public:action_popup", kwargs={"slug": other.slug, "pk": action.pk})
    assert client.get(url).status_code == 404


def test_popup_escapes_a_hostile_title_and_city(client):
    action = ActionFactory(
        title='<script>alert("x")</script><img src=x onerror=alert(1)>', city="<b>Berlin</b>"
    )

    body = client.get(popup_url(action)).content.decode()

    assert "<script>" not in body and "<img" not in body and "<b>" not in body
    assert "&lt;script&gt;" in body and "&lt;b&gt;Berlin&lt;/b&gt;" in body


def test_popup_marks_a_cancelled_action(client):
    action = ActionFactory(status=Action.Status.CANCELLED)
    body = client.get(popup_url(action)).content.decode()
    assert "Cancelled" in body


# --- page ---------------------------------------------------------------------------------------------------


def test_map_page_links_to_the_list_and_the_data_with_the_same_filters(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign, action_type="vigil", country="FR")

    response = client.get(
        reverse("public:map", kwargs={"slug": campaign.slug}) + "?type=vigil&country=fr&x=1"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert (
        f'data-map-data-url="/c/{campaign.slug}/map/data.json?country=FR&amp;type=vigil&amp;lang=en"' in body
    )
    assert (
        f'href="/c/{campaign.slug}/actions/?country=FR&amp;type=vigil&amp;lang=en" data-map-list-link' in body
    )
    assert f'data-popup-url="/c/{campaign.slug}/actions/{{id}}/popup/?lang=en"' in body
    assert "data-filters" in body
    assert "style=" not in body and "<script>" not in body


def test_map_page_uses_no_tile_server_by_default(client):
    campaign = CampaignFactory()
    body = client.get(reverse("public:map", kwargs={"slug": campaign.slug})).content.decode()
    assert "data-tile-url" not in body
    assert "countries-110m.json" in body and "countries-50m.json" in body


def test_map_page_passes_the_operators_tile_server(client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "&copy; Example contributors"
    campaign = CampaignFactory()
    body = client.get(reverse("public:map", kwargs={"slug": campaign.slug})).content.decode()
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in body
    assert "data-tile-attribution=" in body


def test_map_page_of_an_unknown_campaign_is_not_found(client):
    assert client.get(reverse("public:map", kwargs={"slug": "nothing-here"})).status_code == 404
