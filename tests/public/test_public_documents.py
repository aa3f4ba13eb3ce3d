"""Public pages and data are shared documents: one copy per URL that any cache may keep (no cookie, no Vary on
the visitor, ``Cache-Control: public`` with a short max-age and stale-while-revalidate, an ETag), served from
our own cache, and fresh again as soon as a service changes what they show."""

import re
import threading
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from groundswell.actions.models import Action
from groundswell.actions.services import action_approve, action_cancel_by_organizer, action_reject
from groundswell.core.csrf import cross_site_refusal
from groundswell.core.page_cache import MEMO, cached_document, public_changed, public_versions
from groundswell.organizations.services import endorsement_withdraw
from groundswell.reports.services.incidents import incident_update
from groundswell.reports.services.photos import photo_reject
from tests.factories import (
    ActionFactory,
    CampaignFactory,
    EndorsementFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.factories.reports import IncidentFactory, PhotoFactory, ReportBackFactory, past_action

pytestmark = pytest.mark.django_db

MAX_AGE = re.compile(r"max-age=(\d+)")


def document_urls(action) -> dict[str, str]:
    """Every public page and data document of a campaign, by name, with its language in the URL."""
    slug, pk = action.campaign.slug, action.pk
    named = {
        "campaign": ("public:campaign", {}),
        "list": ("public:action_list", {}),
        "new action form": ("public:action_new", {}),
        "action": ("public:action", {"pk": pk}),
        "poster": ("public:action_poster", {"pk": pk}),
        "action ics": ("public:action_ics", {"pk": pk}),
        "popup": ("public:action_popup", {"pk": pk}),
        "map": ("public:map", {}),
        "map data": ("public:map_data", {}),
        "calendar": ("public:calendar", {}),
        "now": ("public:calendar_now", {}),
        "endorse form": ("public:endorse", {}),
        "signatories": ("public:signatories", {}),
        "report": ("public:report", {}),
        "report photos": ("public:report_photos", {}),
        "report json": ("public:report_json", {}),
        "report map data": ("public:report_map_data", {}),
        "report csv": ("public:report_actions_csv", {}),
        "report geojson": ("public:report_actions_geojson", {}),
        "export csv": ("public:actions_csv", {}),
        "export geojson": ("public:actions_geojson", {}),
        "embed": ("public:embed", {}),
        "embed data": ("public:embed_data", {}),
        "embed frame": ("public:embed_frame", {}),
        "embed map": ("public:embed_map", {}),
        "ics feed": ("public:campaign_ics", {}),
        "country ics feed": ("public:country_ics", {"country": action.country}),
        "atom feed": ("public:campaign_actions_atom", {}),
        "country atom feed": ("public:country_actions_atom", {"country": action.country}),
        "call feed": ("public:call_atom", {}),
    }
    return {
        name: reverse(route, kwargs={"slug": slug, **extra}) + "?lang=fr"
        for name, (route, extra) in named.items()
    }


def body_of(response) -> bytes:
    return b"".join(response) if response.streaming else response.content


@pytest.fixture
def action():
    return past_action(title="Harbour vigil", country="DE")


DOCUMENTS = [
    "campaign", "list", "new action form", "action", "poster", "action ics", "popup", "map", "map data",
    "calendar", "now", "endorse form", "signatories", "report", "report photos", "report json",
    "report map data", "report csv", "report geojson", "export csv", "export geojson", "embed", "embed data",
    "embed frame", "embed map", "ics feed", "country ics feed", "atom feed", "country atom feed", "call feed",
]  # fmt: skip


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_public_document_is_shareable_by_any_cache(action, name):
    url = document_urls(action)[name]
    visitor = Client()
    response = visitor.get(url, headers={"Accept-Language": "de", "Cookie": "groundswell_language=ar"})

    assert response.status_code == 200, url
    assert not response.cookies, url  # no cookie: not the language, not a CSRF token, not a session
    control = response["Cache-Control"]
    assert "public" in control and "stale-while-revalidate" in control, url
    assert 0 < int(MAX_AGE.search(control).group(1)) <= 60, url
    assert response.get("Vary", "") in {"", "Accept-Encoding"}, url  # nothing about the visitor
    etag = response["ETag"]
    again = Client().get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"", url
    # Another visitor with another browser language and cookie gets the very same document.
    other = Client().get(url, headers={"Accept-Language": "ar", "Cookie": "groundswell_language=es"})
    assert other["ETag"] == etag and body_of(other) == body_of(response), url


@pytest.mark.parametrize("name", ["campaign", "list", "action", "map", "calendar", "report", "signatories"])
def test_a_page_without_its_language_sends_the_visitor_to_it(action, name):
    url = document_urls(action)[name].removesuffix("?lang=fr")
    by_browser = Client().get(url, headers={"Accept-Language": "de-CH, fr;q=0.5"})
    assert by_browser.status_code == 302 and by_browser["Location"].endswith("lang=de")
    assert "private" in by_browser["Cache-Control"]  # that answer is the visitor's own
    chosen = Client()
    chosen.get(reverse("choose_language") + f"?lang=ar&next={url}")
    remembered = chosen.get(url, headers={"Accept-Language": "de"})
    assert remembered["Location"].endswith("lang=ar")


def test_data_without_a_language_is_in_the_default_one_for_everyone(action):
    url = reverse("public:campaign_actions_atom", kwargs={"slug": action.campaign.slug})
    french = Client().get(url, headers={"Accept-Language": "fr"})
    arabic = Client().get(url, headers={"Accept-Language": "ar"})
    assert french.status_code == arabic.status_code == 200
    assert french["ETag"] == arabic["ETag"] and 'xml:lang="en"' in french.content.decode()


def test_links_between_public_pages_keep_the_language(action):
    html = Client().get(document_urls(action)["campaign"]).content.decode()
    links = re.findall(r'href="(/c/[^"]+)"', html)
    assert links and all("lang=" in link for link in links), links  # French, or the call's original
    # The switcher's links change it, through the request that remembers the choice.
    assert 'href="/language/?lang=ar&amp;next=' in html


def test_a_page_is_served_from_the_cache_without_queries(action, django_assert_num_queries):
    url = document_urls(action)["campaign"]
    Client().get(url)
    with django_assert_num_queries(0):
        assert Client().get(url).status_code == 200


# --- freshness: each change through a service, on every page that shows it ---------------------------------


def _shows(url: str, text: str) -> bool:
    return text in body_of(Client().get(url)).decode()


def test_an_approval_appears_on_every_page_at_once():
    campaign = CampaignFactory()
    pending = ActionFactory(campaign=campaign, title="Kx-approved-5521", status=Action.Status.PENDING)
    urls = document_urls(ActionFactory(campaign=campaign))
    pages = ["campaign", "list", "atom feed", "ics feed", "export csv", "embed data", "country atom feed"]
    assert not any(_shows(urls[page], "Kx-approved-5521") for page in pages)

    action_approve(actor=UserFactory(is_superuser=True), action=pending)

    assert all(_shows(urls[page], "Kx-approved-5521") for page in pages), pages


def test_a_rejected_or_cancelled_action_changes_every_page_at_once():
    campaign = CampaignFactory()
    shown = ActionFactory(campaign=campaign, title="Kx-leaving-7713")
    urls = document_urls(shown)
    pages = ["list", "atom feed", "ics feed", "export geojson", "embed data", "action"]
    assert all(_shows(urls[page], "Kx-leaving-7713") for page in pages)
    cancelled = ActionFactory(campaign=campaign, title="Kx-called-off-2231")
    assert _shows(urls["list"], "Kx-called-off-2231")

    Action.objects.filter(pk=shown.pk).update(status=Action.Status.PENDING)  # an organizer's edit
    action_reject(actor=UserFactory(is_superuser=True), action=shown, reason="Duplicate")
    action_cancel_by_organizer(action=cancelled)

    assert not any(_shows(urls[page], "Kx-leaving-7713") for page in pages if page != "action")
    assert Client().get(urls["action"]).status_code == 404
    assert _shows(urls["list"], "Kx-called-off-2231")  # still listed, marked cancelled


def test_an_organizers_edit_takes_the_old_version_off_every_page_until_approved():
    from groundswell.actions.services import action_update_by_organizer
    from tests.actions.test_services import action_input

    campaign = CampaignFactory()
    moderator = UserFactory(is_superuser=True)
    action = ActionFactory(campaign=campaign, status=Action.Status.PENDING)
    action_update_by_organizer(action=action, data=action_input(campaign, title="Kx-before-edit-61"))
    action_approve(actor=moderator, action=action)
    urls = document_urls(action)
    pages = ["campaign", "list", "atom feed", "ics feed", "embed data", "action"]
    assert all(_shows(urls[page], "Kx-before-edit-61") for page in pages)

    action.refresh_from_db()
    action_update_by_organizer(action=action, data=action_input(campaign, title="Kx-after-edit-62"))

    # Waiting for moderation again: neither version is public.
    assert not any(_shows(urls[page], "Kx-before-edit-61") for page in pages if page != "action")
    assert not any(_shows(urls[page], "Kx-after-edit-62") for page in pages if page != "action")
    action_approve(actor=moderator, action=action)
    assert all(_shows(urls[page], "Kx-after-edit-62") for page in pages)


def test_a_withdrawn_endorsement_leaves_the_signatories_and_the_counts():
    campaign = CampaignFactory()
    action = ActionFactory(campaign=campaign)
    endorsement = EndorsementFactory(
        campaign=campaign, organization=OrganizationFactory(name="Kx-Collective-44")
    )
    urls = document_urls(action)
    assert _shows(urls["signatories"], "Kx-Collective-44")

    endorsement_withdraw(endorsement=endorsement)

    assert not _shows(urls["signatories"], "Kx-Collective-44")


def test_a_hidden_photo_and_an_incident_made_private_leave_the_report_at_once():
    action = past_action()
    photo = PhotoFactory(report_back=ReportBackFactory(action=action), caption="Kx-photo-caption-31")
    incident = IncidentFactory(
        campaign=action.campaign, action=action, description="Kx-incident-text-77", visibility="public"
    )
    urls = document_urls(action)
    for page in ("report", "report json", "report photos"):
        assert _shows(urls[page], "Kx-photo-caption-31"), page
    assert _shows(urls["report"], "Kx-incident-text-77")
    coordinator = UserFactory(is_superuser=True)

    photo_reject(actor=coordinator, photo=photo, reason="Shows a face")
    incident_update(actor=coordinator, incident=incident, visibility="coordinators")

    for page in ("report", "report json", "report photos"):
        assert not _shows(urls[page], "Kx-photo-caption-31"), page
    assert not _shows(urls["report"], "Kx-incident-text-77")


# --- our cache: one render per miss, and never a dependency ---------------------------------------------


def test_concurrent_misses_of_one_document_render_once():
    renders = []

    def render():
        renders.append(1)
        time.sleep(0.3)
        return {"body": b"the document"}

    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(cached_document("k-stampede", render, fresh_for=60, keep_for=60))
        )
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(renders) == 1
    assert results == [{"body": b"the document"}] * 8


def test_a_stale_document_is_served_while_one_request_renews_it(monkeypatch):
    cached_document("k-stale", lambda: "old", fresh_for=60, keep_for=600)
    stored_at, value = cache.get("k-stale")
    cache.set("k-stale", (stored_at - 120, value), 600)  # two minutes old
    MEMO.clear()  # as another process sees it
    cache.add("k-stale:lock", 1, 10)  # another request is renewing it
    assert cached_document("k-stale", lambda: "new", fresh_for=60, keep_for=600) == "old"
    cache.delete("k-stale:lock")
    assert cached_document("k-stale", lambda: "new", fresh_for=60, keep_for=600) == "new"


def test_a_version_changes_when_a_service_says_so_and_never_comes_back():
    first = public_versions(("campaign", "kx"))
    assert public_versions(("campaign", "kx")) == first
    public_changed(campaign_slug="kx")
    second = public_versions(("campaign", "kx"))
    cache.clear()  # the version dropped by the cache
    assert second != first and public_versions(("campaign", "kx")) not in {first, second}


def test_pages_render_when_the_cache_is_down(action, settings):
    from django.core.cache import caches

    from tests.conftest import free_port

    nobody = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there: Redis is down
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": nobody,
            "OPTIONS": settings.REDIS_PAGE_CACHE_OPTIONS,
        },
    }
    caches["default"] = caches.create_connection("default")
    try:
        for name in ("campaign", "list", "map data", "report", "atom feed"):
            response = Client().get(document_urls(action)[name])
            assert response.status_code == 200 and "public" in response["Cache-Control"], name
    finally:
        del caches["default"]


# --- forms on shared pages: the browser's word on where a post comes from -----------------------------------


@pytest.mark.parametrize(
    ("headers", "refused"),
    [
        ({"Sec-Fetch-Site": "same-origin"}, False),
        ({"Sec-Fetch-Site": "none"}, False),
        ({"Sec-Fetch-Site": "same-site"}, True),
        ({"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"}, True),
        ({"Origin": "http://testserver"}, False),
        ({"Origin": "http://127.0.0.1:8000"}, False),  # GROUNDSWELL_BASE_URL's origin
        ({"Origin": "https://evil.example"}, True),
        ({"Origin": "null"}, True),
        ({}, False),  # no browser sent it, so no visitor's browser was borrowed
    ],
)
def test_public_forms_refuse_posts_from_other_sites(rf, settings, headers, refused):
    settings.BASE_URL = "http://127.0.0.1:8000"
    request = rf.post("/c/x/endorse/", headers=headers)
    assert bool(cross_site_refusal(request)) is refused


def test_a_message_kept_in_the_session_is_never_rendered_into_a_shared_page(action, settings, rf):
    from django.contrib import messages
    from django.contrib.messages.storage.session import SessionStorage
    from django.http import HttpResponse

    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    visitor = Client()
    session = visitor.session
    request = rf.get("/")
    request.session = session
    storage = SessionStorage(request)
    storage.add(messages.INFO, "Kx-private-message-5")
    storage.update(HttpResponse())
    session.save()
    visitor.cookies[settings.SESSION_COOKIE_NAME] = session.session_key

    page = visitor.get(document_urls(action)["campaign"])

    assert "Kx-private-message-5" not in page.content.decode()
    assert not _shows(document_urls(action)["campaign"], "Kx-private-message-5")  # nor for anyone after
