"""The endorsement pages: form, "check your inbox", the signer's private links, the public list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groundswell.core.page_cache import public_changed
from groundswell.organizations.models import Endorsement, Organization
from tests.factories import CampaignFactory
from tests.organizations.support import form_data, link_in, signed

pytestmark = pytest.mark.django_db


def endorse_url(campaign, name="endorse", **kwargs) -> str:
    return reverse(f"public:{name}", kwargs={"slug": campaign.slug, **kwargs})


def post(client, campaign, capture, **overrides):
    with capture(execute=True):
        return client.post(endorse_url(campaign), form_data(**overrides))


def assert_private(response):
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"


def test_form_page_offers_the_form(client):
    campaign = CampaignFactory()
    response = client.get(endorse_url(campaign))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="signer_kind"' in body and 'name="organization_kind"' in body and 'name="homepage"' in body
    # The empty form is the same for everyone: a shared document with no token or cookie in it.
    assert "public" in response["Cache-Control"] and not response.cookies
    assert "csrfmiddlewaretoken" not in body


def test_endorse_verify_by_the_emailed_link_then_moderation(
    client, mailbox, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory()
    response = post(client, campaign, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == endorse_url(campaign, "endorse_sent")
    sent = client.get(response["Location"])
    assert "Check your inbox" in sent.content.decode()
    endorsement = Endorsement.objects.get()
    assert endorsement.status == Endorsement.Status.UNVERIFIED

    [message] = mailbox.wait_for(1)
    assert message["To"] == "secretary@riverside-tenants.example.org"
    token = link_in(mailbox.text_of(message), "verify")
    verify_url = endorse_url(campaign, "endorse_verify", token=token)

    # Opening the link (as a mail scanner would) changes nothing: it takes the button.
    page = client.get(verify_url)
    assert page.status_code == 200
    assert_private(page)
    assert "Confirm my endorsement" in page.content.decode()
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.UNVERIFIED

    # Exempt from CSRF: the secret link is the credential (and no-referrer sends Origin: null).
    csrf_client = client.__class__(enforce_csrf_checks=True)
    confirmed = csrf_client.post(verify_url)
    assert confirmed.status_code == 302
    assert_private(confirmed)
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.PENDING
    assert "waits for a moderator" in client.get(verify_url).content.decode()


def test_the_same_email_twice_makes_one_row_and_the_same_answer(
    client, mailbox, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory()
    first = post(client, campaign, django_capture_on_commit_callbacks)
    second = post(
        client, campaign, django_capture_on_commit_callbacks, email="SECRETARY@Riverside-Tenants.example.org"
    )
    third = post(
        client,
        campaign,
        django_capture_on_commit_callbacks,
        email="info@riverside-tenants.example.org",
        website="http://www.riverside-tenants.example.org/en/",
    )
    assert first.status_code == second.status_code == third.status_code == 302
    assert first["Location"] == second["Location"] == third["Location"]
    assert Endorsement.objects.count() == 1 and Organization.objects.count() == 1
    assert len(mailbox.wait_for(3)) == 3


def test_bad_input_answers_400_with_messages_and_saves_nothing(
    client, mailbox, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory()
    response = post(
        client,
        campaign,
        django_capture_on_commit_callbacks,
        name="",
        email="nope",
        country="",
        organization_kind="",
        website="not a website",
    )
    assert response.status_code == 400
    body = response.content.decode()
    for message in (
        "Enter the name to sign with.",
        "Enter a valid email address, like name@example.org.",
        "Choose a country.",
        "Choose the kind of organization.",
        "Enter the website’s address, like https://example.org.",
        "Nothing has been saved.",
    ):
        assert message.replace("’", "&#x27;").replace("'", "&#x27;") in body or message in body, message
    assert not Endorsement.objects.exists() and not Organization.objects.exists()
    assert mailbox.wait_for(1, timeout=0.5) == []


def test_an_individual_needs_no_kind_of_organization(client, mailbox, django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    response = post(
        client,
        campaign,
        django_capture_on_commit_callbacks,
        signer_kind="individual",
        name="Ilse Marwood",
        organization_kind="",
        website="https://ignored.example.org/",
        email="ilse@private.example.net",
    )
    assert response.status_code == 302
    endorsement = Endorsement.objects.get()
    assert endorsement.is_individual and not endorsement.list_publicly
    assert endorsement.organization.name == "" and endorsement.organization.website == ""


def test_honeypot_looks_like_success_and_saves_nothing(client, mailbox, django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    response = post(client, campaign, django_capture_on_commit_callbacks, homepage="http://spam.example")
    assert response.status_code == 302 and response["Location"] == endorse_url(campaign, "endorse_sent")
    assert not Endorsement.objects.exists()


def test_too_many_submissions_from_one_connection(
    client, settings, mailbox, django_capture_on_commit_callbacks
):
    settings.SUBMISSIONS_PER_HOUR = 1
    campaign = CampaignFactory()
    assert post(client, campaign, django_capture_on_commit_callbacks).status_code == 302
    response = post(client, campaign, django_capture_on_commit_callbacks, email="other@example.org")
    assert response.status_code == 429
    assert "Too many submissions" in response.content.decode()
    assert Endorsement.objects.count() == 1


def test_an_archived_campaign_shows_no_form(client, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(status="archived")
    response = post(client, campaign, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "takes no more endorsements" in response.content.decode()
    assert 'name="signer_kind"' not in response.content.decode()
    assert not Endorsement.objects.exists()


def test_withdraw_by_the_secret_link(client, mailbox, django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    post(client, campaign, django_capture_on_commit_callbacks)
    [message] = mailbox.wait_for(1)
    endorsement = Endorsement.objects.get()
    endorsement.status = Endorsement.Status.APPROVED
    endorsement.save()
    assert "Riverside Tenants Union" in client.get(endorse_url(campaign, "signatories")).content.decode()

    url = endorse_url(campaign, "endorse_withdraw", token=link_in(mailbox.text_of(message), "withdraw"))
    page = client.get(url)
    assert page.status_code == 200
    assert_private(page)
    unticked = client.post(url)
    assert unticked.status_code == 302
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.APPROVED

    done = client.__class__(enforce_csrf_checks=True).post(url, {"confirm": "yes"})
    assert done.status_code == 302
    assert_private(done)
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.WITHDRAWN
    assert "Riverside Tenants Union" not in client.get(endorse_url(campaign, "signatories")).content.decode()


@pytest.mark.parametrize("name", ["endorse_verify", "endorse_withdraw"])
def test_a_damaged_or_foreign_link_is_404(client, name):
    campaign = CampaignFactory()
    endorsement = signed(campaign, status=Endorsement.Status.UNVERIFIED)
    from groundswell.organizations.tokens import VERIFY, WITHDRAW, endorsement_token

    token = endorsement_token(endorsement, VERIFY if name == "endorse_verify" else WITHDRAW)
    assert client.get(endorse_url(campaign, name, token=token)).status_code == 200
    assert client.get(endorse_url(campaign, name, token=token[:-2] + "00")).status_code == 404
    assert client.get(endorse_url(CampaignFactory(), name, token=token)).status_code == 404
    assert client.post(endorse_url(campaign, name, token="1-" + "0" * 32)).status_code == 404


def test_signatories_page_groups_by_country(client):
    campaign = CampaignFactory()
    signed(campaign, country="FR", name="Alpha Union", website="https://alpha.example.org/")
    signed(campaign, country="DE", individual=True, listed=True, name="Ada Quill")
    signed(campaign, country="DE", individual=True, listed=False, name="Hidden Person")
    signed(campaign, country="DE", name="Pending Group", status=Endorsement.Status.PENDING)
    response = client.get(endorse_url(campaign, "signatories"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "France" in body and "Germany" in body
    assert '<a href="https://alpha.example.org/" rel="nofollow ugc noopener">Alpha Union</a>' in body
    assert "Ada Quill" in body and "and 1 individual" in body
    assert "Hidden Person" not in body and "Pending Group" not in body
    assert "1 organization" in body and "2 individuals" in body


def test_signatories_page_query_count_does_not_grow(client, django_assert_num_queries):
    campaign = CampaignFactory()
    signed(campaign)
    url = endorse_url(campaign, "signatories")
    client.get(url)  # sessions, caches and the like warmed up
    public_changed(campaign_slug=campaign.slug)  # the page itself rendered again, not read from the cache
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    signed(campaign, country="FR")
    signed(campaign, individual=True)
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert response.status_code == 200


def test_campaign_page_links_to_the_form_and_the_list(client):
    campaign = CampaignFactory()
    body = client.get(reverse("public:campaign", kwargs={"slug": campaign.slug})).content.decode()
    assert endorse_url(campaign) in body and endorse_url(campaign, "signatories") in body


def test_campaign_page_counts_endorsing_organizations_only(client):
    campaign = CampaignFactory()
    signed(campaign)
    signed(campaign, country="FR")
    signed(campaign, individual=True, listed=True)
    signed(campaign, status=Endorsement.Status.PENDING)
    body = client.get(reverse("public:campaign", kwargs={"slug": campaign.slug})).content.decode()
    assert "<strong>2</strong> endorsing organizations" in body
