"""``action_nearest``: exactly the nearest actions, whatever their start times and wherever the box ends."""

import datetime as dt
import math

import pytest

from groundswell.actions.models import Action
from groundswell.actions.selectors import action_nearest, action_public_list
from groundswell.core.privacy import distance_m
from tests.factories import ActionFactory, CampaignFactory

pytestmark = pytest.mark.django_db


def place(campaign, latitude, longitude, n=1, **fields):
    """``n`` approved actions at an exact public point, saved in one query."""
    actions = [
        ActionFactory.build(campaign=campaign, latitude=latitude, longitude=longitude, **fields)
        for _ in range(n)
    ]
    return Action.objects.bulk_create(actions)


def nearest(campaign, latitude, longitude, **kwargs):
    return action_nearest(
        actions=action_public_list(campaign=campaign), latitude=latitude, longitude=longitude, **kwargs
    )


def test_nearest_is_found_among_many_earlier_actions():
    campaign = CampaignFactory()
    early = dt.datetime.combine(campaign.start_date, dt.time(9))
    late = dt.datetime.combine(campaign.end_date, dt.time(20))
    # 650 actions 40 km north, all starting before the one right on the point.
    place(campaign, 52.52 + 40 / 111.195, 13.40, n=650, local_start=early, title="Forty km away")
    [here] = place(campaign, 52.52, 13.40, local_start=late, title="Right here")
    found = nearest(campaign, 52.52, 13.40)
    assert found[0].action.pk == here.pk
    assert found[0].distance_km < 0.01
    assert len(found) == 30
    assert all(39 < item.distance_km < 41 for item in found[1:])


def test_an_action_just_outside_the_box_side_beats_those_in_its_corners():
    campaign = CampaignFactory()
    # The first box is 0.5 degree either way; 30 actions near its corner, about 70 km away ...
    place(campaign, 0.45, 0.45, n=30, title="In the corner")
    # ... and one just past its northern side, 61 km away.
    [side] = place(campaign, 0.55, 0.0, title="Past the side")
    assert 60 < distance_m(0, 0, 0.55, 0) / 1000 < 62 < distance_m(0, 0, 0.45, 0.45) / 1000
    found = nearest(campaign, 0.0, 0.0)
    assert len(found) == 30
    assert found[0].action.pk == side.pk
    assert [item.distance_km for item in found] == sorted(item.distance_km for item in found)


def test_away_from_the_equator_the_box_side_in_longitude_counts_too():
    campaign = CampaignFactory()
    # At 60 degrees north a degree of longitude is half as long: the first box reaches 1 degree east and
    # west. Three actions near its north-east corner, about 70 km away, and one just past its eastern side.
    place(campaign, 60.45, 0.9, n=3, title="In the corner")
    [side] = place(campaign, 60.0, 1.1, title="Past the side")
    assert distance_m(60, 0, 60, 1.1) < 62_000 < distance_m(60, 0, 60.45, 0.9)
    found = nearest(campaign, 60.0, 0.0, limit=3)
    assert found[0].action.pk == side.pk
    assert math.isclose(found[0].distance_km, distance_m(60, 0, 60, 1.1) / 1000)


def test_nearest_takes_few_queries_however_sparse_or_dense(django_assert_max_num_queries):
    campaign = CampaignFactory()
    place(campaign, -33.9, 18.4, n=5)  # Cape Town
    place(campaign, 35.7, 139.7, n=5)  # Tokyo
    place(campaign, 52.52, 13.40, n=200)  # Berlin
    for latitude, longitude in [(52.5, 13.4), (0.0, -150.0), (89.9, 0.0), (-16.0, -179.9)]:
        with django_assert_max_num_queries(12):
            found = nearest(campaign, latitude, longitude)
        assert len(found) == 30
        assert [item.distance_km for item in found] == sorted(item.distance_km for item in found)
        # The host organization comes with the actions: no query per action when a page shows them.
        with django_assert_max_num_queries(0):
            [item.action.host_display for item in found]
