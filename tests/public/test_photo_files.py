"""public:photo_file serves a photo only while it is public, with headers that keep it an image."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from groundswell.actions.models import Action
from groundswell.campaigns.models import Campaign
from groundswell.reports.models import Review
from tests.factories import CampaignFactory
from tests.factories.reports import PhotoFactory, ReportBackFactory, past_action

pytestmark = pytest.mark.django_db


def test_an_approved_photo_is_served_as_an_inline_jpeg_caches_revalidate(client):
    photo = PhotoFactory()
    for url in (photo.image_url, photo.thumbnail_url):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "public, no-cache"
        assert response["ETag"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("inline")
        assert "sandbox" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


@pytest.mark.parametrize(
    "make",
    [
        lambda: PhotoFactory(status=Review.PENDING, approved_at=None),
        lambda: PhotoFactory(status=Review.REJECTED, approved_at=None),
        lambda: PhotoFactory(report_back=ReportBackFactory(status=Review.PENDING, approved_at=None)),
        lambda: PhotoFactory(report_back=ReportBackFactory(status=Review.REJECTED, approved_at=None)),
        lambda: PhotoFactory(
            report_back=ReportBackFactory(action=past_action(status=Action.Status.REJECTED, approved_at=None))
        ),
        lambda: PhotoFactory(
            report_back=ReportBackFactory(action=past_action(status=Action.Status.PENDING, approved_at=None))
        ),
        lambda: PhotoFactory(
            report_back=ReportBackFactory(
                action=past_action(campaign=CampaignFactory(status=Campaign.Status.DRAFT))
            )
        ),
    ],
    ids=[
        "photo-pending",
        "photo-rejected",
        "report-pending",
        "report-rejected",
        "action-rejected",
        "action-pending",
        "campaign-draft",
    ],
)
def test_unpublished_photos_are_404(client, make):
    photo = make()
    assert client.get(photo.image_url).status_code == 404
    assert client.get(photo.thumbnail_url).status_code == 404


def test_photos_of_an_archived_campaign_stay_visible(client):
    photo = PhotoFactory(
        report_back=ReportBackFactory(
            action=past_action(campaign=CampaignFactory(status=Campaign.Status.ARCHIVED))
        )
    )
    assert client.get(photo.image_url).status_code == 200


@pytest.mark.parametrize(
    "name", ["unknown-name-0000000.jpg", "..%2Fsecret_key", "photo.png", "a.jpg", "x" * 70 + ".jpg"]
)
def test_names_that_are_no_photo_are_404(client, name):
    PhotoFactory()
    assert (
        client.get(
            reverse("public:photo_file", kwargs={"name": "placeholder.jpg"}).replace("placeholder.jpg", name)
        ).status_code
        == 404
    )


def test_a_photo_whose_file_is_gone_is_404(client):
    photo = PhotoFactory()
    default_storage.delete(photo.image)
    assert client.get(photo.image_url).status_code == 404


def test_photo_file_answers_only_get(client):
    photo = PhotoFactory()
    assert client.post(photo.image_url).status_code == 405


def test_a_public_photo_must_be_revalidated_and_a_matching_etag_gets_304(client):
    photo = PhotoFactory()
    first = client.get(photo.image_url)
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 10
    assert etag != client.get(photo.thumbnail_url)["ETag"]
    assert photo.image.rsplit("/", 1)[-1] not in etag
    again = client.get(photo.image_url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, no-cache"
    assert not again.content
    other = client.get(photo.image_url, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200
    assert b"".join(other.streaming_content).startswith(b"\xff\xd8\xff")


@pytest.mark.parametrize(
    "unpublish",
    [
        lambda photo: photo.__class__.objects.filter(pk=photo.pk).update(status=Review.REJECTED),
        lambda photo: photo.report_back.__class__.objects.filter(pk=photo.report_back_id).update(
            status=Review.PENDING
        ),
    ],
    ids=["photo-rejected", "report-back-taken-back"],
)
def test_a_photo_no_longer_public_is_404_even_to_a_conditional_request(client, unpublish):
    photo = PhotoFactory()
    etag = client.get(photo.image_url)["ETag"]
    unpublish(photo)
    assert client.get(photo.image_url, HTTP_IF_NONE_MATCH=etag).status_code == 404
    assert client.get(photo.image_url, HTTP_IF_NONE_MATCH="*").status_code == 404
