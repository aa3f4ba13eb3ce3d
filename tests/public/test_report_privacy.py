"""Incidents follow their visibility everywhere: a coordinators-only, a pending, a rejected and a delayed
incident appear in no public page, feed, API answer or export; a count-only one only inside the counts.
Nor does anything of a report-back or photo that is not public."""

import pytest
from django.urls import reverse

from groundswell.api.api import api
from groundswell.api.services import api_token_create
from groundswell.participation import tokens
from groundswell.participation.models import RSVP
from tests.factories import OrganizationFactory
from tests.reports.report_support import HIDDEN, HIDDEN_TEXT, build_campaign

pytestmark = pytest.mark.django_db


def _public_urls(built) -> list[str]:
    campaign = built.campaign
    slug = campaign.slug
    kw = {"slug": slug}
    urls = [
        "/",
        reverse("public:campaign", kwargs=kw),
        reverse("public:campaign", kwargs=kw) + "?lang=fr",
        reverse("public:action_list", kwargs=kw),
        reverse("public:map", kwargs=kw),
        reverse("public:map_data", kwargs=kw),
        reverse("public:calendar", kwargs=kw),
        reverse("public:calendar_now", kwargs=kw),
        reverse("public:signatories", kwargs=kw),
        reverse("public:embed", kwargs=kw),
        reverse("public:embed_data", kwargs=kw),
        reverse("public:embed_frame", kwargs=kw),
        reverse("public:embed_map", kwargs=kw),
        reverse("public:actions_csv", kwargs=kw),
        reverse("public:actions_geojson", kwargs=kw),
        reverse("public:report", kwargs=kw),
        reverse("public:report", kwargs=kw) + "?lang=ar",
        reverse("public:report_photos", kwargs=kw),
        reverse("public:report_map_data", kwargs=kw),
        reverse("public:report_actions_csv", kwargs=kw),
        reverse("public:report_actions_geojson", kwargs=kw),
        reverse("public:report_json", kwargs=kw),
        reverse("public:campaign_ics", kwargs=kw),
        reverse("public:campaign_actions_atom", kwargs=kw),
        reverse("public:call_atom", kwargs=kw),
    ]
    for action in [*built.took_place, *built.not_took_place]:
        country = action.country.code
        urls += [
            reverse("public:action_list", kwargs=kw) + f"?country={country}",
            reverse("public:country_ics", kwargs={**kw, "country": country}),
            reverse("public:country_actions_atom", kwargs={**kw, "country": country}),
            reverse("public:calendar", kwargs=kw) + f"?day={action.local_date.isoformat()}",
        ]
        if action.is_public:
            pk = {**kw, "pk": action.pk}
            urls += [
                reverse("public:action", kwargs=pk),
                reverse("public:action_popup", kwargs=pk),
                reverse("public:action_ics", kwargs=pk),
                reverse("public:action_poster", kwargs=pk),
            ]
    rsvp = RSVP.objects.filter(action=built.took_place[0], status="confirmed").first()
    urls.append(reverse("public:rsvp_calendar_feed", kwargs={"token": tokens.calendar_token(rsvp.email)}))
    return sorted(set(urls))


def _api_urls(built) -> list[str]:
    """Every GET operation of the API's document, with this campaign's values in its parameters."""
    values = {
        "{slug}": built.campaign.slug,
        "{action_id}": str(built.took_place[0].pk),
        "{language}": "en",
    }
    urls = []
    for path, item in api.get_openapi_schema(path_prefix="/api/v1")["paths"].items():
        if "get" not in item:
            continue
        for name, value in values.items():
            path = path.replace(name, value)
        assert "{" not in path, f"a parameter of {path} is not filled in: add it to this test"
        urls.append(path)
    return urls


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def _assert_nothing_hidden(text: str, where: str):
    for what, (description, city) in HIDDEN.items():
        assert description not in text, f"the {what} incident's description is in {where}"
        assert city not in text, f"the {what} incident's city is in {where}"
    for what, value in HIDDEN_TEXT.items():
        assert value not in text, f"the {what} is in {where}"
    assert "Zq-private-venue-8890" not in text, f"a venue shown about 1 km is in {where}"


def test_hidden_incidents_appear_in_no_public_page_feed_or_export(client):
    built = build_campaign()
    urls = _public_urls(built)
    assert len(urls) > 40

    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        _assert_nothing_hidden(_body(response), url)


def test_hidden_incidents_appear_in_no_api_answer(client):
    built = build_campaign()
    _api_token, token = api_token_create(
        actor=None, campaign=built.campaign, organization=OrganizationFactory()
    )
    urls = _api_urls(built)
    assert f"/api/v1/campaigns/{built.campaign.slug}/report" in urls

    for url in urls:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200, (url, response.content[:300])
        _assert_nothing_hidden(response.content.decode(), url)


def test_a_count_only_incident_counts_but_shows_nothing_of_itself(client):
    built = build_campaign()
    count_only = built.hidden_incidents["count only"]
    report = client.get(reverse("public:report_json", kwargs={"slug": built.campaign.slug})).json()

    # Two public incidents and the count-only one; its people and its country are in the totals.
    assert report["numbers"]["incidents"] == 3
    assert report["numbers"]["people_affected"] == 3 + 0 + count_only.people_affected
    by_country = {row["country"]: row["incidents"] for row in report["series"]["incidents_per_country"]}
    assert by_country == {"FR": 2, "BR": 1}
    by_kind = {row["kind"]: row["incidents"] for row in report["incidents"]["by_kind"]}
    assert by_kind == {"police": 1, "ban": 1, "detention": 1}
    assert count_only.pk not in {incident["id"] for incident in report["incidents"]["public"]}
    assert len(report["incidents"]["public"]) == 2

    page = client.get(reverse("public:report", kwargs={"slug": built.campaign.slug})).content.decode()
    assert 'data-stat="incidents">3<' in page
    assert "Police stopped the march at the river bridge" in page  # the public one, in detail


def test_the_report_is_not_public_for_a_draft_campaign(client):
    built = build_campaign()
    built.campaign.status = "draft"
    built.campaign.save(update_fields=["status"])
    slug = built.campaign.slug

    for name in ("report", "report_photos", "report_map_data", "report_actions_csv", "report_actions_geojson",
                 "report_json"):  # fmt: skip
        assert client.get(reverse(f"public:{name}", kwargs={"slug": slug})).status_code == 404, name
    assert client.get(f"/api/v1/campaigns/{slug}/report").status_code == 404
    assert client.get(reverse("public:report", kwargs={"slug": "no-such-campaign"})).status_code == 404
