"""Whoever RSVPs stays private: their name and email appear on no public page, list, map, calendar or feed,
nor on the RSVP form another visitor sees. Only counts leave the RSVP table."""

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.actions.models import Action
from tests.factories import ActionFactory
from tests.public.rsvp_support import make_rsvp, rsvp_url, sent_url

pytestmark = pytest.mark.django_db

NAMES = ["Zebulon Quixotic-Secret", "Waiting Wilhelmina-Hidden", "Quiet Quentin-Private"]
EMAIL_DOMAIN = "rsvp-secret.example.net"


@pytest.fixture
def action():
    action = ActionFactory(title="Open vigil at the pumping station", capacity=50)
    make_rsvp(action, email=f"zebulon@{EMAIL_DOMAIN}", name=NAMES[0], party_size=3, share=True)
    make_rsvp(action, email=f"wilhelmina@{EMAIL_DOMAIN}", name=NAMES[1], confirmed=False, share=True)
    make_rsvp(action, email=f"quentin@{EMAIL_DOMAIN}", name=NAMES[2])
    return action


def public_urls(action) -> dict[str, str]:
    slug = action.campaign.slug
    return {
        "action page": action.get_absolute_url(),
        "action page (ar)": action.get_absolute_url() + "?lang=ar",
        "rsvp page": rsvp_url(action),
        "rsvp sent page": sent_url(action),
        "campaign page": reverse("public:campaign", kwargs={"slug": slug}),
        "list by country": reverse("public:action_list", kwargs={"slug": slug}),
        "one country's list": reverse("public:action_list", kwargs={"slug": slug}) + "?country=DE",
        "map data": reverse("public:map_data", kwargs={"slug": slug}),
        "map popup": reverse("public:action_popup", kwargs={"slug": slug, "pk": action.pk}),
        "calendar day": reverse("public:calendar", kwargs={"slug": slug}) + f"?day={action.local_date}",
        "calendar now": reverse("public:calendar_now", kwargs={"slug": slug}),
        "poster": reverse("public:action_poster", kwargs={"slug": slug, "pk": action.pk}),
        "action .ics": reverse("public:action_ics", kwargs={"slug": slug, "pk": action.pk}),
    }


def assert_private(body: str, where: str) -> None:
    assert EMAIL_DOMAIN not in body, where
    for name in NAMES:
        assert name not in body, where
        assert name.split()[0] not in body, where


def test_no_public_page_shows_who_rsvped(client, action):
    for where, url in public_urls(action).items():
        response = client.get(url)
        assert response.status_code == 200, where
        body = response.content.decode()
        assert_private(body, where)
    assert "Open vigil at the pumping station" in client.get(action.get_absolute_url()).content.decode()


def test_rsvp_form_for_another_visitor_shows_counts_only(action):
    visitor = Client()
    page = visitor.get(rsvp_url(action)).content.decode()
    fragment = visitor.get(rsvp_url(action), HTTP_HX_REQUEST="true").content.decode()
    for where, body in (("page", page), ("fragment", fragment)):
        assert "4 people are coming." in body, where
        assert_private(body, where)


def test_full_action_answers_every_address_alike(client, action):
    Action.objects.filter(pk=action.pk).update(capacity=4)
    answers = []
    for n, email in enumerate([f"zebulon@{EMAIL_DOMAIN}", "newcomer@elsewhere.example.net"]):
        response = client.post(
            rsvp_url(action),
            {"email": email, "party_size": "1", "language": "en", "submission_id": f"probe-{n:04d}"},
        )
        body = response.content.decode()
        answers.append((response.status_code, "This action is full." in body))
        for name in NAMES:
            assert name not in body
    assert answers == [(400, True), (400, True)]


def test_action_page_stays_cacheable_and_has_no_per_visitor_content(client, action):
    response = client.get(action.get_absolute_url())
    assert "public" in response["Cache-Control"]
    assert response.has_header("ETag")
    body = response.content.decode()
    assert "csrfmiddlewaretoken" not in body
    assert "submission_id" not in body
    assert rsvp_url(action) in body
    assert f'hx-get="{rsvp_url(action)}?lang=en"' in body
    assert "Will you come?" in body
    # The counts are on the RSVP form, not here (they would change the page under its ETag).
    assert "people are coming" not in body


def test_cancelled_action_page_has_no_rsvp_section(client):
    action = ActionFactory(status=Action.Status.CANCELLED)
    body = client.get(action.get_absolute_url()).content.decode()
    assert "has been cancelled" in body
    assert rsvp_url(action) not in body
    assert "Will you come?" not in body
