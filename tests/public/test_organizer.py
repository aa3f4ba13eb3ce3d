import datetime as dt

import pytest
from django.urls import reverse

from groundswell.actions.models import Action
from groundswell.actions.services import action_submit
from groundswell.core.models import AuditEntry
from groundswell.public.forms import ActionForm
from tests.factories import ActionFactory, CampaignFactory

pytestmark = pytest.mark.django_db


def submit(campaign, **changes):
    """Registers an action through the service the form uses, returning it and its secret token."""
    day = campaign.start_date + dt.timedelta(days=2)
    data = {
        "action_type": "rally",
        "title": "Rally at the water works",
        "description": "Speeches.",
        "starts_local": f"{day}T11:00",
        "ends_local": f"{day}T13:00",
        "city": "Lyon",
        "country": "FR",
        "venue": "Place Bellecour",
        "location_precision": "exact",
        "host_name": "",
        "online_url": "",
        "contact_email": "host@private.example.net",
        **changes,
    }
    form = ActionForm(data, campaign=campaign)
    assert form.is_valid(), form.errors
    return action_submit(campaign=campaign, data=form.action_input), data


def organizer_url(token):
    return reverse("public:organizer", kwargs={"token": token})


def test_organizer_page_needs_the_right_token(client):
    assert client.get(organizer_url("not-a-real-token")).status_code == 404
    assert client.get(organizer_url("x" * 500)).status_code == 404


def test_organizer_page_shows_action_privately(client):
    campaign = CampaignFactory()
    (action, token), _data = submit(campaign)
    response = client.get(organizer_url(token))
    assert response.status_code == 200
    assert "Rally at the water works" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_editing_pending_action_keeps_it_pending_without_diff(client):
    campaign = CampaignFactory()
    (action, token), data = submit(campaign)
    response = client.post(organizer_url(token), {**data, "title": "Rally at the old water works"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Rally at the old water works"
    assert action.status == Action.Status.PENDING
    assert action.pending_changes == {}


def test_editing_approved_action_sends_it_back_with_changes(client):
    campaign = CampaignFactory()
    (action, token), data = submit(campaign)
    Action.objects.filter(pk=action.pk).update(
        status=Action.Status.APPROVED, approved_at=dt.datetime.now(dt.UTC)
    )
    new_day = campaign.start_date + dt.timedelta(days=4)
    response = client.post(
        organizer_url(token),
        {
            **data,
            "title": "Rally moved",
            "starts_local": f"{new_day}T15:00",
            "ends_local": f"{new_day}T16:00",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.PENDING
    assert action.pending_changes["title"] == ["Rally at the water works", "Rally moved"]
    assert set(action.pending_changes) == {"title", "starts_at", "ends_at"}
    assert action.local_date == new_day
    assert AuditEntry.objects.filter(verb="actions.action.edited", target_id=str(action.pk)).exists()


def test_edit_with_bad_input_changes_nothing(client):
    campaign = CampaignFactory()
    (action, token), data = submit(campaign)
    response = client.post(organizer_url(token), {**data, "title": "", "contact_email": "nope"})
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.title == "Rally at the water works"
    assert action.contact_email == "host@private.example.net"


def test_cancel_needs_confirmation_then_cancels(client):
    campaign = CampaignFactory()
    (action, token), _data = submit(campaign)
    client.post(reverse("public:organizer_cancel", kwargs={"token": token}), {})
    action.refresh_from_db()
    assert action.status == Action.Status.PENDING
    client.post(reverse("public:organizer_cancel", kwargs={"token": token}), {"confirm": "yes"})
    action.refresh_from_db()
    assert action.status == Action.Status.CANCELLED
    assert AuditEntry.objects.filter(verb="actions.action.cancelled").count() == 1


def test_cancelled_approved_action_stays_visible_marked_cancelled(client):
    action = ActionFactory(status=Action.Status.CANCELLED)
    html = client.get(action.get_absolute_url()).content.decode()
    assert "has been cancelled" in html


def test_cancelled_never_approved_action_is_not_public(client):
    action = ActionFactory(status=Action.Status.CANCELLED, approved_at=None)
    assert client.get(action.get_absolute_url()).status_code == 404


def test_organizer_page_is_read_only_once_the_campaign_is_archived(client):
    from groundswell.campaigns.models import Campaign

    campaign = CampaignFactory()
    (action, token), data = submit(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.ARCHIVED)
    page = client.get(organizer_url(token))
    assert page.status_code == 200 and not page.context["editable"]
    client.post(organizer_url(token), {**data, "title": "Changed after the end"})
    client.post(reverse("public:organizer_cancel", kwargs={"token": token}), {"confirm": "yes"})
    action.refresh_from_db()
    assert action.title == "Rally at the water works" and action.status == Action.Status.PENDING


def test_organizer_page_tells_browsers_not_to_send_the_secret_as_referer(client):
    (action, token), _data = submit(CampaignFactory())
    assert client.get(organizer_url(token))["Referrer-Policy"] == "no-referrer"


def test_cancelling_a_rejected_action_is_refused_with_a_message(client):
    campaign = CampaignFactory()
    (action, token), _data = submit(campaign)
    Action.objects.filter(pk=action.pk).update(status=Action.Status.REJECTED)
    response = client.post(
        reverse("public:organizer_cancel", kwargs={"token": token}), {"confirm": "yes"}, follow=True
    )
    assert "nothing to cancel" in response.content.decode()
    action.refresh_from_db()
    assert action.status == Action.Status.REJECTED
