"""Every public read page answers odd but harmless requests: control characters in the text it echoes or
searches, and HEAD (which link checkers, CDNs and monitors send)."""

import pytest
from django.urls import reverse

from tests.factories import ActionFactory, CampaignFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    return ActionFactory(title="Lyon rally", city="Lyon", country="FR", latitude=45.75, longitude=4.85)


def page_urls(action) -> dict[str, str]:
    slug = action.campaign.slug
    return {
        "list": reverse("public:action_list", kwargs={"slug": slug}),
        "map": reverse("public:map", kwargs={"slug": slug}),
        "map data": reverse("public:map_data", kwargs={"slug": slug}),
        "calendar": reverse("public:calendar", kwargs={"slug": slug}),
        "now": reverse("public:calendar_now", kwargs={"slug": slug}),
    }


@pytest.mark.parametrize("page", ["list", "map data", "calendar", "now", "map"])
@pytest.mark.parametrize(
    "query", ["q=%00", "q=Lyon%00", "q=%01%1b%7f%c2%85", "type=rally&q=%00%00Ly%00on%00"]
)
def test_control_characters_in_the_text_filter_are_dropped(client, action, page, query):
    response = client.get(f"{page_urls(action)[page]}?{query}")
    assert response.status_code == 200
    body = b"".join(response) if response.streaming else response.content
    assert b"\x00" not in body and b"\x1b" not in body


def test_text_filter_without_its_control_characters_still_finds(client, action):
    for query in ["q=Ly%00on%00", "q=%00Lyon%00", "q=%1bLyon%7f"]:
        response = client.get(page_urls(action)["list"] + f"?{query}")
        assert response.context["filters"].q == "Lyon", query
        assert "Lyon rally" in response.content.decode(), query
    # Control characters that are spaces (tab, new line, Unicode's "next line") separate words.
    response = client.get(page_urls(action)["list"] + "?q=Lyon%09rally%c2%85")
    assert response.context["filters"].q == "Lyon rally"


@pytest.mark.parametrize(
    "query", ["near_city=Ly%00on&near_country=FR", "near_city=%00Lyon%1b&near_country=FR"]
)
def test_control_characters_in_a_near_city_are_dropped(client, action, query):
    response = client.get(f"{page_urls(action)['list']}?{query}")
    assert response.status_code == 200
    assert b"\x00" not in response.content and b"\x1b" not in response.content
    assert response.context["nearby"][0].action == action
    assert response.context["near_city"] == "Lyon"


@pytest.mark.parametrize("query", ["near=%00", "near=45.7%00,4.8", "near_country=%00&near_city=Lyon"])
def test_control_characters_anywhere_in_near_are_harmless(client, action, query):
    response = client.get(f"{page_urls(action)['list']}?{query}")
    assert response.status_code == 200
    assert b"\x00" not in response.content


def public_read_urls(action) -> list[str]:
    slug = action.campaign.slug
    return [
        "/",
        reverse("public:campaign", kwargs={"slug": slug}),
        *page_urls(action).values(),
        reverse("public:action", kwargs={"slug": slug, "pk": action.pk}),
        reverse("public:action_poster", kwargs={"slug": slug, "pk": action.pk}),
        reverse("public:action_qr", kwargs={"slug": slug, "pk": action.pk}),
        reverse("public:action_popup", kwargs={"slug": slug, "pk": action.pk}),
        reverse("public:action_new", kwargs={"slug": slug}),
        "/healthz",
    ]


def test_head_answers_every_public_page_without_a_body(client, action):
    CampaignFactory()  # two campaigns, so / lists them rather than redirecting
    for url in public_read_urls(action):
        got = client.get(url)
        head = client.head(url)
        assert head.status_code == got.status_code == 200, url
        assert head.content == b"", url
        assert head["Content-Type"] == got["Content-Type"], url


def test_other_methods_are_still_refused_on_read_pages(client, action):
    for name, url in page_urls(action).items():
        assert client.post(url).status_code == 405, name
        assert client.put(url).status_code == 405, name
