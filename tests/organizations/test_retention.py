"""Endorsements never verified are deleted with their private email; verified ones stay."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.organizations.models import Endorsement, Organization
from groundswell.organizations.retention import endorsement_purge_unverified
from groundswell.organizations.services import endorsement_submit
from tests.factories import ActionFactory, CampaignFactory, EndorsementFactory
from tests.organizations.support import organization_input

pytestmark = pytest.mark.django_db


def test_unverified_endorsement_and_its_private_email_go_after_the_confirmation_days(settings):
    settings.ENDORSEMENT_CONFIRM_DAYS = 7
    campaign = CampaignFactory()
    endorsement = endorsement_submit(
        campaign=campaign, data=organization_input(email="unverified@private.example.org")
    )
    verified = EndorsementFactory(campaign=campaign)
    asked = endorsement.requested_at

    assert endorsement_purge_unverified(now=asked + dt.timedelta(days=6, hours=23)) == 0
    assert endorsement_purge_unverified(now=asked + dt.timedelta(days=7, minutes=1)) == 1

    assert list(Endorsement.objects.all()) == [verified]
    assert not Organization.objects.filter(contact_email="unverified@private.example.org").exists()


def test_asking_again_restarts_the_wait():
    campaign = CampaignFactory()
    first = endorsement_submit(campaign=campaign, data=organization_input(email="again@private.example.org"))
    Endorsement.objects.filter(pk=first.pk).update(requested_at=timezone.now() - dt.timedelta(days=6))
    endorsement_submit(campaign=campaign, data=organization_input(email="again@private.example.org"))

    assert endorsement_purge_unverified(now=timezone.now() + dt.timedelta(days=2)) == 0
    assert Endorsement.objects.filter(pk=first.pk).exists()


def test_an_organization_that_hosts_an_action_is_kept(settings):
    campaign = CampaignFactory()
    endorsement = endorsement_submit(
        campaign=campaign, data=organization_input(email="host@private.example.org")
    )
    ActionFactory(campaign=campaign, host_organization=endorsement.organization)

    assert endorsement_purge_unverified(now=timezone.now() + dt.timedelta(days=30)) == 1
    assert Organization.objects.filter(pk=endorsement.organization_id).exists()
    assert Action.objects.get().host_organization_id == endorsement.organization_id


def test_purge_command_reports_unverified_endorsements(settings):
    settings.ENDORSEMENT_CONFIRM_DAYS = 0
    endorsement_submit(campaign=CampaignFactory(), data=organization_input(email="cmd@private.example.org"))
    out = io.StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert "Would delete 1 endorsement(s) never verified within 0 days." in out.getvalue()
    assert Endorsement.objects.count() == 1
    call_command("purge", stdout=(out := io.StringIO()))
    assert "Deleted 1 endorsement(s)" in out.getvalue()
    assert Endorsement.objects.count() == 0
