"""Shared by the RSVP tests: the form's data, and RSVPs made through the services the pages call."""

import re

from django.urls import reverse

from groundswell.participation.models import RSVP
from groundswell.participation.services import RSVPInput, rsvp_confirm, rsvp_submit
from groundswell.participation.tokens import rsvp_token

MANAGE_LINK = re.compile(r"https?://[^\s\"'<>]+/r/([0-9]+-[0-9a-f]{32})/")


def rsvp_url(action) -> str:
    return reverse("public:rsvp", kwargs={"slug": action.campaign.slug, "pk": action.pk})


def sent_url(action) -> str:
    return reverse("public:rsvp_sent", kwargs={"slug": action.campaign.slug, "pk": action.pk})


def manage_url(token: str, name: str = "rsvp_manage") -> str:
    return reverse(f"public:{name}", kwargs={"token": token})


def form_data(**changes) -> dict:
    data = {
        "name": "Wren Harrow",
        "email": "wren@private.example.net",
        "party_size": "2",
        "language": "en",
        "submission_id": "first-submission-0001",
        "homepage": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def make_rsvp(action, *, email, name="", party_size=1, share=False, confirmed=True, language="en") -> RSVP:
    """An RSVP made the way the form makes it, confirmed unless asked otherwise."""
    rsvp = rsvp_submit(
        action=action,
        data=RSVPInput(
            email=email,
            name=name,
            party_size=party_size,
            share_with_organizer=share,
            language=language,
            submission_id=f"made-{email}",
        ),
    )
    if confirmed:
        rsvp = rsvp_confirm(rsvp=rsvp)
    return rsvp


def token_of(rsvp) -> str:
    return rsvp_token(rsvp)


def manage_token_in(text: str) -> str:
    match = MANAGE_LINK.search(text)
    assert match, text
    return match.group(1)
