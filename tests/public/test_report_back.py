"""The organizer's report-back through the secret link: the form, photo uploads (metadata gone, bad files
refused with a clear message and nothing stored), the photos' list, removal and private photo files."""

import secrets

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groundswell.core.privacy import hash_token
from groundswell.reports.models import Photo, ReportBack, Review
from groundswell.reports.services.photos import photo_approve
from groundswell.reports.services.report_backs import report_back_approve
from tests.factories import ActionFactory, CampaignFactory, actor
from tests.factories.reports import PhotoFactory, ReportBackFactory, past_action
from tests.reports import photo_samples as samples

pytestmark = pytest.mark.django_db


def organizer_action(**kwargs):
    token = secrets.token_urlsafe(16)
    return past_action(edit_token_hash=hash_token(token), **kwargs), token


def page_url(token):
    return reverse("public:organizer", kwargs={"token": token})


def report_url(token):
    return reverse("public:organizer_report", kwargs={"token": token})


def form_data(**changes):
    return {
        "took_place": "yes",
        "attendance": "150",
        "text": "A hundred and fifty people at the fountain; the water samples were tested live.",
        "links": "https://news.example.org/fountain\nhttps://video.example.org/v/123",
        **changes,
    }


def stored_files() -> set[str]:
    try:
        # Not exists("photos"): object storage has no folders, only names that start with one.
        return set(default_storage.listdir("photos")[1])
    except FileNotFoundError:
        return set()


def test_before_the_start_the_page_says_when_the_form_opens(client):
    token = secrets.token_urlsafe(16)
    ActionFactory(edit_token_hash=hash_token(token))
    body = client.get(page_url(token)).content.decode()
    assert "The report-back form opens when the action starts" in body
    assert 'id="report-form"' not in body
    response = client.post(report_url(token), form_data())
    assert response.status_code == 400
    assert not ReportBack.objects.exists()


def test_the_form_shows_once_the_action_started(client):
    _action, token = organizer_action()
    body = client.get(page_url(token)).content.decode()
    assert 'id="report-form"' in body
    assert 'enctype="multipart/form-data"' in body
    assert 'type="file"' in body and "multiple" in body


def test_blurring_is_on_by_default_in_a_high_risk_campaign(client):
    _action, token = organizer_action(campaign=CampaignFactory(high_risk=True))
    body = client.get(page_url(token)).content.decode()
    assert 'name="blur_faces" id="id_blur_faces" checked' in body
    assert "marked this campaign as high-risk" in body
    _action, other = organizer_action()
    assert 'name="blur_faces" id="id_blur_faces" checked' not in client.get(page_url(other)).content.decode()


def test_report_back_without_photos(client):
    action, token = organizer_action()
    response = client.post(report_url(token), form_data())
    assert response.status_code == 302
    report_back = ReportBack.objects.get(action=action)
    assert report_back.attendance == 150
    assert report_back.links == ["https://news.example.org/fountain", "https://video.example.org/v/123"]
    assert report_back.status == Review.PENDING
    body = client.get(page_url(token)).content.decode()
    assert "Waiting for moderation" in body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"links": "ftp://files.example.org/x"}, "is not a web address starting with http"),
        ({"links": "\n".join(f"https://e.example.org/{n}" for n in range(6))}, "at most 5 links"),
        ({"attendance": "-3"}, "greater than or equal to 0"),
        ({"attendance": "many"}, "Enter a whole number"),
        ({"took_place": ""}, "Say whether the action took place"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, changes, message):
    _action, token = organizer_action()
    response = client.post(
        report_url(token), {**form_data(**changes), "photos": samples.upload(samples.plain(), "ok.jpg")}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportBack.objects.exists()
    assert not Photo.objects.exists()


@pytest.mark.parametrize(
    ("make", "name", "content_type"),
    [
        (samples.jpeg_with_metadata, "IMG_2024_at_home.jpg", "image/jpeg"),
        (samples.png_with_metadata, "screenshot-home.png", "image/png"),
    ],
)
def test_uploaded_photos_lose_gps_exif_and_xmp_stored_and_served(
    client, django_capture_on_commit_callbacks, make, name, content_type
):
    action, token = organizer_action()
    data = make()
    original = samples.read_back(data)
    assert original.getexif().get_ifd(samples.GPS_IFD)[2] == (52.0, 31.0, 12.0)
    assert "xmp" in original.info and "icc_profile" in original.info

    response = client.post(
        report_url(token), {**form_data(), "photos": samples.upload(data, name, content_type)}
    )
    assert response.status_code == 302
    photo = Photo.objects.get(report_back__action=action)
    assert name.rsplit(".", 1)[0] not in photo.image
    for stored_name in (photo.image, photo.thumbnail):
        with default_storage.open(stored_name, "rb") as stored:
            samples.assert_no_metadata(stored.read())

    # The organizer sees it before moderation, privately.
    private = client.get(
        reverse("public:organizer_photo_file", kwargs={"token": token, "pk": photo.pk, "variant": "full"})
    )
    assert private.status_code == 200
    assert private["Cache-Control"] == "no-store, private"
    samples.assert_no_metadata(b"".join(private.streaming_content))
    # The public does not, until both the photo and the report-back are approved.
    assert client.get(photo.image_url).status_code == 404
    moderator = actor("moderator", action.campaign)
    report_back_approve(actor=moderator, report_back=photo.report_back)
    photo_approve(actor=moderator, photo=photo)
    for url in (photo.image_url, photo.thumbnail_url):
        served = client.get(url)
        assert served.status_code == 200
        assert served["Content-Type"] == "image/jpeg"
        samples.assert_no_metadata(b"".join(served.streaming_content))


REFUSED = [
    (samples.png_bomb, "bomb.png", "has too many pixels"),
    (samples.jpeg_declaring_huge_size, "huge.jpg", "has too many pixels"),
    (lambda: samples.truncated(samples.plain("JPEG")), "cut.jpg", "is damaged or incomplete"),
    (lambda: samples.truncated(samples.plain("PNG")), "cut.png", "is damaged or incomplete"),
    (samples.jpeg_plus_zip, "archive.jpg", "contains something other than an image"),
    (samples.jpeg_plus_html, "page.jpg", "contains something other than an image"),
    (samples.png_plus_html, "page.png", "contains something other than an image"),
    (samples.gif, "moving.gif", "is not a JPEG, PNG or WebP image"),
    (lambda: samples.PDF, "document.jpg", "is not a JPEG, PNG or WebP image"),
    (lambda: samples.SVG_WITH_PROLOG, "logo.svg", "SVG images are not accepted"),
    (lambda: samples.SVG_BARE, "logo.svg", "SVG images are not accepted"),
    (lambda: samples.SVG_WITH_PROLOG, "logo.jpg", "SVG images are not accepted"),
    (lambda: samples.SVG_BARE, "innocent.jpg", "SVG images are not accepted"),
    (lambda: b"", "empty.jpg", "is empty"),
    (lambda: samples.TEXT, "notes.txt", "is not a JPEG, PNG or WebP image"),
]


@pytest.mark.parametrize(
    ("make", "name", "message"), REFUSED, ids=[row[1] + "-" + row[2][:12] for row in REFUSED]
)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_stored(client, make, name, message):
    _action, token = organizer_action()
    before = stored_files()
    response = client.post(report_url(token), {**form_data(), "photos": samples.upload(make(), name)})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f"“{name}”" in body
    assert not Photo.objects.exists()
    assert stored_files() == before


def test_one_bad_photo_of_three_the_good_ones_are_kept_and_the_bad_one_named(client):
    action, token = organizer_action()
    uploads = [
        samples.upload(samples.plain("JPEG"), "first.jpg"),
        samples.upload(samples.jpeg_plus_html(), "second.jpg"),
        samples.upload(samples.plain("PNG"), "third.png", "image/png"),
    ]
    response = client.post(report_url(token), {**form_data(), "photos": uploads})
    assert response.status_code == 400
    body = response.content.decode()
    assert "“second.jpg” contains something other than an image" in body
    assert "everything else you sent is saved" in body
    assert Photo.objects.filter(report_back__action=action).count() == 2


def test_at_most_ten_photos(client):
    action, token = organizer_action()
    PhotoFactory.create_batch(9, report_back=ReportBackFactory(action=action))
    uploads = [samples.upload(samples.plain(), f"photo{n}.jpg") for n in range(3)]
    response = client.post(report_url(token), {**form_data(), "photos": uploads})
    assert response.status_code == 400
    assert "at most 10 photos" in response.content.decode()
    assert Photo.objects.filter(report_back__action=action).count() == 10
    assert "You have sent the maximum of 10 photos" in client.get(page_url(token)).content.decode()


def test_rejected_report_back_and_photo_show_the_reasons(client):
    action, token = organizer_action()
    report_back = ReportBackFactory(action=action, status=Review.REJECTED, moderation_note="Names a minor.")
    PhotoFactory(report_back=report_back, status=Review.REJECTED, moderation_note="Faces visible.")
    body = client.get(page_url(token)).content.decode()
    assert "Names a minor." in body and "Faces visible." in body


def test_captions_are_saved_with_the_form(client):
    action, token = organizer_action()
    photo = PhotoFactory(report_back=ReportBackFactory(action=action), caption="")
    client.post(report_url(token), {**form_data(), f"caption-{photo.pk}": "Banner at the fountain"})
    photo.refresh_from_db()
    assert photo.caption == "Banner at the fountain"
    assert photo.status == Review.PENDING


def test_organizer_removes_a_photo_and_its_files(client, django_capture_on_commit_callbacks):
    action, token = organizer_action()
    photo = PhotoFactory(report_back=ReportBackFactory(action=action))
    names = (photo.image, photo.thumbnail)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("public:organizer_photo_remove", kwargs={"token": token, "pk": photo.pk})
        )
    assert response.status_code == 302
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_another_organizers_photo_cannot_be_seen_or_removed(client):
    _action, token = organizer_action()
    foreign = PhotoFactory()
    assert (
        client.get(
            reverse(
                "public:organizer_photo_file", kwargs={"token": token, "pk": foreign.pk, "variant": "thumb"}
            )
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("public:organizer_photo_remove", kwargs={"token": token, "pk": foreign.pk})
        ).status_code
        == 404
    )
    assert Photo.objects.filter(pk=foreign.pk).exists()


def test_wrong_token_is_404(client):
    photo = PhotoFactory()
    assert client.post(report_url("not-a-token"), form_data()).status_code == 404
    url = reverse("public:organizer_photo_file", kwargs={"token": "nope", "pk": photo.pk, "variant": "full"})
    assert client.get(url).status_code == 404


def test_uploads_are_rate_limited_per_action(client, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    _action, token = organizer_action()
    for _ in range(2):
        assert client.post(report_url(token), form_data()).status_code == 302
    response = client.post(report_url(token), form_data())
    assert response.status_code == 429
    assert "Too many report-back submissions" in response.content.decode()


def test_organizer_page_queries_do_not_grow_with_photos(client):
    counts = {}
    for n in (1, 3):
        action, token = organizer_action()
        PhotoFactory.create_batch(n, report_back=ReportBackFactory(action=action))
        client.get(page_url(token))  # warm up per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page_url(token))
        assert response.content.decode().count('class="photo-list__item"') == n
        counts[n] = len(queries)
    assert counts[1] == counts[3]


# --- the size of what is sent, checked before Django writes any of it to disk -------------------------------


def test_a_body_declared_larger_than_ten_full_size_photos_is_refused_unread(client, settings):
    from groundswell.public.views.report_back import max_request_bytes

    assert max_request_bytes() == 10 * settings.PHOTO_MAX_BYTES + 1024 * 1024
    action, token = organizer_action()
    before = stored_files()
    # The declared length alone decides: the body is never read (the test client would fail reading past
    # what it holds).
    response = client.post(
        report_url(token),
        {**form_data(), "photos": samples.upload(samples.plain(), "ok.jpg")},
        CONTENT_LENGTH=str(max_request_bytes() + 1),
    )
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert not ReportBack.objects.filter(action=action).exists()
    assert stored_files() == before


@pytest.mark.parametrize("length", ["", "lots", "-5"])
def test_a_multipart_body_without_a_valid_length_is_refused(client, length):
    action, token = organizer_action()
    response = client.post(
        report_url(token),
        {**form_data(), "photos": samples.upload(samples.plain(), "ok.jpg")},
        CONTENT_LENGTH=length,
    )
    assert response.status_code == 413
    assert "did not say how large the upload is" in response.content.decode()
    assert not ReportBack.objects.filter(action=action).exists()


def test_more_files_than_photos_allowed_get_a_clear_message_not_an_error_page(client, settings):
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 10
    action, token = organizer_action()
    uploads = [samples.upload(samples.plain(), f"photo{n}.jpg") for n in range(11)]
    response = client.post(report_url(token), {**form_data(), "photos": uploads})
    assert response.status_code == 400
    body = response.content.decode()
    assert "You sent too many files at once: at most 10 photos" in body
    assert 'id="report-form"' in body
    assert not ReportBack.objects.filter(action=action).exists()
    assert not Photo.objects.exists()


def test_too_much_form_data_gets_a_clear_message_not_an_error_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    action, token = organizer_action()
    response = client.post(report_url(token), form_data(text="x" * 2000))
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert not ReportBack.objects.filter(action=action).exists()


def test_a_caption_with_control_characters_is_saved_without_them(client):
    action, token = organizer_action()
    photo = PhotoFactory(report_back=ReportBackFactory(action=action), caption="")
    response = client.post(
        report_url(token), {**form_data(), f"caption-{photo.pk}": "Banner\x00 at the\x1b fountain\n"}
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "Banner at the fountain"
