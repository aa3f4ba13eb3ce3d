"""No personal data of signers in any public page: create distinctive data and look for it."""

import pytest
from django.urls import reverse

from groundswell.organizations.models import Endorsement
from groundswell.organizations.services import endorsement_approve, endorsement_submit, endorsement_verify
from tests.factories import ActionFactory, CampaignFactory, actor
from tests.organizations.support import individual_input, organization_input

pytestmark = pytest.mark.django_db

ORG_EMAIL = "zq-org-7731@leak-canary.example.net"
PERSON_EMAIL = "zq-person-7731@leak-canary.example.net"
HIDDEN_NAME = "Quillon Vareth-Sandoval"


def test_no_contact_email_or_unlisted_name_in_any_public_page(
    client, mailbox, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory()
    ActionFactory(campaign=campaign)
    moderator = actor("moderator", campaign)
    with django_capture_on_commit_callbacks(execute=True):
        for data in (
            organization_input(email=ORG_EMAIL),
            individual_input(email=PERSON_EMAIL, name=HIDDEN_NAME, list_publicly=False),
        ):
            endorsement = endorsement_submit(campaign=campaign, data=data)
            endorsement_verify(endorsement=endorsement)
            endorsement_approve(actor=moderator, endorsement=endorsement)
    assert Endorsement.objects.filter(status="approved").count() == 2

    slug = {"slug": campaign.slug}
    urls = [
        reverse("public:home"),
        reverse("public:campaign", kwargs=slug),
        reverse("public:signatories", kwargs=slug),
        reverse("public:endorse", kwargs=slug),
        reverse("public:endorse_sent", kwargs=slug),
        reverse("public:action_list", kwargs=slug),
        reverse("public:map_data", kwargs=slug),
        reverse("public:campaign_ics", kwargs=slug),
    ]
    seen = 0
    for url in urls:
        response = client.get(url, follow=True)
        body = response.content.decode()
        for secret in (ORG_EMAIL, PERSON_EMAIL, "leak-canary", HIDDEN_NAME, "Quillon"):
            assert secret not in body, (url, secret)
        seen += "Riverside Tenants Union" in body
    assert seen >= 1  # the approved organization is public somewhere: the search above looked at real pages
    signatories = client.get(reverse("public:signatories", kwargs=slug)).content.decode()
    assert "Riverside Tenants Union" in signatories and "and 1 individual" in signatories
