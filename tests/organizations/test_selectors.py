import pytest
from django.utils import translation

from groundswell.organizations.models import Endorsement
from groundswell.organizations.selectors import endorsement_moderation_queue, endorsement_public_groups
from tests.factories import CampaignFactory

from .support import signed

pytestmark = pytest.mark.django_db


def test_public_groups_by_country_with_counts_and_only_approved():
    campaign = CampaignFactory()
    signed(campaign, country="FR", name="Zebra Collective")
    signed(campaign, country="FR", name="Alpha Union")
    signed(campaign, country="DE", name="Berlin Water Friends")
    signed(campaign, country="DE", individual=True, listed=True, name="Ada Quill")
    signed(campaign, country="DE", individual=True, listed=False, name="Hidden Person")
    signed(campaign, country="DE", name="Pending Group", status=Endorsement.Status.PENDING)
    signed(campaign, country="DE", name="Withdrawn Group", status=Endorsement.Status.WITHDRAWN)
    signed(CampaignFactory(), country="DE", name="Other Campaign Group")

    with translation.override("en"):
        result = endorsement_public_groups(campaign=campaign)
    assert (result.organizations, result.individuals, result.total) == (3, 2, 5)
    assert [(group.code, group.name, group.count) for group in result.groups] == [
        ("FR", "France", 2),
        ("DE", "Germany", 3),
    ]
    france, germany = result.groups
    assert [s.name for s in france.organizations] == ["Alpha Union", "Zebra Collective"]
    assert [s.name for s in germany.named_individuals] == ["Ada Quill"]
    assert germany.unnamed_individuals == 1
    names = repr(result)
    assert "Hidden Person" not in names and "Pending Group" not in names and "@" not in names


def test_country_names_follow_the_language():
    campaign = CampaignFactory()
    signed(campaign, country="DE")
    signed(campaign, country="ES")
    with translation.override("fr"):
        groups = endorsement_public_groups(campaign=campaign).groups
    assert [group.name for group in groups] == ["Allemagne", "Espagne"]


def test_moderation_queue_holds_only_verified_pending_ones():
    campaign = CampaignFactory()
    pending = signed(campaign, status=Endorsement.Status.PENDING)
    signed(campaign, status=Endorsement.Status.UNVERIFIED)
    signed(campaign, status=Endorsement.Status.APPROVED)
    assert list(endorsement_moderation_queue(campaign=campaign)) == [pending]
