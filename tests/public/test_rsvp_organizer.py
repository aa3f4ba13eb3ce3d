"""The organizer's private page: who is coming (counts; names only of those who shared), and places."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groundswell.actions.models import Action
from groundswell.core.privacy import hash_token
from groundswell.participation.services import rsvp_cancel
from groundswell.public.forms import ActionForm
from tests.factories import ActionFactory, CampaignFactory
from tests.public.rsvp_support import make_rsvp
from tests.public.test_action_submit import valid_data

pytestmark = pytest.mark.django_db

TOKEN = "organizer-secret-token-for-rsvp-tests"


def organizer_url() -> str:
    return reverse("public:organizer", kwargs={"token": TOKEN})


@pytest.fixture
def action():
    return ActionFactory(edit_token_hash=hash_token(TOKEN))


def test_organizer_sees_counts_and_only_shared_names(client, action):
    make_rsvp(action, email="shared.one@private.example.net", name="Shared Person", party_size=3, share=True)
    make_rsvp(action, email="quiet.one@private.example.net", name="Quiet Person", party_size=1)
    make_rsvp(action, email="quiet.two@private.example.net", name="Another Quiet", party_size=1)
    make_rsvp(action, email="waiting@private.example.net", name="Waiting Person", share=True, confirmed=False)
    rsvp_cancel(
        rsvp=make_rsvp(action, email="gone@private.example.net", name="Gone Person", share=True, party_size=2)
    )
    response = client.get(organizer_url())
    assert response.status_code == 200
    body = response.content.decode()
    summary = response.context["rsvps"]
    assert (summary["rsvps"], summary["people"], summary["unconfirmed"], summary["cancelled"]) == (3, 5, 1, 1)
    assert "<strong>5</strong> people coming" in body
    assert "<strong>3</strong> confirmed RSVPs" in body
    assert "<strong>1</strong> waiting for email confirmation" in body
    assert "<strong>1</strong> cancelled" in body
    # Party sizes: two RSVPs of one person, one of three.
    assert "<tr><td>1</td><td>2</td></tr>" in body
    assert "<tr><td>3</td><td>1</td></tr>" in body
    assert "Shared Person" in body and "shared.one@private.example.net" in body
    for hidden in ("Quiet Person", "quiet.one@", "Another Quiet", "quiet.two@", "Waiting Person", "waiting@"):
        assert hidden not in body, hidden
    assert "Gone Person" not in body and "gone@" not in body
    assert "2 others did not share their name." in body
    assert "no-store" in response["Cache-Control"]


def test_organizer_page_without_rsvps(client, action):
    body = client.get(organizer_url()).content.decode()
    assert "Who is coming" in body
    assert "<strong>0</strong> people coming" in body
    assert "did not share" not in body


def test_nobody_shared_says_so(client, action):
    make_rsvp(action, email="quiet.one@private.example.net", name="Quiet Person")
    body = client.get(organizer_url()).content.decode()
    assert "Nobody has shared their name with you" in body
    assert "Quiet Person" not in body


def test_organizer_page_posts_work_with_the_origin_a_browser_sends_under_no_referrer(action):
    """The organizer's page is no-referrer too, so Chromium posts its forms with ``Origin: null``."""
    browser = Client(enforce_csrf_checks=True, HTTP_ORIGIN="null")
    assert browser.get(organizer_url())["Referrer-Policy"] == "no-referrer"
    cancel = reverse("public:organizer_cancel", kwargs={"token": TOKEN})
    assert browser.post(cancel, {"confirm": "yes"}).status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.CANCELLED


def _queries_for_page(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(organizer_url()).status_code == 200
    return len(queries)


def test_organizer_page_queries_do_not_grow_with_rsvps(client, action):
    make_rsvp(action, email="p0@private.example.net", name="P0", share=True)
    make_rsvp(action, email="q0@private.example.net", name="Q0")
    one = _queries_for_page(client)
    for n in range(1, 3):
        make_rsvp(action, email=f"p{n}@private.example.net", name=f"P{n}", share=True, party_size=n + 1)
        make_rsvp(action, email=f"q{n}@private.example.net", name=f"Q{n}")
    three = _queries_for_page(client)
    assert one == three


# Places (capacity) on the action form.


def action_form_data(campaign, **changes) -> dict:
    return valid_data(campaign, **{"capacity": "", **changes})


def test_action_form_sets_places(client):
    campaign = CampaignFactory()
    url = reverse("public:action_new", kwargs={"slug": campaign.slug})
    assert "Places (optional)" in client.get(url).content.decode()
    response = client.post(url, action_form_data(campaign, capacity="40"))
    assert response.status_code == 302
    assert Action.objects.get().capacity == 40


def test_action_form_without_places_has_no_limit(client):
    campaign = CampaignFactory()
    client.post(reverse("public:action_new", kwargs={"slug": campaign.slug}), action_form_data(campaign))
    assert Action.objects.get().capacity is None


@pytest.mark.parametrize("capacity", ["0", "-3", "100001", "many"])
def test_action_form_refuses_bad_places(client, capacity):
    campaign = CampaignFactory()
    response = client.post(
        reverse("public:action_new", kwargs={"slug": campaign.slug}),
        action_form_data(campaign, capacity=capacity),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["capacity"]
    assert not Action.objects.exists()


def test_organizer_edits_places_without_moderation(client, action):
    initial = ActionForm.initial_from(action)
    assert initial["capacity"] is None
    data = {key: ("" if value is None else value) for key, value in initial.items()}
    data.update(
        starts_local=initial["starts_local"].strftime("%Y-%m-%dT%H:%M"),
        ends_local=initial["ends_local"].strftime("%Y-%m-%dT%H:%M"),
        capacity="25",
    )
    response = client.post(organizer_url(), data)
    assert response.status_code == 302, response.context["form"].errors
    action.refresh_from_db()
    assert action.capacity == 25
    assert action.status == Action.Status.APPROVED
    body = client.get(organizer_url()).content.decode()
    assert 'name="capacity" value="25"' in body
    assert "<strong>25</strong> places in all" in body
