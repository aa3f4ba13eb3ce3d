"""Helpers of the endorsement tests: a valid signature, and the links found in a real email."""

import re
import secrets

from groundswell.organizations.models import Endorsement
from groundswell.organizations.services import EndorsementInput
from tests.factories import EndorsementFactory, OrganizationFactory


def organization_input(**overrides) -> EndorsementInput:
    values = {
        "signer_kind": "organization",
        "name": "Riverside Tenants Union",
        "organization_kind": "union",
        "website": "https://riverside-tenants.example.org/",
        "country": "FR",
        "email": "secretary@riverside-tenants.example.org",
        "language": "en",
    }
    values.update(overrides)
    return EndorsementInput(**values)


def individual_input(**overrides) -> EndorsementInput:
    values = {
        "signer_kind": "individual",
        "name": "Ilse Marwood",
        "country": "DE",
        "email": "ilse.marwood@private.example.net",
        "list_publicly": False,
        "language": "en",
    }
    values.update(overrides)
    return EndorsementInput(**values)


def form_data(**overrides) -> dict:
    data = {
        "signer_kind": "organization",
        "name": "Riverside Tenants Union",
        "organization_kind": "union",
        "website": "https://riverside-tenants.example.org/",
        "country": "FR",
        "email": "secretary@riverside-tenants.example.org",
        "language": "en",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def link_in(text: str, kind: str) -> str:
    """The token of the ``kind`` ("verify" or "withdraw") link in an email's text."""
    match = re.search(rf"/endorse/{kind}/([0-9]+-[0-9a-f]{{32}})/", text)
    assert match, f"no {kind} link in: {text}"
    return match.group(1)


def signed(
    campaign, *, country="DE", individual=False, listed=True, status=Endorsement.Status.APPROVED, **org
):
    """An endorsement as the services leave it (a link nonce, an individual's private name)."""
    if individual:
        name = org.pop("name", "Ada Quill")
        organization = OrganizationFactory(
            name=name if listed else "", country=country, website="", kind="", **org
        )
        return EndorsementFactory(
            campaign=campaign,
            organization=organization,
            status=status,
            signer_kind="individual",
            signer_name=name,
            list_publicly=listed,
            link_nonce=secrets.token_hex(16),
        )
    organization = OrganizationFactory(country=country, kind=org.pop("kind", "ngo"), **org)
    return EndorsementFactory(
        campaign=campaign, organization=organization, status=status, link_nonce=secrets.token_hex(16)
    )
