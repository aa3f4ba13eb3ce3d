import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from groundswell.core.models import AuditEntry
from groundswell.organizations.models import Endorsement, Organization
from groundswell.organizations.services import (
    endorsement_approve,
    endorsement_reject,
    endorsement_submit,
    endorsement_verify,
    endorsement_withdraw,
)
from groundswell.organizations.tokens import (
    VERIFY,
    WITHDRAW,
    endorsement_from_token,
    endorsement_token,
    website_domain,
)
from tests.factories import CampaignFactory, actor

from .support import individual_input, link_in, organization_input, signed

pytestmark = pytest.mark.django_db


def submit(campaign, data, capture):
    with capture(execute=True):
        return endorsement_submit(campaign=campaign, data=data)


def test_submit_saves_an_unverified_endorsement_and_mails_a_verify_link(
    mailbox, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory()
    endorsement = submit(campaign, organization_input(), django_capture_on_commit_callbacks)
    assert endorsement.status == Endorsement.Status.UNVERIFIED
    organization = endorsement.organization
    assert (organization.name, organization.kind, organization.country.code) == (
        "Riverside Tenants Union",
        "union",
        "FR",
    )
    assert organization.website_domain == "riverside-tenants.example.org"
    assert organization.contact_email == "secretary@riverside-tenants.example.org"
    [message] = mailbox.wait_for(1)
    assert message["To"] == "secretary@riverside-tenants.example.org"
    token = link_in(mailbox.text_of(message), "verify")
    assert f"/endorse/verify/{token}/" in mailbox.html_of(message)
    assert link_in(mailbox.text_of(message), "withdraw") != token
    assert AuditEntry.objects.filter(verb="organizations.endorsement.submitted").count() == 1

    opened = endorsement_from_token(token, VERIFY, Endorsement.objects.all())
    endorsement_verify(endorsement=opened)
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.PENDING and endorsement.verified_at is not None


def test_verify_link_does_not_open_the_withdraw_door_and_tampering_opens_nothing(db):
    endorsement = signed(CampaignFactory())
    verify = endorsement_token(endorsement, VERIFY)
    queryset = Endorsement.objects.all()
    assert endorsement_from_token(verify, VERIFY, queryset) == endorsement
    assert endorsement_from_token(verify, WITHDRAW, queryset) is None
    assert endorsement_from_token(verify[:-1] + ("0" if verify[-1] != "0" else "1"), VERIFY, queryset) is None
    assert endorsement_from_token("", VERIFY, queryset) is None
    assert endorsement_from_token("x-y", VERIFY, queryset) is None


def test_second_submission_with_the_same_email_in_other_case_is_merged(
    mailbox, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory()
    first = submit(campaign, organization_input(), django_capture_on_commit_callbacks)
    second = submit(
        campaign,
        organization_input(
            name="Riverside Tenants' Union", website="", email="  Secretary@RIVERSIDE-tenants.example.org "
        ),
        django_capture_on_commit_callbacks,
    )
    assert second.pk == first.pk
    assert Endorsement.objects.count() == 1 and Organization.objects.count() == 1
    second.organization.refresh_from_db()
    assert second.organization.name == "Riverside Tenants' Union"
    first_mail, second_mail = mailbox.wait_for(2)
    # The first link stopped working: only the latest unverified submission can be confirmed.
    old = link_in(mailbox.text_of(first_mail), "verify")
    new = link_in(mailbox.text_of(second_mail), "verify")
    assert endorsement_from_token(old, VERIFY, Endorsement.objects.all()) is None
    assert endorsement_from_token(new, VERIFY, Endorsement.objects.all()).pk == first.pk


@pytest.mark.parametrize(
    "website",
    [
        "http://www.riverside-tenants.example.org",
        "https://RIVERSIDE-tenants.example.org/about/us?lang=fr",
        "https://www.riverside-tenants.example.org:443/",
    ],
)
def test_second_submission_from_the_same_website_domain_is_merged(
    website, mailbox, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory()
    first = submit(campaign, organization_input(), django_capture_on_commit_callbacks)
    second = submit(
        campaign,
        organization_input(website=website, email="press@riverside-tenants.example.org"),
        django_capture_on_commit_callbacks,
    )
    assert second.pk == first.pk
    assert Endorsement.objects.filter(campaign=campaign).count() == 1
    assert Organization.objects.count() == 1


def test_a_verified_endorsement_is_not_taken_over_by_a_new_submission(
    mailbox, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory()
    endorsement = submit(campaign, organization_input(), django_capture_on_commit_callbacks)
    endorsement_verify(endorsement=endorsement)
    mailbox.clear()
    again = submit(
        campaign,
        organization_input(
            name="Somebody Else",
            website="http://www.riverside-tenants.example.org/x",
            email="stranger@elsewhere.example.net",
        ),
        django_capture_on_commit_callbacks,
    )
    assert again.pk == endorsement.pk
    again.refresh_from_db()
    again.organization.refresh_from_db()
    assert again.status == Endorsement.Status.PENDING
    assert again.organization.name == "Riverside Tenants Union"
    assert again.organization.contact_email == "secretary@riverside-tenants.example.org"
    [message] = mailbox.wait_for(1)
    assert message["To"] == "stranger@elsewhere.example.net"
    text = mailbox.text_of(message)
    assert "already recorded" in text
    assert "/endorse/withdraw/" not in text  # only the signer's own address receives that link
    assert AuditEntry.objects.filter(verb="organizations.endorsement.merged").count() == 1


def test_the_same_campaign_only_merges(django_capture_on_commit_callbacks, mailbox):
    first = submit(CampaignFactory(), organization_input(), django_capture_on_commit_callbacks)
    second = submit(CampaignFactory(), organization_input(), django_capture_on_commit_callbacks)
    assert first.pk != second.pk


def test_bad_input_raises_by_field_and_saves_nothing(mailbox, django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    with pytest.raises(ValidationError) as raised:
        submit(
            campaign,
            organization_input(
                name="  ", email="not-an-email", country="XX", organization_kind="", website="ftp://x"
            ),
            django_capture_on_commit_callbacks,
        )
    assert set(raised.value.message_dict) == {"name", "email", "country", "organization_kind", "website"}
    assert not Endorsement.objects.exists() and not Organization.objects.exists()
    assert not AuditEntry.objects.exists()
    assert mailbox.wait_for(1, timeout=0.5) == []


def test_an_archived_campaign_takes_no_endorsement(django_capture_on_commit_callbacks):
    campaign = CampaignFactory(status="archived")
    with pytest.raises(ValidationError):
        submit(campaign, organization_input(), django_capture_on_commit_callbacks)
    assert not Endorsement.objects.exists()


def test_an_unlisted_individual_has_no_public_name(django_capture_on_commit_callbacks, mailbox):
    endorsement = submit(CampaignFactory(), individual_input(), django_capture_on_commit_callbacks)
    assert endorsement.is_individual and endorsement.signer_name == "Ilse Marwood"
    assert endorsement.organization.name == ""
    assert endorsement.organization.website == "" and endorsement.organization.kind == ""


def test_withdraw_takes_the_endorsement_out_and_erases_an_individual(
    django_capture_on_commit_callbacks, mailbox
):
    campaign = CampaignFactory()
    endorsement = submit(campaign, individual_input(list_publicly=True), django_capture_on_commit_callbacks)
    endorsement_verify(endorsement=endorsement)
    endorsement_approve(actor=actor("moderator", campaign), endorsement=endorsement)
    endorsement_withdraw(endorsement=endorsement)
    endorsement.refresh_from_db()
    endorsement.organization.refresh_from_db()
    assert endorsement.status == Endorsement.Status.WITHDRAWN and endorsement.withdrawn_at is not None
    assert endorsement.signer_name == "" and endorsement.organization.name == ""
    assert endorsement.organization.contact_email == ""
    assert not Endorsement.objects.filter(status=Endorsement.Status.APPROVED).exists()
    # Withdrawing twice changes nothing; a verify link of a withdrawn endorsement is refused.
    endorsement_withdraw(endorsement=endorsement)
    with pytest.raises(ValidationError):
        endorsement_verify(endorsement=endorsement)


@pytest.mark.parametrize("kind", ["coordinator", "moderator", "superuser"])
def test_moderators_approve_and_reject(kind, django_capture_on_commit_callbacks, mailbox):
    campaign = CampaignFactory()
    endorsement = signed(campaign, status=Endorsement.Status.PENDING)
    user = actor(kind, campaign)
    with django_capture_on_commit_callbacks(execute=True):
        endorsement_approve(actor=user, endorsement=endorsement)
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.APPROVED and endorsement.approved_at is not None
    [message] = mailbox.wait_for(1)
    assert "is public" in message["Subject"]
    with django_capture_on_commit_callbacks(execute=True):
        endorsement_reject(actor=user, endorsement=endorsement, reason="Not an organization we can verify.")
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.REJECTED
    assert "Not an organization we can verify." in mailbox.text_of(mailbox.wait_for(2)[1])
    verbs = list(AuditEntry.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["organizations.endorsement.approved", "organizations.endorsement.rejected"]
    assert AuditEntry.objects.filter(actor=user).count() == 2


@pytest.mark.parametrize(
    "kind", ["anonymous", "plain staff", "translator", "moderator elsewhere", "coordinator elsewhere"]
)
def test_others_cannot_moderate(kind):
    campaign = CampaignFactory()
    endorsement = signed(campaign, status=Endorsement.Status.PENDING)
    user = actor(kind, campaign)
    with pytest.raises(PermissionDenied):
        endorsement_approve(actor=user, endorsement=endorsement)
    with pytest.raises(PermissionDenied):
        endorsement_reject(actor=user, endorsement=endorsement, reason="No.")
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.PENDING
    assert not AuditEntry.objects.exists()


def test_reject_needs_a_reason_and_unverified_ones_cannot_be_approved():
    campaign = CampaignFactory()
    moderator = actor("moderator", campaign)
    pending = signed(campaign, status=Endorsement.Status.PENDING)
    with pytest.raises(ValidationError) as raised:
        endorsement_reject(actor=moderator, endorsement=pending, reason="  ")
    assert "reason" in raised.value.message_dict
    unverified = signed(campaign, status=Endorsement.Status.UNVERIFIED)
    with pytest.raises(ValidationError):
        endorsement_approve(actor=moderator, endorsement=unverified)
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Example.org/path", "example.org"),
        ("example.org", "example.org"),
        ("http://sub.example.org:8080/", "sub.example.org"),
        ("", ""),
        ("http://[::1", ""),
    ],
)
def test_website_domain(url, domain):
    assert website_domain(url) == domain
