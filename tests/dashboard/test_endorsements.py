"""The dashboard's moderation of endorsements."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groundswell.core.models import AuditEntry
from groundswell.organizations.models import Endorsement
from tests.factories import CampaignFactory, actor
from tests.organizations.support import signed

pytestmark = pytest.mark.django_db


def url(campaign, name="endorsements", **kwargs) -> str:
    return reverse(f"dashboard:{name}", kwargs={"slug": campaign.slug, **kwargs})


def test_moderator_sees_the_verified_ones_with_their_private_email(client):
    campaign = CampaignFactory()
    pending = signed(campaign, status=Endorsement.Status.PENDING, name="Canal Neighbours")
    signed(campaign, status=Endorsement.Status.UNVERIFIED, name="Not Yet Verified Group")
    client.force_login(actor("moderator", campaign))
    response = client.get(url(campaign))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Canal Neighbours" in body and pending.organization.contact_email in body
    assert "Not Yet Verified Group" not in body
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_campaign_navigation_links_the_endorsements(client):
    campaign = CampaignFactory()
    client.force_login(actor("moderator", campaign))
    body = client.get(reverse("dashboard:queue", kwargs={"slug": campaign.slug})).content.decode()
    assert url(campaign) in body


@pytest.mark.parametrize(
    ("kind", "status"), [("translator", 403), ("coordinator elsewhere", 404), ("plain staff", 404)]
)
def test_others_may_not_see_or_decide(client, kind, status):
    campaign = CampaignFactory()
    endorsement = signed(campaign, status=Endorsement.Status.PENDING)
    client.force_login(actor(kind, campaign))
    assert client.get(url(campaign)).status_code == status
    assert client.post(url(campaign, "endorsement_approve", pk=endorsement.pk)).status_code == status
    assert (
        client.post(url(campaign, "endorsement_reject", pk=endorsement.pk), {"reason": "x"}).status_code
        == status
    )
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.PENDING


def test_anonymous_is_sent_to_log_in(client):
    campaign = CampaignFactory()
    response = client.get(url(campaign))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_approve_makes_it_public_and_mails_the_signer(client, mailbox, django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    endorsement = signed(campaign, status=Endorsement.Status.PENDING, name="Canal Neighbours")
    client.force_login(actor("moderator", campaign))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(campaign, "endorsement_approve", pk=endorsement.pk))
    assert response.status_code == 302 and response["Location"] == url(campaign)
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.APPROVED
    [message] = mailbox.wait_for(1)
    assert message["To"] == endorsement.organization.contact_email
    assert "/endorse/withdraw/" in mailbox.text_of(message)
    public = client.get(reverse("public:signatories", kwargs={"slug": campaign.slug})).content.decode()
    assert "Canal Neighbours" in public


def test_reject_with_a_reason(client, mailbox, django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    endorsement = signed(campaign, status=Endorsement.Status.PENDING)
    client.force_login(actor("coordinator", campaign))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(campaign, "endorsement_reject", pk=endorsement.pk),
            {"reason": "We could not find this group."},
        )
    assert response.status_code == 302
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.REJECTED
    assert endorsement.decision_reason == "We could not find this group."
    assert "We could not find this group." in mailbox.text_of(mailbox.wait_for(1)[0])
    assert AuditEntry.objects.filter(
        verb="organizations.endorsement.rejected", message__contains="could not"
    ).exists()


def test_reject_without_a_reason_answers_400_and_changes_nothing(client):
    campaign = CampaignFactory()
    endorsement = signed(campaign, status=Endorsement.Status.PENDING)
    client.force_login(actor("moderator", campaign))
    response = client.post(url(campaign, "endorsement_reject", pk=endorsement.pk), {"reason": " "})
    assert response.status_code == 400
    assert "Give a reason: it is sent to the signer." in response.content.decode()
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.PENDING
    assert not AuditEntry.objects.exists()


def test_deciding_twice_says_so(client):
    campaign = CampaignFactory()
    endorsement = signed(campaign, status=Endorsement.Status.APPROVED)
    client.force_login(actor("moderator", campaign))
    response = client.post(url(campaign, "endorsement_approve", pk=endorsement.pk), follow=True)
    assert "not waiting for moderation any more" in response.content.decode()


def test_an_endorsement_of_another_campaign_is_404(client):
    campaign = CampaignFactory()
    elsewhere = signed(CampaignFactory(), status=Endorsement.Status.PENDING)
    client.force_login(actor("moderator", campaign))
    assert client.post(url(campaign, "endorsement_approve", pk=elsewhere.pk)).status_code == 404


def test_queue_query_count_is_the_same_for_1_and_3_rows(client, django_assert_num_queries):
    campaign = CampaignFactory()
    signed(campaign, status=Endorsement.Status.PENDING)
    client.force_login(actor("moderator", campaign))
    client.get(url(campaign))
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(campaign)).status_code == 200
    signed(campaign, status=Endorsement.Status.PENDING, country="FR")
    signed(campaign, status=Endorsement.Status.PENDING, individual=True)
    with django_assert_num_queries(len(one)):
        response = client.get(url(campaign))
    assert response.content.decode().count('<tr id="endorsement-') == 3
