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


def test_an_approved_photo_is_served_as_a_cacheable_inline_jpeg(client):
    photo = PhotoFactory()
    for url in (photo.image_url, photo.thumbnail_url):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "public, max-age=3600"
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
