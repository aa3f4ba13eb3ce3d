"""The person's private RSVP page, by the secret link in their emails: confirm, change, cancel."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.participation.models import RSVP, ScheduledEmail
from groundswell.participation.retention import rsvp_purge
from groundswell.participation.services import RSVPInput, rsvp_submit
from groundswell.participation.tokens import calendar_token
from tests.factories import ActionFactory
from tests.public.rsvp_support import make_rsvp, manage_url, token_of

pytestmark = pytest.mark.django_db


def change_data(**changes) -> dict:
    data = {"name": "Grace Hopper", "party_size": "3", "language": "fr", "share_with_organizer": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def action():
    return ActionFactory(title="Water info stand at the fountain")


def test_page_shows_the_action_and_a_confirm_button_privately(client, action):
    rsvp = make_rsvp(action, email="wren@private.example.net", name="Wren", confirmed=False)
    response = client.get(manage_url(token_of(rsvp)))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Water info stand at the fountain" in body
    assert action.get_absolute_url() in body
    assert "(Europe/Berlin, CET)" in body or "(Europe/Berlin, CEST)" in body
    assert "Berlin" in body
    assert "Confirm I'm coming" in body
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"


def test_page_links_the_calendars(client, action):
    rsvp = make_rsvp(action, email="wren@private.example.net")
    body = client.get(manage_url(token_of(rsvp))).content.decode()
    assert f"/c/{action.campaign.slug}/actions/{action.pk}/" in body
    assert ".ics" in body
    assert calendar_token("wren@private.example.net") in body


@pytest.mark.parametrize("token", ["nonsense", "1-" + "0" * 32, "999999-" + "a" * 32, "x" * 500, "1-abc"])
def test_bad_link_is_a_404_that_says_so(client, action, token):
    make_rsvp(action, email="wren@private.example.net")
    for name in ("rsvp_manage", "rsvp_confirm", "rsvp_cancel"):
        response = (
            client.get(manage_url(token, name))
            if name == "rsvp_manage"
            else client.post(manage_url(token, name), {"confirm": "yes"})
        )
        assert response.status_code == 404, name
        assert "This link is not valid or has expired" in response.content.decode()
        assert response["Cache-Control"] == "no-store, private"
    assert RSVP.objects.get().status == RSVP.Status.CONFIRMED


def test_tampered_link_of_a_real_rsvp_is_refused(client, action):
    rsvp = make_rsvp(action, email="wren@private.example.net", confirmed=False)
    token = token_of(rsvp)
    tampered = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert client.post(manage_url(tampered, "rsvp_confirm")).status_code == 404
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.UNCONFIRMED


def test_expired_unconfirmed_rsvp_link_is_a_404(client, action, settings):
    rsvp = make_rsvp(action, email="wren@private.example.net", confirmed=False)
    RSVP.objects.filter(pk=rsvp.pk).update(
        requested_at=timezone.now() - dt.timedelta(hours=settings.RSVP_CONFIRM_HOURS + 1)
    )
    token = token_of(rsvp)
    response = client.get(manage_url(token))
    assert response.status_code == 404
    assert "This link is not valid or has expired" in response.content.decode()
    assert client.post(manage_url(token, "rsvp_confirm")).status_code == 404
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.UNCONFIRMED


def test_confirm_is_a_post_and_plans_the_reminders(client, action, django_capture_on_commit_callbacks):
    rsvp = make_rsvp(action, email="wren@private.example.net", confirmed=False)
    token = token_of(rsvp)
    assert client.get(manage_url(token, "rsvp_confirm")).status_code == 405
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.UNCONFIRMED
    response = client.post(manage_url(token, "rsvp_confirm"), follow=True)
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.CONFIRMED
    body = response.content.decode()
    assert "Confirmed: you are coming. Thank you!" in body
    assert "You are coming: your RSVP is confirmed." in body
    assert ScheduledEmail.objects.filter(rsvp=rsvp, kind=ScheduledEmail.Kind.REMINDER_DAY).exists()


def test_private_page_posts_work_with_the_origin_a_browser_sends_under_no_referrer(action):
    """Under Referrer-Policy: no-referrer, Chromium posts the page's forms with ``Origin: null``; the secret
    in the URL is the credential, so these POSTs need (and carry) no CSRF token."""
    rsvp = make_rsvp(action, email="wren@private.example.net", confirmed=False)
    token = token_of(rsvp)
    browser = Client(enforce_csrf_checks=True, HTTP_ORIGIN="null")
    assert browser.get(manage_url(token))["Referrer-Policy"] == "no-referrer"
    assert browser.post(manage_url(token, "rsvp_confirm")).status_code == 302
    assert browser.post(manage_url(token), change_data(party_size="2")).status_code == 302
    rsvp.refresh_from_db()
    assert (rsvp.status, rsvp.party_size) == (RSVP.Status.CONFIRMED, 2)
    assert browser.post(manage_url(token, "rsvp_cancel"), {"confirm": "yes"}).status_code == 302
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.CANCELLED


def test_confirm_when_full_says_why_and_changes_nothing(client):
    action = ActionFactory(capacity=2)
    waiting = make_rsvp(action, email="late@private.example.net", party_size=2, confirmed=False)
    make_rsvp(action, email="early@private.example.net", party_size=2)
    response = client.post(manage_url(token_of(waiting), "rsvp_confirm"), follow=True)
    assert "This action is full" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RSVP.Status.UNCONFIRMED


def test_pending_change_is_shown_and_confirmed_by_button(client, action, django_capture_on_commit_callbacks):
    rsvp = make_rsvp(action, email="wren@private.example.net", name="Wren", party_size=1)
    rsvp_submit(
        action=action,
        data=RSVPInput(email="wren@private.example.net", name="Wren H.", party_size=4, submission_id="again"),
    )
    token = token_of(rsvp)
    body = client.get(manage_url(token)).content.decode()
    assert "You asked to change your RSVP to:" in body
    assert "Wren H." in body and "Confirm the change" in body
    rsvp.refresh_from_db()
    assert rsvp.party_size == 1
    response = client.post(manage_url(token, "rsvp_confirm"), follow=True)
    assert "Your change is confirmed." in response.content.decode()
    rsvp.refresh_from_db()
    assert (rsvp.name, rsvp.party_size, rsvp.pending_update) == ("Wren H.", 4, {})


def test_change_form_applies_at_once(client, action):
    rsvp = make_rsvp(action, email="wren@private.example.net", name="Wren", party_size=1)
    token = token_of(rsvp)
    body = client.get(manage_url(token)).content.decode()
    assert 'value="Wren"' in body
    response = client.post(manage_url(token), change_data())
    assert response.status_code == 302 and response["Location"] == manage_url(token)
    rsvp.refresh_from_db()
    assert (rsvp.name, rsvp.party_size, rsvp.language, rsvp.share_with_organizer) == (
        "Grace Hopper",
        3,
        "fr",
        True,
    )
    assert rsvp.status == RSVP.Status.CONFIRMED
    assert "Your RSVP is saved." in client.get(manage_url(token)).content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"party_size": "0"}, "party_size"),
        ({"party_size": "x"}, "party_size"),
        ({"language": "zz"}, "language"),
    ],
)
def test_change_with_bad_input_changes_nothing(client, action, changes, field):
    rsvp = make_rsvp(action, email="wren@private.example.net", name="Wren", party_size=1)
    response = client.post(manage_url(token_of(rsvp)), change_data(**changes))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    rsvp.refresh_from_db()
    assert (rsvp.name, rsvp.party_size) == ("Wren", 1)


def test_change_over_capacity_is_refused_on_its_field(client):
    action = ActionFactory(capacity=3)
    rsvp = make_rsvp(action, email="wren@private.example.net", party_size=1)
    make_rsvp(action, email="other@private.example.net", party_size=1)
    response = client.post(manage_url(token_of(rsvp)), change_data(party_size="3"))
    assert response.status_code == 400
    assert "Only 2 places are left." in " ".join(response.context["form"].errors["party_size"])
    rsvp.refresh_from_db()
    assert rsvp.party_size == 1


def test_cancel_needs_the_box_then_cancels(client, action):
    rsvp = make_rsvp(action, email="wren@private.example.net")
    token = token_of(rsvp)
    response = client.post(manage_url(token, "rsvp_cancel"), {}, follow=True)
    assert "Tick the box to confirm that you cannot come." in response.content.decode()
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.CONFIRMED
    response = client.post(manage_url(token, "rsvp_cancel"), {"confirm": "yes"}, follow=True)
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.CANCELLED
    body = response.content.decode()
    assert "Your RSVP is cancelled." in body
    assert "You cancelled this RSVP." in body
    assert "Confirm I'm coming" not in body and 'name="party_size"' not in body
    assert not ScheduledEmail.objects.filter(rsvp=rsvp, status=ScheduledEmail.Status.SCHEDULED).exists()


def test_cancelled_action_shows_why_and_no_buttons(client, action):
    rsvp = make_rsvp(action, email="wren@private.example.net", confirmed=False)
    Action.objects.filter(pk=action.pk).update(status=Action.Status.CANCELLED)
    body = client.get(manage_url(token_of(rsvp))).content.decode()
    assert "This action is cancelled." in body
    assert "Confirm I'm coming" not in body
    response = client.post(manage_url(token_of(rsvp), "rsvp_confirm"), follow=True)
    assert "This action is cancelled." in response.content.decode()
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.UNCONFIRMED


def test_erased_rsvp_page_says_so_without_calendar(client, action):
    rsvp = make_rsvp(action, email="wren@private.example.net", name="Wren Erasable")
    feed_token = calendar_token("wren@private.example.net")
    rsvp_purge(now=action.ends_at + dt.timedelta(days=400))
    response = client.get(manage_url(token_of(rsvp)))
    assert response.status_code == 200
    body = response.content.decode()
    assert "were deleted after the action" in body
    assert feed_token not in body and "Wren Erasable" not in body
