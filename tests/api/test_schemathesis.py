"""Schemathesis generates requests from the OpenAPI document (valid and invalid ones) and sends them to the
Django WSGI application with a real test database holding data: no answer may be a server error, and every
answer must match the document (status code and body schema)."""

import datetime as dt
import zlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from groundswell.actions.models import Action
from groundswell.api.services import api_token_create
from groundswell.wsgi import application
from tests.factories import (
    ActionFactory,
    CampaignFactory,
    EndorsementFactory,
    OrganizationFactory,
    RSVPFactory,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def api_data(db):
    campaign = CampaignFactory(slug="clean-water")
    organization = OrganizationFactory()
    for index in range(3):
        action = ActionFactory(campaign=campaign, host_organization=organization if index else None)
        RSVPFactory(action=action)
    ActionFactory(
        campaign=campaign, location_precision=Action.Precision.ABOUT_1KM, status=Action.Status.CANCELLED
    )
    ActionFactory(
        campaign=campaign, status=Action.Status.PENDING, approved_at=None, host_organization=organization
    )
    EndorsementFactory(campaign=campaign)
    _api_token, token = api_token_create(actor=None, campaign=campaign, organization=organization)
    return {"campaign": campaign, "token": token, "day": campaign.start_date + dt.timedelta(days=5)}


@pytest.fixture
def keep_test_connection():
    """Django's WSGI handler closes "old" database connections around each request; the test's connection
    holds the test's transaction, so keep it open the way Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded when the module is collected (the document needs no database); each operation becomes a test.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
    database=None,
)
def test_api_answers_no_server_error_and_matches_its_document(case, api_data, keep_test_connection):
    # Half the requests on the campaign that holds data, and with the organization's valid token.
    if (
        case.path_parameters
        and "slug" in case.path_parameters
        and zlib.crc32(repr(case.path_parameters).encode()) % 2
    ):
        case.path_parameters["slug"] = "clean-water"
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_data['token']}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
