"""The public report is cached, but a change that hides something is public no longer at the next request."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.core.page_cache import public_changed
from groundswell.reports.cache import report_changed, report_version
from groundswell.reports.models import Incident
from groundswell.reports.services.incidents import incident_update
from groundswell.reports.services.photos import photo_reject
from tests.factories import UserFactory, grant
from tests.factories.reports import IncidentFactory, PhotoFactory, ReportBackFactory, past_action

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


def test_an_action_leaving_the_public_list_leaves_the_cached_report_at_once(client):
    action = past_action(title="Kx-moving-title-7740")
    ReportBackFactory(action=action, text="Kx-report-text-8850")
    page = _report(client, action.campaign)
    assert "Kx-report-text-8850" in page
    # A moderator sends it back to the queue (as an organizer's edit does): it is public no longer.
    Action.objects.filter(pk=action.pk).update(status=Action.Status.PENDING, updated_at=timezone.now())
    public_changed(campaign_slug=action.campaign.slug, action_ids=[action.pk])  # as the services do
    page = _report(client, action.campaign)
    assert "Kx-report-text-8850" not in page and "Kx-moving-title-7740" not in page


def test_a_lost_version_never_brings_back_an_older_report(client, django_capture_on_commit_callbacks):
    action = past_action()
    campaign = action.campaign
    first = report_version(campaign.pk)
    report_changed(campaign.pk)
    second = report_version(campaign.pk)
    assert second != first
    cache.delete(f"campaign-report-version:{campaign.pk}")  # dropped by the cache
    assert report_version(campaign.pk) not in {first, second}
