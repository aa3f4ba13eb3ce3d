import pytest
from django.urls import reverse

from groundswell.actions.models import Action
from tests.factories import ActionFactory, CampaignFactory, EndorsementFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "very.private.organizer@hidden.example.net"
ORG_EMAIL = "org.contact@hidden.example.net"


def public_pages(campaign, action):
    slug = campaign.slug
    return [
        "/",
        reverse("public:campaign", kwargs={"slug": slug}),
        reverse("public:campaign", kwargs={"slug": slug}) + "?lang=ar",
        reverse("public:action_list", kwargs={"slug": slug}),
        reverse("public:action_list", kwargs={"slug": slug}) + f"?country={action.country.code}",
        reverse("public:action", kwargs={"slug": slug, "pk": action.pk}),
        reverse("public:action_new", kwargs={"slug": slug}),
    ]


def test_contact_emails_appear_in_no_public_page(client):
    campaign = CampaignFactory()
    organization = OrganizationFactory(contact_email=ORG_EMAIL)
    EndorsementFactory(campaign=campaign, organization=organization)
    action = ActionFactory(campaign=campaign, contact_email=SECRET_EMAIL, host_organization=organization)
    ActionFactory(campaign=campaign, contact_email="pending." + SECRET_EMAIL, status=Action.Status.PENDING)
    for url in public_pages(campaign, action):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "hidden.example.net" not in body, url
        assert action.title in body or "actions/new" in url, url


@pytest.mark.parametrize("precision", [Action.Precision.ABOUT_1KM, Action.Precision.CITY])
def test_action_page_hides_exact_point_and_venue(client, precision):
    action = ActionFactory(
        location_precision=precision, venue="Back door of number 12", latitude=52.512345, longitude=13.398765
    )
    body = client.get(action.get_absolute_url()).content.decode()
    assert "Back door of number 12" not in body
    assert "52.512345" not in body and "13.398765" not in body
    assert (action.public_latitude, action.public_longitude) != (action.latitude, action.longitude)


def test_action_detail_query_count_is_small(client, django_assert_max_num_queries):
    action = ActionFactory(host_organization=OrganizationFactory())
    with django_assert_max_num_queries(4):
        assert client.get(action.get_absolute_url()).status_code == 200
