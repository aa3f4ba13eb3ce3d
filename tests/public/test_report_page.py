"""The campaign report's page, gallery, map data and downloads: what they hold, and a number of queries
that does not grow with the number of actions, photos or incidents."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groundswell.actions.models import Action
from groundswell.reports.models import Incident
from tests.factories import CampaignFactory
from tests.factories.reports import IncidentFactory, PhotoFactory, ReportBackFactory, past_action

from ..reports.report_support import build_campaign

pytestmark = pytest.mark.django_db

COUNTRIES = [
    ("DE", "Berlin", "Europe/Berlin"),
    ("FR", "Lyon", "Europe/Paris"),
    ("KE", "Nairobi", "Africa/Nairobi"),
]


def _campaign_with(n: int):
    """``n`` actions that took place (each in its own country and with its own type), each with an
    approved report-back, ``n`` photos, a public and a count-only incident."""
    campaign = CampaignFactory(slug=f"report-{n}")
    types = [Action.Type.INFO_STAND, Action.Type.RALLY, Action.Type.VIGIL]
    for i in range(n):
        country, city, zone = COUNTRIES[i]
        action = past_action(
            campaign=campaign, country=country, city=city, timezone=zone, action_type=types[i]
        )
        report_back = ReportBackFactory(action=action, attendance=10 * (i + 1))
        PhotoFactory(report_back=report_back, caption=f"Photo {i}")
        IncidentFactory(campaign=campaign, action=action, country=country, city=city)
        IncidentFactory(campaign=campaign, visibility=Incident.Visibility.COUNTS, country=country, city=city)
    return campaign


def _queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize(
    "name",
    [
        "report",
        "report_photos",
        "report_map_data",
        "report_actions_csv",
        "report_actions_geojson",
        "report_json",
    ],
)
def test_query_count_does_not_grow_with_actions_photos_and_incidents(client, name):
    one, three = _campaign_with(1), _campaign_with(3)

    counts = [_queries(client, reverse(f"public:{name}", kwargs={"slug": c.slug})) for c in (one, three)]

    assert counts[0] == counts[1], counts


def test_api_report_query_count_does_not_grow(client):
    one, three = _campaign_with(1), _campaign_with(3)

    counts = [_queries(client, f"/api/v1/campaigns/{c.slug}/report") for c in (one, three)]

    assert counts[0] == counts[1], counts


def test_the_page_is_read_from_the_cache_the_second_time(client):
    campaign = _campaign_with(3)
    url = reverse("public:report", kwargs={"slug": campaign.slug})
    first = _queries(client, url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) < first
    # Caches in front of us keep it a minute at most: something hidden is gone from them within it.
    assert client.get(url)["Cache-Control"] == "public, max-age=60, stale-while-revalidate=30"


def test_the_page_shows_the_sections_and_links(client):
    built = build_campaign()
    slug = built.campaign.slug
    body = client.get(reverse("public:report", kwargs={"slug": slug})).content.decode()

    for name in ("report_actions_csv", "report_actions_geojson", "report_json", "report_map_data"):
        assert reverse(f"public:{name}", kwargs={"slug": slug}) in body, name
    for chart in ("actions-per-day", "actions-per-country", "actions-per-type", "endorsements-over-time",
                  "incidents-per-country"):  # fmt: skip
        assert f'id="chart-{chart}"' in body, chart
    assert "data-report-print" in body and "onclick" not in body
    # The timeline links the report-backs' actions and quotes them.
    assert "Candles at every well of the district." in body
    assert reverse("public:action", kwargs={"slug": slug, "pk": built.took_place[2].pk}) in body
    # The gallery: public photos only, thumbnails linking to the full image.
    assert body.count('class="report-photo"') == 4
    assert "Water-testing kits on the table" in body and "Of a pending action" not in body
    # The campaign page and the navigation link the report.
    campaign_page = client.get(reverse("public:campaign", kwargs={"slug": slug})).content.decode()
    assert campaign_page.count(reverse("public:report", kwargs={"slug": slug})) == 2


def test_the_page_follows_the_visitors_language(client):
    built = build_campaign()
    body = client.get(
        reverse("public:report", kwargs={"slug": built.campaign.slug}) + "?lang=fr"
    ).content.decode()

    assert '<html lang="fr"' in body
    assert "Clean water for every neighbourhood" in body  # the call's title (the only translation)


def test_a_large_gallery_links_to_the_other_photos(client, settings):
    from groundswell.reports.selectors import report as report_selectors

    campaign = CampaignFactory()
    report_back = ReportBackFactory(action=past_action(campaign=campaign))
    for i in range(report_selectors.GALLERY_SIZE + 1):
        PhotoFactory(report_back=report_back, caption=f"Photo number {i}")
    body = client.get(reverse("public:report", kwargs={"slug": campaign.slug})).content.decode()

    assert body.count('class="report-photo"') == report_selectors.GALLERY_SIZE
    photos_url = reverse("public:report_photos", kwargs={"slug": campaign.slug})
    assert photos_url in body
    gallery = client.get(photos_url).content.decode()
    assert gallery.count('class="report-photo"') == report_selectors.GALLERY_SIZE + 1
    assert client.get(photos_url + "?page=abc").status_code == 200
    assert client.get(photos_url + "?page=999").status_code == 200


def test_map_data_holds_only_the_actions_that_took_place_at_their_public_point(client):
    built = build_campaign()
    data = client.get(reverse("public:report_map_data", kwargs={"slug": built.campaign.slug})).json()

    ids, total = [], 0
    for difference in data["id"]:
        total += difference
        ids.append(total)
    assert sorted(ids) == sorted(action.pk for action in built.took_place)
    assert data["n"] == 4 and data["cancelled"] == []
    for position, pk in enumerate(ids):
        action = Action.objects.get(pk=pk)
        assert data["lat"][position] == pytest.approx(action.public_latitude, abs=1e-4)
        assert data["lon"][position] == pytest.approx(action.public_longitude, abs=1e-4)
    # No point shown is an exact point of an action whose exact place is private. (Compared as points: an
    # offset of a few hundred metres due north may leave one coordinate's fourth decimal unchanged.)
    shown = set(zip(data["lat"], data["lon"], strict=True))
    for action in built.took_place:
        if action.location_precision != Action.Precision.EXACT:
            assert (round(action.latitude, 4), round(action.longitude, 4)) not in shown


def test_csv_has_one_row_per_action_that_took_place(client):
    built = build_campaign()
    berlin = built.took_place[0]
    berlin.title = '=HYPERLINK("https://evil.example")'
    berlin.save(update_fields=["title"])
    response = client.get(reverse("public:report_actions_csv", kwargs={"slug": built.campaign.slug}))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [int(row["id"]) for row in rows] == [
        a.pk for a in sorted(built.took_place, key=lambda a: (a.starts_at, a.pk))
    ]
    by_id = {int(row["id"]): row for row in rows}
    row = by_id[berlin.pk]
    assert row["title"].startswith("'=")  # a spreadsheet does not run it
    assert (row["report_back"], row["attendance"], row["photos"]) == ("yes", "120", "2")
    assert row["start"].endswith("+01:00") or row["start"].endswith("+02:00")
    assert row["timezone"] == "Europe/Berlin" and row["country"] == "DE"
    assert row["url"].endswith(f"/actions/{berlin.pk}/")
    lyon = by_id[built.took_place[1].pk]
    assert (lyon["report_back"], lyon["attendance"], lyon["photos"]) == ("no", "", "0")  # pending report-back
    nairobi = by_id[built.took_place[2].pk]
    assert (nairobi["report_back"], nairobi["attendance"], nairobi["photos"]) == ("yes", "", "1")
    text = "\n".join(",".join(r.values()) for r in rows)
    assert "@private.example" not in text and "Participant" not in text


def test_geojson_points_are_the_public_points(client):
    built = build_campaign()
    response = client.get(reverse("public:report_actions_geojson", kwargs={"slug": built.campaign.slug}))
    data = json.loads(b"".join(response.streaming_content))

    assert data["type"] == "FeatureCollection"
    assert {f["id"] for f in data["features"]} == {a.pk for a in built.took_place}
    for feature in data["features"]:
        action = Action.objects.get(pk=feature["id"])
        longitude, latitude = feature["geometry"]["coordinates"]
        assert (latitude, longitude) == (
            pytest.approx(action.public_latitude, abs=1e-4),
            pytest.approx(action.public_longitude, abs=1e-4),
        )
        assert "latitude" not in feature["properties"]
        if action.location_precision != Action.Precision.EXACT:
            assert (round(latitude, 4), round(longitude, 4)) != (
                round(action.latitude, 4),
                round(action.longitude, 4),
            )
    assert "Zq-private-venue-8890" not in json.dumps(data)


def test_report_json_lists_public_photo_urls(client):
    built = build_campaign()
    report = client.get(reverse("public:report_json", kwargs={"slug": built.campaign.slug})).json()

    assert len(report["photos"]["items"]) == 4
    for photo in report["photos"]["items"]:
        assert photo["url"].startswith("http") and photo["thumbnail_url"].startswith("http")
        path = photo["thumbnail_url"].split("://", 1)[1].split("/", 1)[1]
        assert client.get("/" + path).status_code == 200  # the photo file view serves it


def test_only_safe_methods(client):
    built = build_campaign()
    assert client.post(reverse("public:report", kwargs={"slug": built.campaign.slug})).status_code == 405


def test_large_numbers_are_grouped_in_the_pages_language(client):
    action = past_action()
    ReportBackFactory(action=action, attendance=12345)
    url = reverse("public:report", kwargs={"slug": action.campaign.slug})
    english = client.get(url).content.decode()
    assert '<data value="12345" data-stat="attendance">12,345</data>' in english
    assert "12,345 people came, as reported" in english
    french = client.get(url + "?lang=fr").content.decode()
    assert "12\u202f345" in french or "12\xa0345" in french or "12 345" in french
