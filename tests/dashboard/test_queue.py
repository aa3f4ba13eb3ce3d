"""What moderators see: the queue with its filters and duplicate hints, an action's page, the audit log."""

import dataclasses
import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groundswell.actions.models import Action
from groundswell.actions.services import ActionInput, action_update_by_organizer
from groundswell.core.models import AuditEntry
from tests.dashboard.conftest import action_url, pending_action, queue_url
from tests.factories import ActionFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def rows_in(content: str) -> list[int]:
    """The primary keys of the actions listed in the queue, in order."""
    return [int(pk) for pk in re.findall(r'<tr id="action-(\d+)" data-action-id="\1"', content)]


def organizer_input(action: Action, **changes) -> ActionInput:
    """What the organizer's form would hand the service for ``action``, with some fields changed."""
    values = {
        field.name: getattr(action, field.name)
        for field in dataclasses.fields(ActionInput)
        if hasattr(action, field.name)
    }
    values["country"] = action.country.code
    return ActionInput(**{**values, **changes})


# What the queue and the action page show


def test_queue_lists_pending_actions_oldest_first_with_their_details(world, as_user):
    host = OrganizationFactory(name="Friends of the Spree")
    newer = pending_action(
        campaign=world.campaign,
        title="Vigil by the river",
        action_type=Action.Type.VIGIL,
        city="Hamburg",
        host_organization=host,
        host_name="",
    )
    ActionFactory(campaign=world.campaign, title="Already approved rally")

    content = as_user(world.users["moderator"]).get(queue_url(world.campaign)).content.decode()

    assert rows_in(content) == [world.action.pk, newer.pk]
    assert "Already approved rally" not in content
    assert "Vigil by the river" in content
    assert "Vigil" in content and "Info stand" in content
    assert "Hamburg, Germany" in content
    assert "Friends of the Spree" in content and "River Friends Association" in content
    assert f'value="{newer.pk}" form="bulk-approve"' in content
    assert "Approve selected" in content
    assert content.count('name="reason"') == 2


def test_queue_shows_local_start_in_the_actions_own_time_zone(world, as_user):
    start = dt.datetime.combine(world.campaign.start_date + dt.timedelta(days=5), dt.time(9, 30))
    action = pending_action(
        campaign=world.campaign,
        title="Rally at City Hall",
        timezone="America/New_York",
        city="New York",
        country="US",
        latitude=40.71,
        longitude=-74.0,
        starts_at=start.replace(tzinfo=ZoneInfo("America/New_York")),
    )
    content = as_user(world.users["moderator"]).get(queue_url(world.campaign)).content.decode()
    row = content.split(f'data-action-id="{action.pk}"', 1)[1].split("</tr>", 1)[0]

    assert f"{start.day} " in row and ", 09:30</time>" in row
    assert "America/New_York" in row
    assert f'datetime="{start.replace(tzinfo=ZoneInfo("America/New_York")).isoformat()}"' in row


def test_queue_paginates_by_fifty(world, as_user):
    for number in range(50):
        pending_action(campaign=world.campaign, city=f"Town {number}")
    client = as_user(world.users["moderator"])

    first = client.get(queue_url(world.campaign)).content.decode()
    second = client.get(queue_url(world.campaign, page=2)).content.decode()

    assert len(rows_in(first)) == 50
    assert rows_in(first)[0] == world.action.pk
    assert len(rows_in(second)) == 1
    assert "51 actions waiting for moderation" in first
    assert "Page 2 of 2" in second


def test_queue_shows_duplicate_hints_for_similar_actions_same_city_and_day(world, as_user):
    twin = pending_action(campaign=world.campaign, title="Water info-stand at the market square")
    unrelated = pending_action(campaign=world.campaign, title="Evening concert for clean rivers")
    other_city = pending_action(
        campaign=world.campaign, title="Water info stand at the market", city="Bremen"
    )

    content = as_user(world.users["moderator"]).get(queue_url(world.campaign)).content.decode()

    def hints_of(action):
        row = content.split(f'data-action-id="{action.pk}"', 1)[1].split("</tr>", 1)[0]
        return row.split('<div class="dupes">', 1)[1] if '<div class="dupes">' in row else ""

    assert "Maybe the same as:" in hints_of(world.action)
    assert (
        f'href="{action_url(twin)}">Water info-stand at the market square</a> (Waiting for moderation)'
        in hints_of(world.action)
    )
    assert action_url(world.action) in hints_of(twin)
    assert hints_of(unrelated) == ""
    assert hints_of(other_city) == ""


def test_queue_and_action_page_show_pending_changes_as_a_diff(world, as_user):
    action = ActionFactory(campaign=world.campaign, title="Info stand at the station", venue="Station hall")
    moved = action.starts_at + dt.timedelta(hours=1)
    action_update_by_organizer(
        action=action, data=organizer_input(action, title="Info stand at the town hall", starts_at=moved)
    )
    action.refresh_from_db()
    assert action.status == Action.Status.PENDING
    client = as_user(world.users["moderator"])

    for url in (queue_url(world.campaign), action_url(action)):
        content = client.get(url).content.decode()
        diff = content.split('<div class="diff">', 1)[1].split("</div>", 1)[0]
        assert re.search(r"Title:</span>\s*<del>.*Info stand at the station</del>", diff)
        assert re.search(r"<ins>.*Info stand at the town hall</ins>", diff)
        # Times in the action's own zone, both sides labelled with it.
        assert (
            f'<del><span class="visually-hidden">before:</span>{action.local_date} 14:00 (Europe/Berlin)'
            in diff
        )
        assert (
            f'<ins><span class="visually-hidden">after:</span>{action.local_date} 15:00 (Europe/Berlin)'
            in diff
        )


def test_action_page_shows_every_field_with_private_contact(world, as_user):
    action = pending_action(
        campaign=world.campaign,
        title="Vigil with candles",
        description="Bring a candle.\nWe stay an hour.",
        location_precision=Action.Precision.ABOUT_1KM,
        online_url="https://stream.example.org/vigil",
        contact_email="quiet.organizer@private.example.net",
    )
    content = as_user(world.users["moderator"]).get(action_url(action)).content.decode()

    assert "quiet.organizer@private.example.net" in content
    assert "Bring a candle.<br>We stay an hour." in content
    assert f"{action.latitude:.6f}, {action.longitude:.6f}" in content
    assert f"{action.public_latitude:.6f}, {action.public_longitude:.6f}" in content
    assert action.public_latitude != action.latitude
    assert "About 1 km" in content
    assert "Market square" in content and "https://stream.example.org/vigil" in content
    assert ', 14:00</time> <span class="action-meta">Europe/Berlin</span>' in content
    assert 'action="' + action_url(action, "approve") + '"' in content
    assert 'action="' + action_url(action, "reject") + '"' in content


def test_action_page_has_no_decision_forms_once_decided(world, as_user):
    approved = ActionFactory(campaign=world.campaign)
    content = as_user(world.users["moderator"]).get(action_url(approved)).content.decode()
    assert action_url(approved, "approve") not in content
    assert reverse("public:action", kwargs={"slug": "clean-water", "pk": approved.pk}) in content


def test_audit_log_shows_the_decision_in_plain_words(world, as_user, client):
    client = as_user(world.users["moderator"])
    client.post(action_url(world.action, "reject"), {"reason": "Please give the <b>exact</b> venue."})

    content = client.get(action_url(world.action)).content.decode()
    history = content.split("History", 1)[1]
    assert re.search(r"<td>mod</td>\s*<td>rejected the action</td>", history)
    assert "Reason: Please give the &lt;b&gt;exact&lt;/b&gt; venue." in history
    assert re.search(r"<time datetime=\"[^\"]+\">\d{4}-\d\d-\d\d \d\d:\d\d</time>", history)


def test_audit_log_names_the_organizer_for_edits(world, as_user):
    action = ActionFactory(campaign=world.campaign)
    AuditEntry.objects.create(
        verb="actions.action.edited", campaign=world.campaign, target_type="actions.action",
        target_id=str(action.pk), data={"fields": ["title", "venue"]},
    )  # fmt: skip
    content = as_user(world.users["moderator"]).get(action_url(action)).content.decode()
    assert re.search(r"<td>The organizer</td>\s*<td>edited the action</td>", content)
    assert "Fields: Title, Venue" in content


# Filters


def test_filters_narrow_the_queue(world, as_user):
    day = world.action.local_date
    french = pending_action(
        campaign=world.campaign,
        title="Rassemblement",
        city="Lyon",
        country="FR",
        action_type=Action.Type.RALLY,
        timezone="Europe/Paris",
    )
    later = pending_action(
        campaign=world.campaign,
        title="Late vigil",
        action_type=Action.Type.VIGIL,
        local_start=dt.datetime.combine(day + dt.timedelta(days=1), dt.time(20)),
    )
    client = as_user(world.users["moderator"])

    def listed(**query):
        return set(rows_in(client.get(queue_url(world.campaign, **query)).content.decode()))

    assert listed() == {world.action.pk, french.pk, later.pk}
    assert listed(country="FR") == {french.pk}
    assert listed(type="vigil") == {later.pk}
    assert listed(day=(day + dt.timedelta(days=1)).isoformat()) == {later.pk}
    assert listed(q="market") == {world.action.pk}
    assert listed(q="lyon") == {french.pk}
    assert listed(country="DE", type="info_stand") == {world.action.pk}
    # An invalid filter is shown as an error and left out; the others still apply.
    response = client.get(queue_url(world.campaign, day="not-a-date", country="FR"))
    assert set(rows_in(response.content.decode())) == {french.pk}
    assert "Enter a valid date." in response.content.decode()


def test_filters_stay_in_the_pagination_links(world, as_user):
    for number in range(51):
        pending_action(campaign=world.campaign, city=f"Town {number}", country="AT", timezone="Europe/Vienna")
    content = as_user(world.users["moderator"]).get(queue_url(world.campaign, country="AT")).content.decode()
    assert 'href="?country=AT&amp;page=2"' in content


# Queries


def _queue_queries(client, campaign) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(queue_url(campaign))
    assert response.status_code == 200
    return len(queries)


def _busy_pending_action(campaign, number):
    """A pending action with everything the queue shows: a host organization, changes, a likely twin."""
    host = OrganizationFactory()
    action = pending_action(
        campaign=campaign, title=f"Stand {number}", host_organization=host, city=f"City {number}"
    )
    Action.objects.filter(pk=action.pk).update(pending_changes={"title": ["Old", f"Stand {number}"]})
    pending_action(campaign=campaign, title=f"Stand {number}!", city=f"City {number}")


def test_queue_queries_do_not_grow_with_items(world, as_user):
    Action.objects.filter(pk=world.action.pk).delete()
    client = as_user(world.users["moderator"])
    _busy_pending_action(world.campaign, 0)
    with_one = _queue_queries(client, world.campaign)
    _busy_pending_action(world.campaign, 1)
    _busy_pending_action(world.campaign, 2)
    with_three = _queue_queries(client, world.campaign)

    assert len(rows_in(client.get(queue_url(world.campaign)).content.decode())) == 6
    assert with_one == with_three
