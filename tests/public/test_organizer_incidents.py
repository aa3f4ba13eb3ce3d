import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.core.models import AuditEntry
from groundswell.core.privacy import hash_token
from groundswell.reports.models import Incident, Review
from groundswell.reports.services.incidents import incident_create_by_coordinator
from tests.factories import CampaignFactory, UserFactory, grant
from tests.factories.reports import IncidentFactory, past_action

pytestmark = pytest.mark.django_db

TOKEN = "organizer-secret-for-incidents"
DESCRIPTION = "Two stewards were held at the station for four hours and released without charge."


def organizer_url(token=TOKEN):
    return reverse("public:organizer", kwargs={"token": token})


def form_url(token=TOKEN):
    return reverse("public:organizer_incident_new", kwargs={"token": token})


def form_data(**changes):
    return {
        "kind": "detention",
        "date": (timezone.now() - dt.timedelta(days=2)).date().isoformat(),
        "city": "Leipzig",
        "country": "DE",
        "description": DESCRIPTION,
        "people_affected": "2",
        "visibility": "counts",
        "publish_after": "",
        **changes,
    }


@pytest.fixture
def action():
    return past_action(edit_token_hash=hash_token(TOKEN))


def assert_private(response):
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"


def test_form_is_private_and_explains_the_visibility(client, action):
    response = client.get(form_url())
    assert response.status_code == 200
    assert_private(response)
    page = response.content.decode()
    assert "Only as counts: the public sees numbers per kind and country" in page
    assert "Coordinators only: nothing about it is public" in page
    assert "From 00:00 UTC on this day" in page
    assert re.search(r'<input type="radio" name="visibility" value="counts"[^>]* checked>', page)


def test_form_of_a_high_risk_campaign_keeps_incidents_for_coordinators_by_default(client):
    past_action(edit_token_hash=hash_token(TOKEN), campaign=CampaignFactory(high_risk=True))
    page = client.get(form_url()).content.decode()
    assert re.search(r'<input type="radio" name="visibility" value="coordinators"[^>]* checked>', page)


def test_report_is_saved_pending_and_listed_on_the_organizer_page(client, action):
    response = client.post(form_url(), form_data(), follow=True)
    assert response.redirect_chain == [(organizer_url(), 302)]
    incident = Incident.objects.get()
    assert (incident.action, incident.status, incident.kind) == (action, Review.PENDING, "detention")
    assert incident.visibility == Incident.Visibility.COUNTS
    page = response.content.decode()
    assert "The incident is sent to the campaign" in page
    assert "Waiting for a coordinator" in page
    assert "Detention or arrest" in page
    assert DESCRIPTION not in page
    assert AuditEntry.objects.filter(verb="reports.incident.reported").count() == 1


def test_publish_after_date_means_midnight_utc(client, action):
    day = (timezone.now() + dt.timedelta(days=20)).date()
    client.post(form_url(), form_data(publish_after=day.isoformat()))
    incident = Incident.objects.get()
    assert incident.publish_after == dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
    page = client.get(organizer_url()).content.decode()
    assert f"not public before {day.day} {day:%b %Y}, 00:00 UTC" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": ""}, "This field is required."),
        ({"kind": "riot"}, "Select a valid choice."),
        ({"date": "not a date"}, "Enter a valid date."),
        ({"date": (timezone.now() + dt.timedelta(days=5)).date().isoformat()}, "cannot be in the future"),
        ({"date": "2001-01-01"}, "60 days around the campaign"),
        ({"city": ""}, "This field is required."),
        ({"description": "   "}, "This field is required."),
        ({"description": "x" * 5001}, "at most 5000 characters"),
        ({"people_affected": "-3"}, "greater than or equal to 0"),
        ({"people_affected": "many"}, "Enter a whole number."),
        ({"visibility": "everyone"}, "Select a valid choice."),
        ({"publish_after": "2020-01-01"}, "must be in the future"),
        ({"country": "XX"}, "Select a valid choice."),
    ],
)
def test_bad_report_is_refused_with_a_clear_message_and_nothing_saved(client, action, changes, message):
    response = client.post(form_url(), form_data(**changes))
    assert response.status_code == 400
    assert_private(response)
    page = response.content.decode()
    assert "Nothing has been saved." in page
    assert message in page.replace("&quot;", '"')
    assert not Incident.objects.exists()


def test_no_report_for_an_action_that_is_not_approved(client):
    past_action(edit_token_hash=hash_token(TOKEN), status=Action.Status.PENDING, approved_at=None)
    page = client.get(form_url()).content.decode()
    assert "Incidents can be reported only for an approved action" in page
    assert 'name="description"' not in page
    assert (
        "Incidents can be reported once the action is approved"
        in client.get(organizer_url()).content.decode()
    )
    response = client.post(form_url(), form_data())
    assert response.status_code == 400
    assert not Incident.objects.exists()


def test_a_wrong_token_finds_nothing(client, action):
    assert client.get(form_url("not-the-token")).status_code == 404
    assert client.post(form_url("x" * 500), form_data()).status_code == 404
    assert not Incident.objects.exists()


def test_another_actions_link_does_not_show_the_incident(client, action):
    client.post(form_url(), form_data())
    past_action(edit_token_hash=hash_token("another-organizer-secret"))
    page = client.get(organizer_url("another-organizer-secret")).content.decode()
    assert "Detention or arrest" not in page
    assert "Waiting for a coordinator" not in page


def test_organizer_sees_the_decision_and_the_reason(client, action):
    IncidentFactory(action=action, kind="ban", status=Review.APPROVED)
    IncidentFactory(action=action, kind="attack", status=Review.REJECTED, moderation_note="Reported twice.")
    page = client.get(organizer_url()).content.decode()
    assert "<td>Recorded</td>" in page
    assert "<td>Not recorded<br>" in page
    assert "Reported twice." in page


def test_incidents_recorded_by_coordinators_are_not_on_the_organizer_page(client, action):
    IncidentFactory(
        action=action,
        kind="attack",
        created_by=UserFactory(),
        reported_by_organizer=False,
        description="Coordinators' own notes.",
    )
    page = client.get(organizer_url()).content.decode()
    assert "Attack by others" not in page
    assert "Coordinators&#x27; own notes." not in page


def test_coordinators_only_incident_is_not_on_the_organizer_or_public_page(client, action):
    secret = "The detained steward's lawyer asks that nothing is published yet."
    IncidentFactory(action=action, visibility=Incident.Visibility.COORDINATORS, description=secret)
    IncidentFactory(
        action=action,
        visibility=Incident.Visibility.COORDINATORS,
        description=secret + " (2)",
        status="pending",
    )
    organizer_page = client.get(organizer_url())
    assert organizer_page.status_code == 200
    public_page = client.get(action.get_absolute_url())
    assert public_page.status_code == 200
    for response in (organizer_page, public_page):
        page = response.content.decode()
        assert "lawyer asks" not in page
        assert "steward&#x27;s lawyer" not in page
    assert "Police interference" in organizer_page.content.decode()  # only its kind and state
    assert "Police interference" not in public_page.content.decode()


def test_reports_are_rate_limited_per_connection(client, action, settings):
    settings.SUBMISSIONS_PER_HOUR = 1
    assert client.post(form_url(), form_data()).status_code == 302
    response = client.post(form_url(), form_data())
    assert response.status_code == 429
    assert "Too many submissions from your connection" in response.content.decode()
    assert Incident.objects.count() == 1


def _organizer_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(organizer_url())
    assert response.status_code == 200
    return len(queries)


def test_organizer_page_queries_do_not_grow_with_incidents(client, action):
    IncidentFactory(action=action, status=Review.PENDING, publish_after=timezone.now() + dt.timedelta(days=3))
    one = _organizer_page_queries(client)
    IncidentFactory(action=action, kind="ban")
    IncidentFactory(action=action, kind="attack", status=Review.REJECTED, moderation_note="Twice.")
    three = _organizer_page_queries(client)
    assert one == three


def test_a_coordinators_record_stays_off_the_organizer_page_after_the_coordinator_account_is_deleted(client):
    action = past_action()
    token = "organizer-token-for-deleted-coordinator"
    action.edit_token_hash = hash_token(token)
    action.save(update_fields=["edit_token_hash"])
    coordinator = UserFactory()
    grant(coordinator, action.campaign, "coordinator")
    incident_create_by_coordinator(
        actor=coordinator, campaign=action.campaign, action=action, kind=Incident.Kind.DETENTION,
        date=action.local_date, city="Berlin", country="DE", description="Internal record only",
        people_affected=1, visibility=Incident.Visibility.COORDINATORS,
    )  # fmt: skip
    page = client.get(reverse("public:organizer", kwargs={"token": token})).content.decode()
    assert "Detention or arrest" not in page
    coordinator.delete()
    page = client.get(reverse("public:organizer", kwargs={"token": token})).content.decode()
    assert "Detention or arrest" not in page
