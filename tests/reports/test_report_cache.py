"""The public report is cached, but a change that hides something is public no longer at the next request."""

import pytest
from django.urls import reverse

from groundswell.reports.models import Incident
from groundswell.reports.services.incidents import incident_update
from groundswell.reports.services.report_backs import photo_reject
from tests.factories import UserFactory, grant
from tests.factories.reports import IncidentFactory, PhotoFactory, past_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_of():
    def make(campaign):
        user = UserFactory()
        grant(user, campaign, "coordinator")
        return user

    return make


def _report(client, campaign):
    response = client.get(reverse("public:report", kwargs={"slug": campaign.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_an_incident_made_coordinators_only_leaves_the_cached_report_at_once(
    client, coordinator_of, django_capture_on_commit_callbacks
):
    action = past_action()
    incident = IncidentFactory(action=action, campaign=action.campaign, description="Kx-released-story-4410")
    assert "Kx-released-story-4410" in _report(client, action.campaign)  # now in the cache
    with django_capture_on_commit_callbacks(execute=True):
        incident_update(
            actor=coordinator_of(action.campaign),
            incident=incident,
            visibility=Incident.Visibility.COORDINATORS,
        )
    assert "Kx-released-story-4410" not in _report(client, action.campaign)


def test_an_incident_made_count_only_and_a_rejected_photo_leave_the_cached_report_at_once(
    client, coordinator_of, django_capture_on_commit_callbacks
):
    action = past_action()
    campaign = action.campaign
    incident = IncidentFactory(action=action, campaign=campaign, description="Kx-rejected-story-5520")
    photo = PhotoFactory(report_back__action=action, caption="Kx-rejected-caption-6630")
    page = _report(client, campaign)
    assert "Kx-rejected-story-5520" in page and "Kx-rejected-caption-6630" in page
    coordinator = coordinator_of(campaign)
    with django_capture_on_commit_callbacks(execute=True):
        incident_update(actor=coordinator, incident=incident, visibility=Incident.Visibility.COUNTS)
        photo_reject(actor=coordinator, photo=photo, reason="A face can be recognised.")
    page = _report(client, campaign)
    assert "Kx-rejected-story-5520" not in page
    assert "Kx-rejected-caption-6630" not in page
