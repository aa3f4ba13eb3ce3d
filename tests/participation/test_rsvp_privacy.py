"""Names and emails of people who RSVP appear in no public page, feed or data: create them, look for them."""

import datetime as dt

import pytest
from django.urls import reverse

from groundswell.participation.models import RSVP
from groundswell.participation.tokens import rsvp_token
from tests.factories import ActionFactory, RSVPFactory

pytestmark = pytest.mark.django_db

NAMES = ["Quillon Ashdown", "Marisol Feathergill", "Unconfirmed Tamsin"]
EMAILS = [
    "quillon.rsvp@secret-inbox.example",
    "marisol.rsvp@secret-inbox.example",
    "tamsin@secret-inbox.example",
]


@pytest.fixture
def action():
    now = dt.datetime.now(dt.UTC)
    # Happening now, so that the "now" view lists it too.
    action = ActionFactory(starts_at=now - dt.timedelta(minutes=30), ends_at=now + dt.timedelta(hours=2))
    RSVPFactory(action=action, name=NAMES[0], email=EMAILS[0], share_with_organizer=True, party_size=3)
    RSVPFactory(action=action, name=NAMES[1], email=EMAILS[1])
    RSVPFactory(action=action, name=NAMES[2], email=EMAILS[2], status=RSVP.Status.UNCONFIRMED)
    return action


def public_urls(action) -> list[str]:
    slug, pk = action.campaign.slug, action.pk
    return [
        reverse("public:campaign", kwargs={"slug": slug}),
        reverse("public:action_list", kwargs={"slug": slug}),
        reverse("public:action_list", kwargs={"slug": slug}) + "?country=DE",
        reverse("public:action", kwargs={"slug": slug, "pk": pk}),
        reverse("public:action_poster", kwargs={"slug": slug, "pk": pk}),
        reverse("public:action_popup", kwargs={"slug": slug, "pk": pk}),
        reverse("public:rsvp", kwargs={"slug": slug, "pk": pk}),
        reverse("public:rsvp_sent", kwargs={"slug": slug, "pk": pk}),
        reverse("public:map_data", kwargs={"slug": slug}),
        reverse("public:calendar", kwargs={"slug": slug}) + f"?day={action.local_date}",
        reverse("public:calendar_now", kwargs={"slug": slug}),
        reverse("public:action_ics", kwargs={"slug": slug, "pk": pk}),
        reverse("public:campaign_ics", kwargs={"slug": slug}),
        reverse("public:country_ics", kwargs={"slug": slug, "country": "DE"}),
    ]


def test_rsvp_names_and_emails_appear_in_no_public_page_or_feed(client, action):
    for url in public_urls(action):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        for secret in NAMES + EMAILS + ["secret-inbox"]:
            assert secret not in text, (url, secret)


def test_one_persons_page_shows_only_their_own_rsvp(client, action):
    mine = RSVP.objects.get(email=EMAILS[1])
    body = client.get(reverse("public:rsvp_manage", kwargs={"token": rsvp_token(mine)})).content.decode()
    assert EMAILS[1] in body or NAMES[1] in body
    for secret in (NAMES[0], EMAILS[0], NAMES[2], EMAILS[2]):
        assert secret not in body
