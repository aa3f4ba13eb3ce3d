"""An action shown "about 1 km" or "city" keeps its exact point, its venue and its contact email out of every
public list: the calendar's day and "now", the list by country, one country, near me, the campaign page, and
the map's data and popups."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.core.privacy import public_point
from tests.factories import ActionFactory, CampaignFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

EXACT = (52.512345, 13.398765)
VENUE = "Back door of number 12"
SECRET_EMAIL = "very.private.organizer@hidden.example.net"
ORG_EMAIL = "org.contact@hidden.example.net"
PRECISIONS = [Action.Precision.ABOUT_1KM, Action.Precision.CITY]


def seed_moving_both_coordinates(precision: str) -> str:
    """A token hash whose fixed offset moves latitude and longitude both by more than 0.002 degrees, so the
    exact point written with 4 decimals cannot be mistaken for the public one."""
    for n in itertools.count():
        seed = f"privacy-seed-{precision}-{n}"
        latitude, longitude = public_point(
            latitude=EXACT[0], longitude=EXACT[1], precision=precision, seed=seed
        )
        if abs(latitude - EXACT[0]) > 0.002 and abs(longitude - EXACT[1]) > 0.002:
            return seed
    raise AssertionError("unreachable")


def secrets_of(action) -> list[str]:
    """What must not appear: the exact point with 6, 5 and 4 decimals, the venue and the emails."""
    shown = [
        f"{value:.{decimals}f}" for value in (action.latitude, action.longitude) for decimals in (6, 5, 4)
    ]
    return [*shown, VENUE, SECRET_EMAIL, ORG_EMAIL, "hidden.example.net"]


@pytest.fixture(params=PRECISIONS)
def action(request):
    """Under way right now (so it is in "now", the day and every upcoming list), in Berlin."""
    now = timezone.now()
    campaign = CampaignFactory(
        start_date=now.date() - dt.timedelta(days=2), end_date=now.date() + dt.timedelta(days=12)
    )
    action = ActionFactory(
        campaign=campaign,
        title="Quiet gathering at the well",
        location_precision=request.param,
        latitude=EXACT[0],
        longitude=EXACT[1],
        venue=VENUE,
        contact_email=SECRET_EMAIL,
        host_organization=OrganizationFactory(contact_email=ORG_EMAIL),
        edit_token_hash=seed_moving_both_coordinates(request.param),
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=2),
    )
    assert (action.public_latitude, action.public_longitude) != EXACT
    return action


def urls(action) -> dict[str, str]:
    slug = action.campaign.slug
    near = f"{action.public_latitude:.2f},{action.public_longitude:.2f}"
    return {
        "calendar day": reverse("public:calendar", kwargs={"slug": slug}) + f"?day={action.local_date}",
        "calendar now": reverse("public:calendar_now", kwargs={"slug": slug}),
        "list by country": reverse("public:action_list", kwargs={"slug": slug}),
        "one country's list": reverse("public:action_list", kwargs={"slug": slug}) + "?country=DE",
        "near list": reverse("public:action_list", kwargs={"slug": slug}) + f"?near={near}",
        "campaign page": reverse("public:campaign", kwargs={"slug": slug}),
        "map popup": reverse("public:action_popup", kwargs={"slug": slug, "pk": action.pk}),
    }


@pytest.mark.parametrize(
    "page",
    [
        "calendar day",
        "calendar now",
        "list by country",
        "one country's list",
        "near list",
        "campaign page",
        "map popup",
    ],
)
def test_lists_show_the_action_but_not_its_exact_point_venue_or_email(client, action, page):
    response = client.get(urls(action)[page])
    assert response.status_code == 200
    body = response.content.decode()
    assert action.title in body  # the page does list it: the check below means something
    for secret in secrets_of(action):
        assert secret not in body, f"{page} shows {secret!r}"


def test_map_data_has_the_public_point_only(client, action):
    response = client.get(reverse("public:map_data", kwargs={"slug": action.campaign.slug}))
    assert response.status_code == 200
    body = response.content.decode()
    data = response.json()
    assert data["n"] == 1 and data["id"] == [action.pk]
    assert abs(data["lat"][0] - action.public_latitude) < 0.001
    assert abs(data["lon"][0] - action.public_longitude) < 0.001
    for secret in secrets_of(action):
        assert secret not in body, f"map data shows {secret!r}"
