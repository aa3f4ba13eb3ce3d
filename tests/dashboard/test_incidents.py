"""The coordinators' incident pages: list and filters, recording one, an incident's page with its decision,
edits and follow-up notes; who may open them; the list's queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.models import CampaignRole
from groundswell.core.models import AuditEntry
from groundswell.reports.models import Incident, IncidentNote, Review
from tests.factories import ActionFactory, CampaignFactory, UserFactory, grant
from tests.factories.reports import IncidentFactory, past_action

pytestmark = pytest.mark.django_db


def list_url(campaign, query=""):
    return reverse("dashboard:incidents", kwargs={"slug": campaign.slug}) + (f"?{query}" if query else "")


def incident_url(incident, name="incident"):
    return reverse(f"dashboard:{name}", kwargs={"slug": incident.campaign.slug, "pk": incident.pk})


def new_url(campaign):
    return reverse("dashboard:incident_new", kwargs={"slug": campaign.slug})


def days_ago(days) -> dt.date:
    return (timezone.now() - dt.timedelta(days=days)).date()


def edit_data(incident, **changes):
    return {
        "kind": incident.kind,
        "date": incident.date.isoformat(),
        "city": incident.city,
        "country": incident.country.code,
        "description": incident.description,
        "people_affected": str(incident.people_affected),
        "visibility": incident.visibility,
        "publish_after": incident.publish_after.date().isoformat() if incident.publish_after else "",
        **changes,
    }


def row_ids(content: str) -> list[int]:
    return [int(part.split('"', 1)[0]) for part in content.split('<tr id="incident-')[1:]]


@pytest.fixture
def coordinator_client(world, as_user):
    return as_user(world.users["coordinator"])


@pytest.fixture
def incident(world):
    action = past_action(campaign=world.campaign, title="Vigil at the river")
    return IncidentFactory(
        action=action,
        status=Review.PENDING,
        approved_at=None,
        description="Police took the banners and the names of two stewards.",
        visibility=Incident.Visibility.COUNTS,
    )


# Who may open them


PAGES = [
    ("get", lambda world, incident: list_url(world.campaign), {}),
    ("get", lambda world, incident: new_url(world.campaign), {}),
    ("get", lambda world, incident: incident_url(incident), {}),
    ("post", lambda world, incident: new_url(world.campaign), {"kind": "ban"}),
    ("post", lambda world, incident: incident_url(incident, "incident_approve"), {}),
    ("post", lambda world, incident: incident_url(incident, "incident_reject"), {"reason": "No."}),
    ("post", lambda world, incident: incident_url(incident, "incident_edit"), {"city": "Bonn"}),
    (
        "post",
        lambda world, incident: incident_url(incident, "incident_note"),
        {"text": "Hi", "follow_up": "closed"},
    ),
]


@pytest.mark.parametrize(
    ("role", "status"),
    [("moderator", 403), ("translator", 403), ("other_campaign_staff", 404), ("plain_staff", 404)],
)
@pytest.mark.parametrize(("method", "url", "data"), PAGES)
def test_only_coordinators_open_incident_pages(world, as_user, incident, role, status, method, url, data):
    client = as_user(world.users[role])
    before = list(Incident.objects.values())
    response = getattr(client, method)(url(world, incident), data)
    assert response.status_code == status
    assert "Police took the banners" not in response.content.decode()
    assert list(Incident.objects.values()) == before
    assert not IncidentNote.objects.exists()


@pytest.mark.parametrize(("method", "url", "data"), PAGES)
def test_anonymous_is_sent_to_the_login(world, as_user, incident, method, url, data):
    response = getattr(as_user(None), method)(url(world, incident), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("dashboard:login"))


def test_incident_of_another_campaign_is_not_found(world, coordinator_client):
    elsewhere = IncidentFactory(campaign=world.other_campaign)
    url = reverse("dashboard:incident", kwargs={"slug": world.campaign.slug, "pk": elsewhere.pk})
    assert coordinator_client.get(url).status_code == 404
    assert coordinator_client.post(url + "approve/").status_code == 404


def test_nav_links_to_incidents_only_for_coordinators(world, as_user):
    link = f'href="{list_url(world.campaign)}"'
    queue = reverse("dashboard:queue", kwargs={"slug": world.campaign.slug})
    assert link in as_user(world.users["coordinator"]).get(queue).content.decode()
    assert link not in as_user(world.users["moderator"]).get(queue).content.decode()


# The list


def test_list_shows_pending_first_with_counts_and_private_headers(world, coordinator_client, incident):
    recent = IncidentFactory(campaign=world.campaign, date=days_ago(1), follow_up=Incident.FollowUp.LEGAL)
    older = IncidentFactory(campaign=world.campaign, date=days_ago(5), follow_up=Incident.FollowUp.CLOSED)
    IncidentFactory(
        campaign=world.campaign, status=Review.REJECTED, follow_up=Incident.FollowUp.CLOSED, date=days_ago(9)
    )
    IncidentFactory(campaign=world.other_campaign)
    response = coordinator_client.get(list_url(world.campaign))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    assert row_ids(content)[:3] == [incident.pk, recent.pk, older.pk]
    assert len(row_ids(content)) == 4
    counts = content.split('class="stats incident-counts"', 1)[1].split("</ul>", 1)[0]
    assert "<strong>1</strong> waiting for a decision" in counts
    assert "<strong>1</strong> Legal support contacted" in counts
    assert "<strong>1</strong> Closed" in counts  # the rejected one is not counted
    assert (
        reverse("dashboard:action", kwargs={"slug": world.campaign.slug, "pk": incident.action_id}) in content
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=pending", ["pending"]),
        ("kind=ban", ["ban"]),
        ("country=FR", ["fr"]),
        ("visibility=coordinators", ["hidden"]),
        ("follow_up=legal", ["legal"]),
        ("kind=ban&country=FR", []),
        ("kind=nonsense", ["pending", "ban", "fr", "hidden", "legal"]),  # an invalid filter is left out
    ],
)
def test_list_filters(world, coordinator_client, query, expected):
    made = {
        "pending": IncidentFactory(campaign=world.campaign, status=Review.PENDING, date=days_ago(1)),
        "ban": IncidentFactory(campaign=world.campaign, kind="ban", date=days_ago(2)),
        "fr": IncidentFactory(campaign=world.campaign, country="FR", city="Lyon", date=days_ago(3)),
        "hidden": IncidentFactory(campaign=world.campaign, visibility="coordinators", date=days_ago(4)),
        "legal": IncidentFactory(campaign=world.campaign, follow_up="legal", date=days_ago(5)),
    }
    response = coordinator_client.get(list_url(world.campaign, query))
    assert response.status_code == 200
    assert row_ids(response.content.decode()) == [made[name].pk for name in expected]


def _list_queries(client, campaign) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(list_url(campaign))
    assert response.status_code == 200
    return len(queries)


def _busy_incident(campaign, number):
    action = past_action(campaign=campaign, title=f"Stand {number}")
    return IncidentFactory(action=action, publish_after=timezone.now() + dt.timedelta(days=number))


def test_list_queries_do_not_grow_with_incidents(world, coordinator_client):
    _busy_incident(world.campaign, 1)
    one = _list_queries(coordinator_client, world.campaign)
    _busy_incident(world.campaign, 2)
    IncidentFactory(campaign=world.campaign, status=Review.PENDING)
    three = _list_queries(coordinator_client, world.campaign)
    assert one == three


# Recording one


def test_coordinator_records_an_incident(world, coordinator_client):
    action = past_action(campaign=world.campaign)
    response = coordinator_client.get(new_url(world.campaign) + f"?action={action.pk}")
    assert response.status_code == 200
    assert f'value="{action.pk}"' in response.content.decode()
    response = coordinator_client.post(
        new_url(world.campaign),
        {
            "action": str(action.pk),
            "kind": "ban",
            "date": days_ago(2).isoformat(),
            "city": "Berlin",
            "country": "",
            "description": "The assembly authority banned the march.",
            "people_affected": "0",
            "visibility": "public",
            "publish_after": "",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == incident_url(incident)
    assert (incident.status, incident.action, incident.country.code) == (Review.APPROVED, action, "DE")
    assert incident.created_by == world.users["coordinator"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"action": "999999"}, "This campaign has no action with this number."),
        ({"date": days_ago(-3).isoformat()}, "The date cannot be in the future."),
        ({"country": ""}, "Choose a country."),
        ({"description": ""}, "This field is required."),
        ({"people_affected": "10000001"}, "less than or equal to 10000000"),
        ({"publish_after": days_ago(0).isoformat()}, "must be in the future"),
    ],
)
def test_bad_record_is_refused_and_nothing_saved(world, coordinator_client, changes, message):
    data = {
        "action": "",
        "kind": "ban",
        "date": days_ago(2).isoformat(),
        "city": "Berlin",
        "country": "DE",
        "description": "The assembly authority banned the march.",
        "people_affected": "0",
        "visibility": "public",
        "publish_after": "",
        **changes,
    }
    response = coordinator_client.post(new_url(world.campaign), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Incident.objects.exists()


# An incident's page


def test_detail_shows_everything_to_the_coordinator(world, coordinator_client, incident):
    moment = dt.datetime.combine(days_ago(-10), dt.time(0), tzinfo=dt.UTC)
    Incident.objects.filter(pk=incident.pk).update(publish_after=moment)
    response = coordinator_client.get(incident_url(incident))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Police took the banners and the names of two stewards." in content
    assert f"Public from {moment:%Y-%m-%d} 00:00 UTC." in content
    assert (
        reverse("dashboard:action", kwargs={"slug": world.campaign.slug, "pk": incident.action_id}) in content
    )
    assert incident_url(incident, "incident_approve") in content


def test_approve_from_the_page(world, coordinator_client, incident):
    response = coordinator_client.post(incident_url(incident, "incident_approve"), follow=True)
    assert response.redirect_chain == [(incident_url(incident), 302)]
    assert "Recorded: the incident counts" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == Review.APPROVED
    assert AuditEntry.objects.get(verb="reports.incident.approved").actor == world.users["coordinator"]
    # Deciding twice says so and changes nothing.
    response = coordinator_client.post(incident_url(incident, "incident_approve"), follow=True)
    assert "no longer waiting for a decision" in response.content.decode()
    assert AuditEntry.objects.filter(verb="reports.incident.approved").count() == 1


def test_reject_from_the_page_needs_a_reason(world, coordinator_client, incident):
    response = coordinator_client.post(incident_url(incident, "incident_reject"), {"reason": ""})
    assert response.status_code == 400
    assert "Say why the incident is not recorded." in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == Review.PENDING
    response = coordinator_client.post(
        incident_url(incident, "incident_reject"), {"reason": "Already reported by the host."}, follow=True
    )
    incident.refresh_from_db()
    assert (incident.status, incident.moderation_note) == (Review.REJECTED, "Already reported by the host.")
    content = response.content.decode()
    assert "Already reported by the host." in content  # in the details and the history
    assert "did not record the organizer&#x27;s report" in content


def test_edit_from_the_page(world, coordinator_client, incident):
    day = days_ago(-30)
    response = coordinator_client.post(
        incident_url(incident, "incident_edit"),
        edit_data(incident, city="Dresden", visibility="public", publish_after=day.isoformat()),
        follow=True,
    )
    assert response.redirect_chain == [(incident_url(incident), 302)]
    incident.refresh_from_db()
    assert incident.city == "Dresden"
    assert incident.visibility == "public"
    assert incident.publish_after == dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
    content = response.content.decode()
    assert f"Public from {day:%Y-%m-%d} 00:00 UTC." in content
    assert "edited the incident" in content
    assert AuditEntry.objects.get(verb="reports.incident.edited").data == {
        "fields": ["city", "publish_after", "visibility"]
    }


def test_edit_keeps_a_past_publish_after_that_was_not_touched(world, coordinator_client, incident):
    past = timezone.now() - dt.timedelta(days=2)
    Incident.objects.filter(pk=incident.pk).update(publish_after=past)
    incident.refresh_from_db()
    response = coordinator_client.post(
        incident_url(incident, "incident_edit"), edit_data(incident, city="Halle")
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.city, incident.publish_after) == ("Halle", past)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"city": ""}, "This field is required."),
        ({"people_affected": "-1"}, "greater than or equal to 0"),
        ({"date": "2001-01-01"}, "60 days around the campaign"),
        ({"publish_after": "2020-01-01"}, "must be in the future"),
    ],
)
def test_bad_edit_changes_nothing(world, coordinator_client, incident, changes, message):
    before = Incident.objects.filter(pk=incident.pk).values().get()
    response = coordinator_client.post(
        incident_url(incident, "incident_edit"), edit_data(incident, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Incident.objects.filter(pk=incident.pk).values().get() == before
    assert not AuditEntry.objects.filter(verb="reports.incident.edited").exists()


def test_notes_timeline(world, coordinator_client, incident):
    url = incident_url(incident, "incident_note")
    coordinator_client.post(url, {"text": "Called the legal team.", "follow_up": "legal"})
    response = coordinator_client.post(url, {"text": "Both stewards released.", "follow_up": ""}, follow=True)
    content = response.content.decode()
    assert "Follow-up: Legal support contacted" in content
    first, second = content.index("Called the legal team."), content.index("Both stewards released.")
    assert first < second
    assert "coord" in content.split('class="incident-notes"', 1)[1].split("</ol>", 1)[0]
    assert "set to “Legal support contacted”" in content
    assert IncidentNote.objects.count() == 2


def test_empty_note_is_refused(world, coordinator_client, incident):
    response = coordinator_client.post(
        incident_url(incident, "incident_note"), {"text": " ", "follow_up": ""}
    )
    assert response.status_code == 400
    assert "Write a note or choose a new follow-up state" in response.content.decode()
    assert not IncidentNote.objects.exists()


def test_high_risk_campaign_form_defaults_to_coordinators_only(as_user, world):
    campaign = CampaignFactory(high_risk=True)
    grant(world.users["coordinator"], campaign, CampaignRole.Role.COORDINATOR)
    content = as_user(world.users["coordinator"]).get(new_url(campaign)).content.decode()
    assert re.search(r'<input type="radio" name="visibility" value="coordinators"[^>]* checked>', content)
    assert "This campaign is high risk" in content


def test_the_action_page_links_coordinators_to_recording_an_incident_there(client):
    action = ActionFactory()
    coordinator, moderator = UserFactory(), UserFactory()
    grant(coordinator, action.campaign, "coordinator")
    grant(moderator, action.campaign, "moderator")
    url = reverse("dashboard:action", kwargs={"slug": action.campaign.slug, "pk": action.pk})
    link = reverse("dashboard:incident_new", kwargs={"slug": action.campaign.slug}) + f"?action={action.pk}"
    client.force_login(coordinator)
    assert link in client.get(url).content.decode()
    client.force_login(moderator)
    assert link not in client.get(url).content.decode()
