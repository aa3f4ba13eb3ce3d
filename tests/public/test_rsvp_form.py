"""The public RSVP form: no account, double opt-in by email, idempotent, refusing cleanly."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.campaigns.models import Campaign
from groundswell.participation.models import RSVP, ScheduledEmail
from tests.factories import ActionFactory
from tests.public.rsvp_support import (
    form_data,
    make_rsvp,
    manage_token_in,
    manage_url,
    rsvp_url,
    sent_url,
)

pytestmark = pytest.mark.django_db

SUBMISSION_ID = re.compile(r'name="submission_id" value="([A-Za-z0-9_-]{16,})"')


def post(client, action, capture, **changes):
    with capture(execute=True):
        return client.post(rsvp_url(action), form_data(**changes))


def test_form_renders_privately_with_a_fresh_submission_id(client):
    action = ActionFactory()
    first = client.get(rsvp_url(action))
    second = client.get(rsvp_url(action))
    assert first.status_code == 200
    body = first.content.decode()
    assert "<html" in body and action.title in body
    for field in ("name", "email", "party_size", "language", "share_with_organizer", "homepage"):
        assert f'name="{field}"' in body, field
    assert 'value="1"' in body  # the party size starts at one
    assert '<option value="en" selected>' in body
    assert re.search(r'<input type="checkbox" name="share_with_organizer"(?![^>]*checked)', body)
    assert "Off: the organizer sees only how many people are coming." in body
    ids = [SUBMISSION_ID.search(response.content.decode()).group(1) for response in (first, second)]
    assert ids[0] != ids[1]
    assert first["Cache-Control"] == "no-store, private"
    assert first["X-Robots-Tag"] == "noindex"
    assert "HX-Request" in first["Vary"]
    # No secret in this URL: the Referer may stay, and the form's POST keeps its Origin for the CSRF check.
    assert first["Referrer-Policy"] != "no-referrer"


def test_public_form_is_protected_against_posts_from_other_sites():
    action = ActionFactory()
    browser = Client(enforce_csrf_checks=True)
    forged = browser.post(rsvp_url(action), form_data(), headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403 and not RSVP.objects.exists()
    framed = browser.post(rsvp_url(action), form_data(), headers={"Sec-Fetch-Site": "cross-site"})
    assert framed.status_code == 403 and not RSVP.objects.exists()
    response = browser.post(rsvp_url(action), form_data(), headers={"Origin": "http://testserver"})
    assert response.status_code == 302
    assert RSVP.objects.count() == 1
    assert "csrftoken" not in browser.cookies


def test_form_offers_the_current_language_first(client):
    action = ActionFactory()
    body = client.get(rsvp_url(action) + "?lang=ar").content.decode()
    assert '<option value="ar" selected>' in body


def test_htmx_request_gets_only_the_form_section(client):
    action = ActionFactory()
    response = client.get(rsvp_url(action), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith("<section") or '<section id="rsvp"' in body
    assert SUBMISSION_ID.search(body)
    assert "csrfmiddlewaretoken" not in body  # the Origin is checked instead
    assert "autofocus" in body
    assert response["Cache-Control"] == "no-store, private"


def test_rsvp_page_shows_the_count_of_people_only(client):
    action = ActionFactory()
    make_rsvp(action, email="one@private.example.net", name="Person One", party_size=3)
    make_rsvp(action, email="two@private.example.net", name="Person Two", party_size=2)
    make_rsvp(action, email="three@private.example.net", confirmed=False)
    body = client.get(rsvp_url(action)).content.decode()
    assert "5 people are coming." in body
    assert "Person One" not in body and "private.example.net" not in body


def test_post_creates_one_unconfirmed_rsvp_and_emails_a_link(
    client, mailbox, django_capture_on_commit_callbacks
):
    action = ActionFactory()
    response = post(client, action, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == sent_url(action)
    rsvp = RSVP.objects.get()
    assert rsvp.status == RSVP.Status.UNCONFIRMED
    assert (rsvp.name, rsvp.email, rsvp.party_size) == ("Wren Harrow", "wren@private.example.net", 2)
    assert rsvp.share_with_organizer is False
    [message] = mailbox.wait_for(1)
    assert message["To"] == "wren@private.example.net"
    token = manage_token_in(mailbox.text_of(message))
    assert f"/r/{token}/" in mailbox.html_of(message)

    sent = client.get(response["Location"])
    assert sent.status_code == 200
    assert "Check your inbox: we sent a link to confirm" in sent.content.decode()


def test_post_reads_the_action_once_and_writes_the_rsvp_and_its_email_only(
    client, django_capture_on_commit_callbacks
):
    action = ActionFactory()
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
        assert client.post(rsvp_url(action), form_data()).status_code == 302
    assert len(callbacks) == 1  # the send task, enqueued once the transaction commits

    statements = [query["sql"] for query in queries.captured_queries]
    selects = [sql for sql in statements if sql.startswith("SELECT")]
    # The public read (the action with its campaign), then the locked re-read in the service; nothing of
    # the page (the call, the days of action, the host) and, for someone new, no lookup before the INSERT.
    assert len(selects) == 2, selects
    assert all('FROM "actions_action"' in sql and "campaigns_campaign" in sql for sql in selects)
    inserts = sorted(sql.split('"')[1] for sql in statements if sql.startswith("INSERT"))
    assert inserts == ["participation_rsvp", "participation_scheduledemail"]
    assert RSVP.objects.get().emails.get().kind == ScheduledEmail.Kind.CONFIRM


def test_following_the_link_changes_nothing_until_the_button(
    client, mailbox, django_capture_on_commit_callbacks
):
    action = ActionFactory()
    post(client, action, django_capture_on_commit_callbacks)
    [message] = mailbox.wait_for(1)
    token = manage_token_in(mailbox.text_of(message))

    page = client.get(manage_url(token))
    assert page.status_code == 200
    assert "Confirm I'm coming" in page.content.decode()
    rsvp = RSVP.objects.get()
    assert rsvp.status == RSVP.Status.UNCONFIRMED and rsvp.confirmed_at is None
    assert not ScheduledEmail.objects.filter(kind=ScheduledEmail.Kind.REMINDER_DAY).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage_url(token, "rsvp_confirm"))
    assert response.status_code == 302 and response["Location"] == manage_url(token)
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.CONFIRMED
    assert "You are coming: your RSVP is confirmed." in client.get(manage_url(token)).content.decode()


def test_same_submission_twice_makes_one_rsvp_and_one_email(
    client, mailbox, django_capture_on_commit_callbacks
):
    action = ActionFactory()
    first = post(client, action, django_capture_on_commit_callbacks)
    second = post(client, action, django_capture_on_commit_callbacks)
    assert first.status_code == second.status_code == 302
    assert RSVP.objects.count() == 1
    assert ScheduledEmail.objects.count() == 1
    assert len(mailbox.wait_for(2, timeout=1)) == 1


def test_same_email_again_updates_the_one_rsvp(client, mailbox, django_capture_on_commit_callbacks):
    action = ActionFactory()
    post(client, action, django_capture_on_commit_callbacks)
    response = post(
        client,
        action,
        django_capture_on_commit_callbacks,
        email="  WREN@private.example.net ",
        party_size="4",
        submission_id="second-submission-0002",
    )
    assert response.status_code == 302
    rsvp = RSVP.objects.get()
    assert rsvp.party_size == 4 and rsvp.status == RSVP.Status.UNCONFIRMED
    assert len(mailbox.wait_for(2)) == 2


def test_answer_is_the_same_whether_or_not_the_email_had_rsvped(
    client, mailbox, django_capture_on_commit_callbacks
):
    action = ActionFactory()
    make_rsvp(action, email="known@private.example.net", name="Known Person")
    known = post(
        client, action, django_capture_on_commit_callbacks, email="known@private.example.net", name=""
    )
    unknown = post(
        client,
        action,
        django_capture_on_commit_callbacks,
        email="unknown@private.example.net",
        submission_id="another-submission-0003",
    )
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content
    # The confirmed RSVP is not changed by someone typing its address: its inbox is asked.
    known_rsvp = RSVP.objects.get(email="known@private.example.net")
    assert known_rsvp.name == "Known Person" and known_rsvp.pending_update["name"] == ""


def test_full_action_says_so_and_refuses(client, mailbox, django_capture_on_commit_callbacks):
    action = ActionFactory(capacity=3)
    make_rsvp(action, email="first@private.example.net", party_size=3)
    page = client.get(rsvp_url(action)).content.decode()
    assert "This action is full." in page
    assert 'name="email"' not in page
    response = post(client, action, django_capture_on_commit_callbacks, party_size="1")
    assert response.status_code == 400
    assert "This action is full." in response.content.decode()
    assert "Nothing has been saved." in response.content.decode()
    assert RSVP.objects.count() == 1
    assert len(mailbox.wait_for(1, timeout=0.5)) == 0


def test_few_places_left_says_how_many_and_refuses_a_larger_party(client, django_capture_on_commit_callbacks):
    action = ActionFactory(capacity=5)
    make_rsvp(action, email="first@private.example.net", party_size=4)
    page = client.get(rsvp_url(action)).content.decode()
    assert "Only 1 place is left." in page
    assert 'max="1"' in page
    response = post(client, action, django_capture_on_commit_callbacks, party_size="2")
    assert response.status_code == 400
    assert "Only 1 place is left." in response.content.decode()
    assert RSVP.objects.count() == 1


def test_no_capacity_means_no_places_message(client):
    body = client.get(rsvp_url(ActionFactory(capacity=None))).content.decode()
    assert "place is left" not in body and "places are left" not in body


@pytest.mark.parametrize(
    ("closing", "message"),
    [
        ("cancelled", "This action is cancelled."),
        ("campaign archived", "This campaign is closed."),
        ("over", "This action is over."),
    ],
)
def test_closed_action_shows_why_and_refuses(client, django_capture_on_commit_callbacks, closing, message):
    action = ActionFactory()
    if closing == "cancelled":
        Action.objects.filter(pk=action.pk).update(status=Action.Status.CANCELLED)
    elif closing == "campaign archived":
        Campaign.objects.filter(pk=action.campaign_id).update(status=Campaign.Status.ARCHIVED)
    else:
        now = timezone.now()
        Action.objects.filter(pk=action.pk).update(
            starts_at=now - dt.timedelta(hours=3), ends_at=now - dt.timedelta(hours=1)
        )
    page = client.get(rsvp_url(action))
    assert page.status_code == 200
    assert message in page.content.decode()
    assert 'name="email"' not in page.content.decode()
    response = post(client, action, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert RSVP.objects.count() == 0
    assert ScheduledEmail.objects.count() == 0


def test_action_not_public_has_no_rsvp_page(client, django_capture_on_commit_callbacks):
    action = ActionFactory(status=Action.Status.PENDING, approved_at=None)
    assert client.get(rsvp_url(action)).status_code == 404
    assert post(client, action, django_capture_on_commit_callbacks).status_code == 404
    assert RSVP.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": ""}, "email", "Enter your email address"),
        ({"email": None}, "email", "Enter your email address"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address"),
        ({"party_size": "0"}, "party_size", "Say how many people are coming, from 1 to 20."),
        ({"party_size": "21"}, "party_size", "Say how many people are coming, from 1 to 20."),
        ({"party_size": "abc"}, "party_size", "Say how many people are coming, from 1 to 20."),
        ({"party_size": ""}, "party_size", "Say how many people are coming, from 1 to 20."),
        ({"language": "xx"}, "language", "Choose one of the languages offered."),
        ({"name": "N" * 101}, "name", "Keep the name under 100 characters."),
        ({"name": "Wren\x00Harrow"}, "name", "Null characters are not allowed."),
    ],
)
def test_bad_input_gets_a_message_on_its_field_and_saves_nothing(
    client, mailbox, django_capture_on_commit_callbacks, changes, field, message
):
    action = ActionFactory()
    response = post(client, action, django_capture_on_commit_callbacks, **changes)
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    body = response.content.decode()
    assert "Nothing has been saved." in body
    assert 'class="field field--error"' in body
    assert RSVP.objects.count() == 0
    assert ScheduledEmail.objects.count() == 0


def test_long_submission_id_is_ignored_not_stored(client, django_capture_on_commit_callbacks):
    action = ActionFactory()
    response = post(client, action, django_capture_on_commit_callbacks, submission_id="x" * 65)
    assert response.status_code == 302
    assert RSVP.objects.get().submission_id == ""


def test_honeypot_looks_like_success_and_saves_nothing(client, django_capture_on_commit_callbacks):
    action = ActionFactory()
    response = post(client, action, django_capture_on_commit_callbacks, homepage="http://spam.example")
    assert response.status_code == 302 and response["Location"] == sent_url(action)
    assert RSVP.objects.count() == 0


def test_too_many_rsvps_from_one_connection_are_refused(client, settings, django_capture_on_commit_callbacks):
    settings.SUBMISSIONS_PER_HOUR = 2
    action = ActionFactory()
    for n in range(2):
        response = post(
            client,
            action,
            django_capture_on_commit_callbacks,
            email=f"person{n}@private.example.net",
            submission_id=f"submission-{n:04d}",
        )
        assert response.status_code == 302
    response = post(
        client,
        action,
        django_capture_on_commit_callbacks,
        email="person9@private.example.net",
        submission_id="submission-0009",
    )
    assert response.status_code == 429
    assert "Too many submissions from your connection" in response.content.decode()
    assert RSVP.objects.count() == 2


def test_too_many_confirmations_to_one_address_are_refused(
    client, settings, mailbox, django_capture_on_commit_callbacks
):
    settings.SUBMISSIONS_PER_EMAIL_PER_DAY = 2
    actions = [ActionFactory() for _ in range(3)]
    for n, action in enumerate(actions):
        response = post(
            client,
            action,
            django_capture_on_commit_callbacks,
            email="Target@Private.example.net" if n == 1 else "target@private.example.net",
            submission_id=f"submission-{n:04d}",
        )
        assert response.status_code == (302 if n < 2 else 429)
    assert "many confirmations today" in " ".join(response.context["form"].errors["email"])
    assert RSVP.objects.count() == 2
    assert len(mailbox.wait_for(3, timeout=1)) == 2
