"""One-click unsubscribe (RFC 8058): a GET only shows the button; a mail program's POST carries no CSRF
token and the secret link is what authenticates it."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.participation.models import RSVP, ScheduledEmail
from groundswell.participation.scheduling import plan_digest
from groundswell.participation.tokens import digest_token
from tests.factories import ActionFactory
from tests.public.rsvp_support import make_rsvp, manage_url, token_of

pytestmark = pytest.mark.django_db

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def digest_url(token: str) -> str:
    return reverse("public:digest_unsubscribe", kwargs={"token": token})


def test_unsubscribe_get_changes_nothing(client):
    rsvp = make_rsvp(ActionFactory(), email="wren@private.example.net")
    response = client.get(manage_url(token_of(rsvp), "rsvp_unsubscribe"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Stop emails about this action" in body and "<form" in body
    assert response["Cache-Control"] == "no-store, private"
    rsvp.refresh_from_db()
    assert rsvp.emails_stopped is False
    assert ScheduledEmail.objects.filter(rsvp=rsvp, status=ScheduledEmail.Status.SCHEDULED).exists()


def test_one_click_post_without_csrf_stops_emails(mailbox):
    rsvp = make_rsvp(ActionFactory(), email="wren@private.example.net")
    client = Client(enforce_csrf_checks=True)
    response = client.post(manage_url(token_of(rsvp), "rsvp_unsubscribe"), ONE_CLICK)
    assert response.status_code == 200
    body = response.content.decode()
    assert "You will get no more emails about this action" in body
    assert "You are still counted as coming." in body
    rsvp.refresh_from_db()
    assert rsvp.emails_stopped is True
    assert rsvp.status == RSVP.Status.CONFIRMED  # it still counts
    assert not ScheduledEmail.objects.filter(rsvp=rsvp, status=ScheduledEmail.Status.SCHEDULED).exists()
    # Again (mail programs retry): the same answer.
    again = client.post(manage_url(token_of(rsvp), "rsvp_unsubscribe"), ONE_CLICK)
    assert again.status_code == 200
    assert "You will get no more emails about this action" in again.content.decode()


def test_unsubscribe_with_a_bad_token_is_a_404():
    rsvp = make_rsvp(ActionFactory(), email="wren@private.example.net")
    client = Client(enforce_csrf_checks=True)
    token = token_of(rsvp)
    tampered = token[:-1] + ("0" if token[-1] != "0" else "1")
    for bad in (tampered, "nonsense", "x" * 300):
        assert client.post(manage_url(bad, "rsvp_unsubscribe"), ONE_CLICK).status_code == 404
    rsvp.refresh_from_db()
    assert rsvp.emails_stopped is False


def test_digest_unsubscribe_get_changes_nothing_and_post_stops_it():
    action = ActionFactory()
    plan_digest(action=action, now=timezone.now())
    token = digest_token(action)
    client = Client(enforce_csrf_checks=True)
    response = client.get(digest_url(token))
    assert response.status_code == 200
    assert "Stop the daily digest" in response.content.decode()
    action.refresh_from_db()
    assert action.rsvp_digest is True

    response = client.post(digest_url(token), ONE_CLICK)
    assert response.status_code == 200
    assert "You will get no more daily RSVP digests for this action." in response.content.decode()
    assert response["Cache-Control"] == "no-store, private"
    action.refresh_from_db()
    assert action.rsvp_digest is False
    digests = ScheduledEmail.objects.filter(action=action, kind=ScheduledEmail.Kind.DIGEST)
    assert digests.exists()
    assert not digests.filter(status=ScheduledEmail.Status.SCHEDULED).exists()


def test_digest_unsubscribe_with_a_bad_token_is_a_404():
    action = ActionFactory()
    other = ActionFactory()
    client = Client(enforce_csrf_checks=True)
    # Another action's token, and a token of this action's id with another's signature.
    forged = f"{action.pk}-{digest_token(other).split('-', 1)[1]}"
    for bad in (forged, "nonsense", f"{action.pk}-"):
        assert client.post(digest_url(bad), ONE_CLICK).status_code == 404
    action.refresh_from_db()
    assert action.rsvp_digest is True
