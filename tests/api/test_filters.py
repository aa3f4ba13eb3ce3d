"""Filters of the public action list, and bad values answered 4xx with a message."""

import datetime as dt

import pytest

from groundswell.actions.models import Action
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/campaigns/clean-water/actions"


def ids(client, query: str) -> set[int]:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.json()
    return {item["id"] for item in response.json()["items"]}


@pytest.fixture
def actions(campaign):
    day = campaign.start_date + dt.timedelta(days=5)
    return {
        "berlin": ActionFactory(campaign=campaign),
        "paris": ActionFactory(
            campaign=campaign,
            city="Paris",
            country="FR",
            latitude=48.8566,
            longitude=2.3522,
            timezone="Europe/Paris",
            action_type=Action.Type.VIGIL,
            local_start=dt.datetime.combine(day + dt.timedelta(days=2), dt.time(18)),
        ),
        "fiji": ActionFactory(
            campaign=campaign,
            city="Suva",
            country="FJ",
            latitude=-18.1416,
            longitude=178.4419,
            timezone="Pacific/Fiji",
        ),
    }


def test_country_filter(client, actions):
    assert ids(client, "country=fr") == {actions["paris"].pk}


def test_type_filter(client, actions):
    assert ids(client, "type=vigil") == {actions["paris"].pk}


def test_date_range_filter_uses_local_dates(client, campaign, actions):
    later = campaign.start_date + dt.timedelta(days=7)
    assert ids(client, f"from={later}&to={later}") == {actions["paris"].pk}
    assert ids(client, f"to={later - dt.timedelta(days=1)}") == {actions["berlin"].pk, actions["fiji"].pk}


def test_bbox_filter_on_the_public_point(client, actions):
    assert ids(client, "bbox=2,48,14,53") == {actions["berlin"].pk, actions["paris"].pk}
    assert ids(client, "bbox=10,50,15,55") == {actions["berlin"].pk}


def test_bbox_across_the_date_line(client, actions):
    assert ids(client, "bbox=170,-30,-170,0") == {actions["fiji"].pk}


def test_bbox_holding_nothing_gives_an_empty_page(client, actions):
    body = client.get(f"{URL}?bbox=-60,-60,-50,-50").json()
    assert body == {"items": [], "next_cursor": None, "next": None}


def test_updated_since_filter(client, actions):
    Action.objects.filter(pk=actions["berlin"].pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert actions["berlin"].pk not in ids(client, "updated_since=2021-01-01T00:00:00Z")
    assert actions["berlin"].pk in ids(client, "updated_since=2019-12-31T23:00:00%2B00:00")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=0,10,10,5", "bbox"),
        ("bbox=0,-91,10,5", "bbox"),
        ("bbox=-190,0,10,5", "bbox"),
        ("bbox=nan,0,10,5", "bbox"),
        ("bbox=inf,0,10,5", "bbox"),
        ("country=ZZ", "country"),
        ("country=DEU", "country"),
        ("type=party", "type"),
        ("from=2026-13-01", "from"),
        ("from=2026-10-12&to=2026-10-01", "to"),
        ("updated_since=2026-10-01T00:00:00", "updated_since"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=0001-01-01T00:00:00%2B01:00", "updated_since"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=WyJ1cGRhdGVkX2F0IiwiMjAyNi0xMC0wMVQwMDowMDowMCswMDowMCIsMV0", "cursor"),
    ],
)
def test_bad_values_are_422_with_a_message(client, actions, query, field):
    response = client.get(f"{URL}?{query}")

    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert field in {error["field"] for error in body["errors"]}, body


def test_unknown_campaign_is_404_with_a_message(client, db):
    response = client.get("/api/v1/campaigns/nothing-here/actions")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_bad_action_id_is_a_4xx(client, actions):
    assert client.get(f"{URL}/abc").status_code == 422
    assert client.get(f"{URL}/99999999999999999999999").status_code in {404, 422}
    assert client.get(f"{URL}/-1").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/campaigns/clean%00water",
        "/api/v1/campaigns/clean%00water/actions",
        "/api/v1/campaigns/clean%00water/statistics",
        "/api/v1/campaigns/clean-water/translations/e%00n",
        "/api/v1/campaigns/clean-water/actions?country=D%00",
        # A cursor pointing past any database's bigint id.
        "/api/v1/campaigns/clean-water/endorsements?cursor=WyJpZCIsbnVsbCwxMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwXQ",
    ],
)
def test_odd_characters_and_numbers_are_4xx(client, actions, path):
    response = client.get(path)

    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
