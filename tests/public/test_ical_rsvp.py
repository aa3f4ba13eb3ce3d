"""One person's private calendar of the actions they will join, opened by the token in their emails."""

import datetime as dt
import secrets

import pytest
from django.urls import reverse
from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.participation import tokens
from groundswell.participation.models import RSVP
from tests.factories import ActionFactory, CampaignFactory
from tests.public.test_ical import BASE_URL, body_of, events, read

pytestmark = pytest.mark.django_db

PERSON = "Amina.Person@Private.Example.org"
OTHER = "someone.else@private.example.org"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE_URL


def rsvp(action, email: str, status: str = RSVP.Status.CONFIRMED, name: str = "", language: str = "en"):
    return RSVP.objects.create(
        action=action,
        name=name,
        email=email,
        email_key=tokens.email_key(email),
        calendar_token_hash=tokens.calendar_token_hash(email),
        party_size=2,
        language=language,
        status=status,
        link_nonce=secrets.token_hex(16),
        requested_at=timezone.now(),
    )


def feed_url(email: str = PERSON, token: str | None = None, query: str = "") -> str:
    url = reverse("public:rsvp_calendar_feed", kwargs={"token": token or tokens.calendar_token(email)})
    return url + (f"?{query}" if query else "")


def assert_private(response):
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"


def test_rsvp_feed_lists_only_that_persons_confirmed_rsvps_to_public_actions(client):
    campaign = CampaignFactory()
    going = ActionFactory(campaign=campaign, title="Going")
    called_off = ActionFactory(campaign=campaign, title="Called off", status=Action.Status.CANCELLED)
    elsewhere = ActionFactory(title="In another campaign", timezone="Asia/Tokyo", city="Tokyo", country="JP")
    not_confirmed = ActionFactory(campaign=campaign, title="Not confirmed")
    withdrawn = ActionFactory(campaign=campaign, title="Withdrawn")
    back_in_moderation = ActionFactory(
        campaign=campaign, title="Back in moderation", status=Action.Status.PENDING
    )
    theirs = ActionFactory(campaign=campaign, title="Someone else's")
    for action in (going, called_off, elsewhere, back_in_moderation):
        rsvp(action, PERSON, name="Amina Person")
    rsvp(not_confirmed, PERSON, status=RSVP.Status.UNCONFIRMED, name="Amina Person")
    rsvp(withdrawn, PERSON, status=RSVP.Status.CANCELLED, name="Amina Person")
    rsvp(going, OTHER, name="Someone Else")
    rsvp(theirs, OTHER, name="Someone Else")

    response = client.get(feed_url(PERSON))
    found = events(read(response))

    assert set(found) == {going.pk, called_off.pk, elsewhere.pk}
    assert found[called_off.pk]["STATUS"] == "CANCELLED"
    assert found[elsewhere.pk]["DTSTART"].params["TZID"] == "Asia/Tokyo"
    text = body_of(response).decode()
    for secret in ("private.example", "Amina", "Someone Else", tokens.calendar_token(PERSON)):
        assert secret.casefold() not in text.casefold(), secret
    assert_private(response)


def test_rsvp_feed_token_is_the_same_whatever_the_emails_case(client):
    action = ActionFactory()
    rsvp(action, PERSON)

    response = client.get(feed_url(PERSON.lower()))

    assert set(events(read(response))) == {action.pk}


def test_rsvp_feed_of_a_person_with_no_confirmed_rsvp_is_an_empty_calendar(client):
    rsvp(ActionFactory(), PERSON, status=RSVP.Status.UNCONFIRMED)

    response = client.get(feed_url(PERSON))

    assert read(response).walk("VEVENT") == []
    assert_private(response)


@pytest.mark.parametrize(
    "token",
    [
        tokens.calendar_token("nobody@private.example.org"),  # well formed, nobody's
        "0" * 40,
        "x" * 101,
    ],
)
def test_rsvp_feed_unknown_token_gives_404(client, token):
    rsvp(ActionFactory(), PERSON)

    response = client.get(feed_url(token=token))

    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert_private(response)


def test_rsvp_feed_of_erased_rsvps_gives_404(client):
    """After the retention period the personal data is erased (its token hash with it)."""
    row = rsvp(ActionFactory(), PERSON)
    token = tokens.calendar_token(PERSON)
    RSVP.objects.filter(pk=row.pk).update(
        email="", name="", email_key="", calendar_token_hash="", erased_at=timezone.now()
    )

    assert client.get(feed_url(token=token)).status_code == 404


def test_rsvp_feed_is_in_the_language_of_the_persons_latest_rsvp(client):
    earlier = ActionFactory()
    rsvp(earlier, PERSON, language="de")
    RSVP.objects.filter(action=earlier).update(created_at=timezone.now() - dt.timedelta(days=1))
    action = ActionFactory()
    rsvp(action, PERSON, language="fr")

    french = read(client.get(feed_url(PERSON)))
    spanish = read(client.get(feed_url(PERSON, query="lang=es")))

    assert events(french)[action.pk]["LOCATION"] == "Market square, Berlin, Allemagne"
    assert events(spanish)[action.pk]["LOCATION"] == "Market square, Berlin, Alemania"
    assert french["X-WR-CALNAME"]
