import pytest

from groundswell.api.services import api_token_create
from tests.factories import CampaignFactory, OrganizationFactory


@pytest.fixture
def campaign(db):
    return CampaignFactory(slug="clean-water")


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="River Friends", contact_email="office@river-friends.example.org")


@pytest.fixture
def token(campaign, organization):
    """A valid token of ``organization`` for ``campaign``."""
    _api_token, value = api_token_create(actor=None, campaign=campaign, organization=organization)
    return value


@pytest.fixture
def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
