import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groundswell.actions.models import Action
from tests.factories import ActionFactory, CampaignFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def list_url(campaign, query=""):
    return reverse("public:action_list", kwargs={"slug": campaign.slug}) + (f"?{query}" if query else "")


def titles(response):
    body = response.content.decode()
    return {title for title in Action.objects.values_list("title", flat=True) if title in body}


@pytest.fixture
def campaign():
    return CampaignFactory()


@pytest.fixture
def world(campaign):
    day1 = dt.datetime.combine(campaign.start_date + dt.timedelta(days=1), dt.time(10))
    day2 = dt.datetime.combine(campaign.start_date + dt.timedelta(days=2), dt.time(10))
    return {
        "berlin": ActionFactory(
            campaign=campaign, title="Berlin vigil", action_type="vigil", local_start=day1
        ),
        "lyon": ActionFactory(
            campaign=campaign,
            title="Lyon rally",
            action_type="rally",
            city="Lyon",
            country="FR",
            timezone="Europe/Paris",
            latitude=45.75,
            longitude=4.85,
            local_start=day2,
        ),
        "nairobi": ActionFactory(
            campaign=campaign,
            title="Nairobi info stand",
            city="Nairobi",
            country="KE",
            timezone="Africa/Nairobi",
            latitude=-1.28,
            longitude=36.82,
            local_start=day2,
        ),
        "pending": ActionFactory(
            campaign=campaign, title="Pending stand", status="pending", approved_at=None
        ),
    }


def test_list_groups_by_country_with_localized_names_and_counts(client, campaign, world):
    response = client.get(list_url(campaign, "lang=fr"))
    body = response.content.decode()
    assert [group.name for group in response.context["groups"]] == ["Allemagne", "France", "Kenya"]
    assert [group.count for group in response.context["groups"]] == [1, 1, 1]
    assert titles(response) == {"Berlin vigil", "Lyon rally", "Nairobi info stand"}
    assert "Pending stand" not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=vigil", {"Berlin vigil"}),
        ("country=FR", {"Lyon rally"}),
        ("country=fr", {"Lyon rally"}),
        ("q=nairobi", {"Nairobi info stand"}),
        ("q=Lyon&type=vigil", set()),
        ("day=DAY2", {"Lyon rally", "Nairobi info stand"}),
        ("from=DAY1&to=DAY1", {"Berlin vigil"}),
        ("from=DAY2&to=DAY1", {"Berlin vigil", "Lyon rally", "Nairobi info stand"}),
        (
            "type=riot&country=XX&day=tomorrow&from=0000-00-00&q=",
            {"Berlin vigil", "Lyon rally", "Nairobi info stand"},
        ),
    ],
)
def test_filters_narrow_the_list_and_junk_is_ignored(client, campaign, world, query, expected):
    query = query.replace("DAY1", str(campaign.start_date + dt.timedelta(days=1)))
    query = query.replace("DAY2", str(campaign.start_date + dt.timedelta(days=2)))
    response = client.get(list_url(campaign, query))
    assert response.status_code == 200
    assert titles(response) == expected


def test_filters_are_kept_in_the_form_so_the_url_can_be_shared(client, campaign, world):
    body = client.get(list_url(campaign, "type=rally&q=water")).content.decode()
    assert '<option value="rally" selected>' in body
    assert 'name="q" value="water"' in body


def test_near_a_position_lists_nearest_first_with_distances(client, campaign, world):
    # Near Geneva: Lyon (about 110 km) before Berlin (about 870 km) before Nairobi.
    response = client.get(list_url(campaign, "near=46.20,6.14"))
    nearby = response.context["nearby"]
    assert [item.action.title for item in nearby] == ["Lyon rally", "Berlin vigil", "Nairobi info stand"]
    assert 90 < nearby[0].distance_km < 130
    assert "km away" in response.content.decode()


def test_near_a_typed_city(client, campaign, world):
    response = client.get(list_url(campaign, "near_city=Mombasa&near_country=KE"))
    assert response.context["nearby"][0].action.title == "Nairobi info stand"
    assert "Mombasa" in response.content.decode()


def test_near_uses_the_public_point_not_the_exact_one(client, campaign):
    action = ActionFactory(campaign=campaign, location_precision="city", latitude=52.6, longitude=13.5)
    response = client.get(list_url(campaign, f"near={action.latitude},{action.longitude}"))
    [item] = response.context["nearby"]
    assert item.distance_km > 1  # measured to the city centre, not to the hidden point


def test_near_across_the_date_line(client, campaign):
    ActionFactory(
        campaign=campaign,
        title="Suva",
        city="Suva",
        country="FJ",
        timezone="Pacific/Fiji",
        latitude=-18.14,
        longitude=178.44,
    )
    ActionFactory(
        campaign=campaign,
        title="Apia",
        city="Apia",
        country="WS",
        timezone="Pacific/Apia",
        latitude=-13.83,
        longitude=-171.76,
    )
    response = client.get(list_url(campaign, "near=-16.0,-179.9"))
    assert [item.action.title for item in response.context["nearby"]][:2] == ["Suva", "Apia"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("near=north,east", "could not be read"),
        ("near=95,10", "could not be read"),
        ("near=nan,nan", "could not be read"),
        ("near_city=Lyon", "Choose the country"),
        ("near_city=Xqzzyville&near_country=FR", "could not find"),
    ],
)
def test_near_with_bad_input_explains(client, campaign, world, query, message):
    response = client.get(list_url(campaign, query))
    assert response.status_code == 200
    assert message in response.content.decode()


def test_one_country_is_a_paginated_list(client, campaign):
    for n in range(55):
        ActionFactory(campaign=campaign, title=f"Stand {n:02d}")
    first = client.get(list_url(campaign, "country=DE"))
    second = client.get(list_url(campaign, "country=DE&page=2"))
    assert len(first.context["page_obj"]) == 50 and len(second.context["page_obj"]) == 5
    assert client.get(list_url(campaign, "country=DE&page=999")).status_code == 200
    assert client.get(list_url(campaign, "page=abc")).status_code == 200


@pytest.mark.parametrize("query", ["", "country=DE", "near=52.5,13.4"])
def test_list_query_count_does_not_grow(client, query):
    def count(n):
        campaign = CampaignFactory()
        for _ in range(n):
            ActionFactory(campaign=campaign, host_organization=OrganizationFactory())
        with CaptureQueriesContext(connection) as captured:
            response = client.get(list_url(campaign, query))
        assert response.status_code == 200
        assert sum("Water info stand" in line for line in response.content.decode().splitlines()) == n
        return len(captured)

    assert count(1) == count(3)


def test_htmx_request_gets_the_results(client, campaign, world):
    response = client.get(list_url(campaign, "type=vigil"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="action-results"' in response.content.decode()


def test_text_filter_finds_the_host_organization_by_name(client, campaign, world):
    hosted = ActionFactory(
        campaign=campaign,
        title="Evening walk",
        host_name="",
        host_organization=OrganizationFactory(name="Blue Heron Collective"),
    )
    response = client.get(list_url(campaign, "q=heron"))
    assert titles(response) == {"Evening walk"}
    # The same filter drives the map's data and the calendar.
    map_data = client.get(reverse("public:map_data", kwargs={"slug": campaign.slug}) + "?q=heron").json()
    assert map_data["n"] == 1 and map_data["id"] == [hosted.pk]
    calendar = client.get(
        reverse("public:calendar", kwargs={"slug": campaign.slug}) + f"?q=heron&day={hosted.local_date}"
    )
    assert "Evening walk" in calendar.content.decode() and "Berlin vigil" not in calendar.content.decode()


def test_text_filter_by_host_costs_no_extra_query(client, campaign, world, django_assert_num_queries):
    ActionFactory(campaign=campaign, host_organization=OrganizationFactory(name="Blue Heron Collective"))
    client.get(list_url(campaign, "q=water"))  # fills the caches the page uses
    with CaptureQueriesContext(connection) as without_text:
        client.get(list_url(campaign, "type=info_stand"))
    with CaptureQueriesContext(connection) as with_text:
        response = client.get(list_url(campaign, "q=heron"))
    assert len(titles(response)) == 1
    assert len(with_text) == len(without_text)
