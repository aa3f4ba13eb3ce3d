import datetime as dt

import pytest

from groundswell.actions.models import Action
from tests.factories import ActionFactory, EndorsementFactory

pytestmark = pytest.mark.django_db


def walk(client, url):
    seen, pages = [], 0
    while url:
        response = client.get(url.removeprefix("http://127.0.0.1:8000"))
        assert response.status_code == 200, response.json()
        body = response.json()
        seen += [item.get("id", item.get("name")) for item in body["items"]]
        url = body["next"]
        pages += 1
    return seen, pages


def test_cursor_walks_every_action_exactly_once_in_start_order(client, campaign, settings):
    settings.BASE_URL = "http://127.0.0.1:8000"
    start = dt.datetime.combine(campaign.start_date + dt.timedelta(days=3), dt.time(9))
    # Several actions share a start: the id breaks the tie.
    actions = [
        ActionFactory(campaign=campaign, local_start=start + dt.timedelta(hours=i // 3)) for i in range(11)
    ]

    seen, pages = walk(client, "/api/v1/campaigns/clean-water/actions?limit=4&country=DE")

    assert seen == [a.pk for a in sorted(actions, key=lambda a: (a.starts_at, a.pk))]
    assert pages == 3


def test_cursor_by_last_change_walks_every_action_once(client, campaign, settings):
    settings.BASE_URL = "http://127.0.0.1:8000"
    actions = [ActionFactory(campaign=campaign) for _ in range(7)]
    same = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    Action.objects.filter(pk__in=[a.pk for a in actions[:4]]).update(updated_at=same)

    seen, _pages = walk(
        client, "/api/v1/campaigns/clean-water/actions?limit=2&updated_since=2026-01-01T00:00:00Z"
    )

    assert sorted(seen) == sorted(a.pk for a in actions)
    assert len(seen) == len(set(seen))
    assert seen[:4] == sorted(a.pk for a in actions[:4])


def test_cursor_walks_every_endorsement_once(client, campaign, settings):
    settings.BASE_URL = "http://127.0.0.1:8000"
    endorsements = [EndorsementFactory(campaign=campaign) for _ in range(5)]

    seen, pages = walk(client, "/api/v1/campaigns/clean-water/endorsements?limit=2")

    assert seen == [e.organization.name for e in sorted(endorsements, key=lambda e: e.pk)]
    assert pages == 3


def test_a_cursor_of_another_ordering_is_refused(client, campaign):
    [ActionFactory(campaign=campaign) for _ in range(3)]
    cursor = client.get("/api/v1/campaigns/clean-water/actions?limit=1").json()["next_cursor"]

    response = client.get(f"/api/v1/campaigns/clean-water/endorsements?cursor={cursor}")

    assert response.status_code == 422
    assert "cursor" in response.json()["detail"]
