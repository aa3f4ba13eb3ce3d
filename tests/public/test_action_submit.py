import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from groundswell.actions.models import Action
from groundswell.core.models import AuditEntry
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignFactory()


def new_url(campaign):
    return reverse("public:action_new", kwargs={"slug": campaign.slug})


def valid_data(campaign, **changes):
    day = campaign.start_date + dt.timedelta(days=3)
    data = {
        "action_type": "vigil",
        "title": "Candle vigil by the river",
        "description": "Bring a candle.",
        "starts_local": f"{day}T18:00",
        "ends_local": f"{day}T20:00",
        "city": "Zürich",
        "country": "CH",
        "venue": "Riverside park",
        "latitude": "",
        "longitude": "",
        "location_precision": "exact",
        "host_name": "Lake Friends",
        "online_url": "",
        "contact_email": "organizer@private.example.net",
        "homepage": "",
    }
    data.update(changes)
    return data


def test_submit_action_creates_pending_action_and_emails_secret_link(
    client, campaign, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(new_url(campaign), valid_data(campaign))
    assert response.status_code == 302, response.context["form"].errors
    action = Action.objects.get()
    assert action.status == Action.Status.PENDING
    assert action.timezone == "Europe/Zurich"
    assert action.starts_at == dt.datetime.combine(
        campaign.start_date + dt.timedelta(days=3), dt.time(18), tzinfo=ZoneInfo("Europe/Zurich")
    )
    assert action.local_date == campaign.start_date + dt.timedelta(days=3)
    assert abs(action.latitude - 47.37) < 0.1 and abs(action.longitude - 8.55) < 0.1
    assert AuditEntry.objects.filter(verb="actions.action.submitted", target_id=str(action.pk)).exists()

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    edit_url = thanks.context["edit_url"]
    assert "/o/" in edit_url

    [message] = mailbox.wait_for(1)
    assert message["To"] == "organizer@private.example.net"
    assert edit_url in mailbox.text_of(message)
    assert edit_url in mailbox.html_of(message)
    # The token itself is never stored.
    token = edit_url.rstrip("/").rsplit("/", 1)[1]
    assert token not in action.edit_token_hash


def test_submitted_action_is_not_public_until_approved(client, campaign):
    client.post(new_url(campaign), valid_data(campaign, title="Hidden until approved"))
    action = Action.objects.get()
    campaign_page = client.get(reverse("public:campaign", kwargs={"slug": campaign.slug})).content.decode()
    assert "Hidden until approved" not in campaign_page
    assert (
        client.get(reverse("public:action", kwargs={"slug": campaign.slug, "pk": action.pk})).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("city", "country", "zone"),
    [
        ("Sao Paulo", "BR", "America/Sao_Paulo"),
        ("Kraków", "PL", "Europe/Warsaw"),
        ("krakow", "PL", "Europe/Warsaw"),
        ("Kochi", "IN", "Asia/Kolkata"),
        ("Kochi", "JP", "Asia/Tokyo"),
    ],
)
def test_submit_resolves_non_ascii_and_same_named_cities(client, campaign, city, country, zone):
    response = client.post(new_url(campaign), valid_data(campaign, city=city, country=country))
    assert response.status_code == 302, response.context["form"].errors
    assert Action.objects.get().timezone == zone


def test_ambiguous_city_offers_candidates_then_accepts_choice(client, campaign):
    data = valid_data(campaign, city="Springfield", country="US")
    response = client.post(new_url(campaign), data)
    assert response.status_code == 400
    candidates = response.context["form"].candidates
    assert len(candidates) >= 3
    html = response.content.decode()
    assert 'name="place"' in html and candidates[0].region in html
    assert not Action.objects.exists()

    chosen = next(place for place in candidates if place.region == "Illinois")
    response = client.post(new_url(campaign), {**data, "place": chosen.geonameid})
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.geonameid == chosen.geonameid
    assert action.timezone == "America/Chicago"


def test_unknown_city_asks_for_point_then_uses_typed_coordinates(client, campaign):
    data = valid_data(campaign, city="Xqzzyville", country="NZ")
    response = client.post(new_url(campaign), data)
    assert response.status_code == 400
    assert "could not find" in str(response.context["form"].errors["city"])
    assert response.context["form"].needs_point
    response = client.post(new_url(campaign), {**data, "latitude": "-36.8485", "longitude": "174.7633"})
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.timezone == "Pacific/Auckland"
    assert action.city == "Xqzzyville"


def test_exact_point_near_known_city_is_kept(client, campaign):
    response = client.post(new_url(campaign), valid_data(campaign, latitude="47.36667", longitude="8.55"))
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.latitude, action.longitude) == (47.36667, 8.55)
    assert (action.public_latitude, action.public_longitude) == (47.36667, 8.55)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_local": "START-2h"}, "ends_local", "must end after it starts"),
        (
            {"starts_local": "2031-01-01T10:00", "ends_local": "2031-01-01T12:00"},
            "starts_local",
            "campaign runs from",
        ),
        ({"country": "XX"}, "country", "valid choice"),
        ({"country": ""}, "country", "required"),
        ({"title": "x" * 161}, "title", "at most 160 characters"),
        ({"description": "y" * 5001}, "description", "at most 5000 characters"),
        ({"contact_email": "not-an-email"}, "contact_email", "valid email"),
        ({"latitude": "north", "longitude": "8.5"}, "latitude", "Enter a number"),
        ({"latitude": "95", "longitude": "8.5"}, "latitude", "less than or equal to 90"),
        ({"latitude": "47.3"}, "longitude", "both latitude and longitude"),
        ({"latitude": "40.71", "longitude": "-74.0"}, "latitude", "km from"),
        ({"starts_local": "tomorrow"}, "starts_local", "valid date/time"),
        ({"action_type": "riot"}, "action_type", "valid choice"),
        ({"action_type": "online"}, "online_url", "needs its link"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "valid URL"),
    ],
)
def test_bad_input_gets_clear_message_and_saves_nothing(client, campaign, changes, field, message):
    data = valid_data(campaign)
    if changes.get("ends_local") == "START-2h":
        changes = {"ends_local": data["starts_local"].replace("T18:00", "T16:00")}
    response = client.post(new_url(campaign), valid_data(campaign, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert message.split()[0] in response.content.decode()
    assert not Action.objects.exists()
    assert not AuditEntry.objects.exists()


def test_time_that_does_not_exist_because_clocks_change_is_refused(client):
    # 2027-03-28 02:30 does not exist in Zürich (clocks jump from 02:00 to 03:00).
    campaign = CampaignFactory(start_date=dt.date(2027, 3, 20), end_date=dt.date(2027, 4, 3))
    data = valid_data(campaign, starts_local="2027-03-28T02:30", ends_local="2027-03-28T04:00")
    response = client.post(new_url(campaign), data)
    assert response.status_code == 400
    assert "clocks change" in str(response.context["form"].errors["starts_local"])


def test_honeypot_pretends_success_and_saves_nothing(client, campaign, mailbox):
    response = client.post(new_url(campaign), valid_data(campaign, homepage="http://spam.example.com"))
    assert response.status_code == 302
    assert not Action.objects.exists()
    assert mailbox.wait_for(1, timeout=0.5) == []


def test_rate_limit_refuses_flood(client, campaign, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    for n in range(2):
        assert client.post(new_url(campaign), valid_data(campaign, title=f"Vigil {n}")).status_code == 302
    response = client.post(new_url(campaign), valid_data(campaign, title="One too many"))
    assert response.status_code == 429
    assert "Too many submissions" in response.content.decode()
    assert Action.objects.count() == 2


def test_form_sent_from_another_site_is_refused(campaign):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        new_url(campaign), valid_data(campaign), headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert "sent from another website" in response.content.decode()
    assert not Action.objects.exists()
    # From our own page (as a browser says), it is taken without any token: the page is a shared document.
    response = strict.post(new_url(campaign), valid_data(campaign), headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 302 and Action.objects.count() == 1


def test_form_page_renders_every_field(client, campaign):
    html = client.get(new_url(campaign)).content.decode()
    for name in [
        "action_type",
        "title",
        "description",
        "starts_local",
        "ends_local",
        "city",
        "country",
        "venue",
        "latitude",
        "longitude",
        "location_precision",
        "host_name",
        "online_url",
        "contact_email",
        "homepage",
    ]:
        assert f'name="{name}"' in html, name
    assert "csrfmiddlewaretoken" not in html  # a shared document: no visitor's token in it
    for action_type in [
        "demonstration",
        "rally",
        "vigil",
        "info_stand",
        "public_meeting",
        "cultural_event",
        "online",
        "other",
    ]:
        assert f'value="{action_type}"' in html


@pytest.mark.parametrize(
    ("starts", "ends"), [("0001-01-01T00:00", "0001-01-01T02:00"), ("9999-12-31T23:00", "9999-12-31T23:30")]
)
def test_far_off_years_get_a_message_not_a_server_error(client, campaign, starts, ends):
    response = client.post(new_url(campaign), valid_data(campaign, starts_local=starts, ends_local=ends))
    assert response.status_code == 400
    assert "campaign runs from" in str(response.context["form"].errors["starts_local"])
    assert not Action.objects.exists()


def test_unknown_town_point_must_be_in_the_chosen_country(client, campaign):
    # A point in Tokyo for a town "in France".
    data = valid_data(campaign, city="Xqzzyville", country="FR", latitude="35.68", longitude="139.76")
    response = client.post(new_url(campaign), data)
    assert response.status_code == 400
    assert "does not look like it is in France" in str(response.context["form"].errors["latitude"])
    assert not Action.objects.exists()


def test_unknown_town_takes_the_time_zone_of_its_own_country(client, campaign):
    # Near the Portuguese border, but in Spain: Spanish time, not Lisbon's.
    data = valid_data(
        campaign, city="Xqzzy de Alcántara", country="ES", latitude="39.414", longitude="-7.244"
    )
    assert client.post(new_url(campaign), data).status_code == 302
    assert Action.objects.get().timezone == "Europe/Madrid"


def test_bad_hidden_place_is_reported(client, campaign):
    response = client.post(new_url(campaign), valid_data(campaign, place="abc"))
    assert response.status_code == 400
    assert "Enter a whole number" in response.content.decode()


def test_confirmation_email_subject_is_plain_text_and_has_no_submitted_text(
    client, campaign, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(new_url(campaign), valid_data(campaign, title="Buy <cheap> pills & more"))
    [message] = mailbox.wait_for(1)
    assert "&amp;" not in message["Subject"] and "&#x27;" not in message["Subject"]
    assert campaign.name in message["Subject"]
    for part in (message["Subject"], mailbox.text_of(message), mailbox.html_of(message)):
        assert "pills" not in part


def test_one_address_gets_a_limited_number_of_confirmations(client, campaign, settings):
    settings.SUBMISSIONS_PER_EMAIL_PER_DAY = 2
    settings.SUBMISSIONS_PER_HOUR = 100
    for n in range(2):
        assert client.post(new_url(campaign), valid_data(campaign, title=f"Vigil {n}")).status_code == 302
    response = client.post(new_url(campaign), valid_data(campaign, title="Third"))
    assert response.status_code == 429
    assert "many confirmations" in str(response.context["form"].errors["contact_email"])
    other = valid_data(campaign, title="Other person", contact_email="someone.else@private.example.net")
    assert client.post(new_url(campaign), other).status_code == 302
    assert Action.objects.count() == 3


def test_archived_campaign_hides_the_register_link_and_form(client):
    from groundswell.campaigns.models import Campaign

    campaign = CampaignFactory(status=Campaign.Status.ARCHIVED)
    html = client.get(reverse("public:campaign", kwargs={"slug": campaign.slug})).content.decode()
    assert new_url(campaign) not in html
    assert client.get(new_url(campaign)).status_code == 404
