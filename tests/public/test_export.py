"""Exports of public actions as CSV and GeoJSON: public actions and public fields only, the list's filters,
streamed, safe to open in a spreadsheet, and a constant number of queries."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groundswell.actions.models import Action
from groundswell.public.views.downloads import csv_cell
from groundswell.public.views.export import COLUMNS
from tests.factories import ActionFactory, CampaignFactory, OrganizationFactory
from tests.public.test_atom import assert_no_personal_data, private_data_campaign

pytestmark = pytest.mark.django_db

BASE_URL = "https://actions.example.org"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE_URL


def csv_url(campaign, query: str = "") -> str:
    return reverse("public:actions_csv", kwargs={"slug": campaign.slug}) + (f"?{query}" if query else "")


def geojson_url(campaign, query: str = "") -> str:
    return reverse("public:actions_geojson", kwargs={"slug": campaign.slug}) + (f"?{query}" if query else "")


def body_of(response) -> str:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def read_csv(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body_of(response))))


def read_geojson(response) -> dict:
    assert response["Content-Type"] == "application/geo+json; charset=utf-8"
    return json.loads(body_of(response))


def test_csv_holds_public_actions_with_their_public_fields(client):
    campaign = CampaignFactory()
    action = ActionFactory(campaign=campaign, title="Water stand", venue="Market square")
    cancelled = ActionFactory(campaign=campaign, title="Called-off vigil", status=Action.Status.CANCELLED)
    ActionFactory(campaign=campaign, title="Waiting stand", status=Action.Status.PENDING, approved_at=None)
    ActionFactory(
        campaign=campaign, title="Cancelled unseen", status=Action.Status.CANCELLED, approved_at=None
    )

    response = client.get(csv_url(campaign))
    rows = read_csv(response)

    assert response["Content-Disposition"] == f'attachment; filename="{campaign.slug}-actions.csv"'
    assert list(rows[0]) == list(COLUMNS)
    assert {row["title"] for row in rows} == {"Water stand", "Called-off vigil"}
    row = next(row for row in rows if row["id"] == str(action.pk))
    assert row["type"] == "info_stand"
    assert row["start"].endswith("14:00:00+02:00") or row["start"].endswith("14:00:00+01:00")
    assert row["timezone"] == "Europe/Berlin"
    assert (row["city"], row["country"], row["venue"]) == ("Berlin", "DE", "Market square")
    assert float(row["latitude"]) == action.public_latitude
    assert row["host_name"] == "River Friends Association"
    assert row["status"] == "approved"
    assert row["url"] == f"{BASE_URL}/c/{campaign.slug}/actions/{action.pk}/"
    assert next(row for row in rows if row["id"] == str(cancelled.pk))["status"] == "cancelled"


def test_csv_keeps_the_venue_of_non_exact_actions_out(client):
    action = ActionFactory(location_precision=Action.Precision.CITY, venue="Behind the church")

    (row,) = read_csv(client.get(csv_url(action.campaign)))

    assert row["venue"] == ""
    assert row["location_precision"] == "city"
    assert (float(row["latitude"]), float(row["longitude"])) != (action.latitude, action.longitude)


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil.example")', "+1+2", "-2+3", "@SUM(A1)", "\tcmd"])
def test_csv_cells_that_would_run_as_formulas_are_escaped(client, value):
    action = ActionFactory(title=value, description=value, host_name=value)

    (row,) = read_csv(client.get(csv_url(action.campaign)))

    assert row["title"] == row["description"] == row["host_name"] == "'" + value


def test_csv_cell_leaves_numbers_and_plain_text_alone():
    assert csv_cell(-74.0) == -74.0
    assert csv_cell("Vigil - bring candles") == "Vigil - bring candles"
    assert csv_cell("") == ""


def test_geojson_is_a_feature_collection_of_public_points_longitude_first(client):
    campaign = CampaignFactory()
    exact = ActionFactory(campaign=campaign, title="Exact stand")
    near = ActionFactory(
        campaign=campaign,
        title="Approximate vigil",
        location_precision=Action.Precision.ABOUT_1KM,
        venue="Hidden yard",
        latitude=40.7128,
        longitude=-74.006,
        city="New York",
        country="US",
        timezone="America/New_York",
    )

    response = client.get(geojson_url(campaign))
    collection = read_geojson(response)

    assert response["Content-Disposition"] == f'attachment; filename="{campaign.slug}-actions.geojson"'
    assert collection["type"] == "FeatureCollection"
    features = {feature["id"]: feature for feature in collection["features"]}
    assert features[exact.pk]["geometry"] == {
        "type": "Point",
        "coordinates": [exact.public_longitude, exact.public_latitude],
    }
    assert features[near.pk]["geometry"]["coordinates"] == [near.public_longitude, near.public_latitude]
    assert features[near.pk]["geometry"]["coordinates"] != [near.longitude, near.latitude]
    properties = features[near.pk]["properties"]
    assert properties["venue"] == "" and properties["timezone"] == "America/New_York"
    assert properties["start"].endswith(("T14:00:00-04:00", "T14:00:00-05:00"))  # its local time, EDT or EST
    assert "latitude" not in properties and "contact_email" not in properties


def test_empty_geojson_is_valid(client):
    campaign = CampaignFactory()
    assert read_geojson(client.get(geojson_url(campaign))) == {"type": "FeatureCollection", "features": []}


def test_exports_apply_the_lists_filters(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign, title="Berlin stand")
    ActionFactory(campaign=campaign, title="Nairobi march", city="Nairobi", country="KE", action_type="rally")

    by_country = read_csv(client.get(csv_url(campaign, "country=KE")))
    by_type = read_geojson(client.get(geojson_url(campaign, "type=info_stand")))

    assert [row["title"] for row in by_country] == ["Nairobi march"]
    assert [feature["properties"]["title"] for feature in by_type["features"]] == ["Berlin stand"]


def test_exports_are_cacheable_with_an_etag(client):
    action = ActionFactory()
    first = client.get(csv_url(action.campaign))
    assert "public" in first["Cache-Control"]
    assert client.get(csv_url(action.campaign), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(geojson_url(action.campaign), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_exports_hold_no_personal_data(client):
    campaign, action = private_data_campaign()
    for url in (csv_url(campaign), geojson_url(campaign)):
        body = body_of(client.get(url))
        assert_no_personal_data(body, url)
        assert action.title in body


def test_action_list_links_its_exports_with_its_filters(client):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)

    body = client.get(reverse("public:action_list", kwargs={"slug": campaign.slug}) + "?country=DE").content

    assert f'href="{csv_url(campaign)}?country=DE&amp;lang=en"'.encode() in body
    assert f'href="{geojson_url(campaign)}?country=DE&amp;lang=en"'.encode() in body


def campaign_with_actions(n: int):
    campaign = CampaignFactory()
    host = OrganizationFactory()
    for _ in range(n):
        ActionFactory(campaign=campaign, host_organization=host)
    return campaign


@pytest.mark.parametrize("url_of", [csv_url, geojson_url, lambda campaign: csv_url(campaign, "q=water")])
def test_export_query_count_is_the_same_for_1_and_3_actions(client, django_assert_num_queries, url_of):
    small, large = campaign_with_actions(1), campaign_with_actions(3)
    with CaptureQueriesContext(connection) as one:
        assert "River Friends" in body_of(client.get(url_of(small)))

    with django_assert_num_queries(len(one)):
        assert body_of(client.get(url_of(large))).count("River Friends") == 3
