"""The photo services: the organizer's uploads, captions and removals, and the moderators' decisions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from groundswell.core.models import AuditEntry
from groundswell.reports import faces
from groundswell.reports.models import Photo, Review
from groundswell.reports.services import photos
from groundswell.reports.services.report_backs import report_back_save
from tests.factories import actor
from tests.factories.reports import PhotoFactory, ReportBackFactory, past_action

from . import photo_samples as samples

pytestmark = pytest.mark.django_db


def save(action, **changes):
    values = {
        "took_place": True,
        "attendance": 80,
        "text": "Eighty people came; the tap-water tests were shown at the stand.",
        "links": ["https://news.example.org/stand"],
        "blur_faces": False,
        **changes,
    }
    return report_back_save(action=action, **values)


def stored_files() -> set[str]:
    try:
        # Not exists("photos"): object storage has no folders, only names that start with one.
        return set(default_storage.listdir("photos")[1])
    except FileNotFoundError:
        return set()


def exists(name: str) -> bool:
    return default_storage.exists(name)


# --- the organizer's photos ---------------------------------------------------------------------------------


def test_photo_add_stores_a_clean_pending_photo_under_random_names():
    report_back = save(past_action())
    photo = photos.photo_add(
        report_back=report_back, upload=samples.upload(samples.jpeg_with_metadata(), "holiday-IMG_0042.jpg")
    )
    assert photo.status == Review.PENDING
    assert photo.faces_blurred is None
    for name in (photo.image, photo.thumbnail):
        assert name.startswith("photos/")
        assert "IMG_0042" not in name and "holiday" not in name
        with default_storage.open(name, "rb") as stored:
            samples.assert_no_metadata(stored.read())
    assert photo.image.removesuffix(".jpg") + "-thumb.jpg" == photo.thumbnail
    assert AuditEntry.objects.filter(verb="reports.photo.added", target_id=str(photo.pk)).exists()


def test_the_same_file_twice_gets_two_different_names():
    report_back = save(past_action())
    data = samples.plain("PNG")
    first = photos.photo_add(report_back=report_back, upload=samples.upload(data, "same.png"))
    second = photos.photo_add(report_back=report_back, upload=samples.upload(data, "same.png"))
    assert {first.image, first.thumbnail}.isdisjoint({second.image, second.thumbnail})


def test_photo_add_blurs_faces_when_the_report_back_asks():
    report_back = save(past_action(), blur_faces=True)
    photo = photos.photo_add(
        report_back=report_back, upload=samples.upload(samples.encoded(samples.drawn_face()), "face.png")
    )
    assert photo.faces_blurred == 1


def test_photo_add_refuses_a_bad_file_and_stores_nothing():
    report_back = save(past_action())
    before = stored_files()
    with pytest.raises(ValidationError) as caught:
        photos.photo_add(report_back=report_back, upload=samples.upload(samples.jpeg_plus_zip(), "day.jpg"))
    assert "“day.jpg” contains something other than an image" in caught.value.messages[0]
    assert not Photo.objects.exists()
    assert stored_files() == before


class UnreadableUpload:
    """An upload that declares its size and must not be read."""

    name = "huge.jpg"
    size = 50 * 1024 * 1024

    def seek(self, position):
        raise AssertionError("an oversized upload was read")

    def read(self, *args):
        raise AssertionError("an oversized upload was read")


def test_photo_add_checks_the_declared_size_before_reading():
    report_back = save(past_action())
    with pytest.raises(ValidationError) as caught:
        photos.photo_add(report_back=report_back, upload=UnreadableUpload())
    assert "“huge.jpg” is larger than 10 MB" in caught.value.messages[0]


def test_photo_add_refuses_the_eleventh_photo():
    report_back = ReportBackFactory()
    PhotoFactory.create_batch(10, report_back=report_back)
    before = stored_files()
    with pytest.raises(ValidationError) as caught:
        photos.photo_add(report_back=report_back, upload=samples.upload(samples.plain(), "eleven.jpg"))
    assert "at most 10 photos" in caught.value.messages[0]
    assert report_back.photos.count() == 10
    assert stored_files() == before


def test_photo_add_refuses_a_long_caption():
    report_back = save(past_action())
    with pytest.raises(ValidationError):
        photos.photo_add(report_back=report_back, upload=samples.upload(samples.plain()), caption="x" * 301)
    assert not Photo.objects.exists()


def test_photo_remove_by_organizer_deletes_row_and_files(django_capture_on_commit_callbacks):
    photo = PhotoFactory()
    names = (photo.image, photo.thumbnail)
    with django_capture_on_commit_callbacks(execute=True):
        photos.photo_remove_by_organizer(photo=photo)
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not any(exists(name) for name in names)


def test_caption_change_sends_an_approved_photo_back_to_moderation():
    photo = PhotoFactory()
    assert photos.photo_caption_set(photo=photo, caption="Banner at the fountain")
    photo.refresh_from_db()
    assert (photo.caption, photo.status) == ("Banner at the fountain", Review.PENDING)
    assert not photos.photo_caption_set(photo=photo, caption="Banner at the fountain")


# --- moderation ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["translator", "coordinator elsewhere", "plain staff", "anonymous"])
def test_only_moderators_decide(kind):
    photo = PhotoFactory(status=Review.PENDING, approved_at=None)
    user = actor(kind, photo.report_back.action.campaign)
    with pytest.raises(PermissionDenied):
        photos.photo_approve(actor=user, photo=photo)
    with pytest.raises(PermissionDenied):
        photos.photo_reject(actor=user, photo=photo, reason="No.")
    with pytest.raises(PermissionDenied):
        photos.photo_blur_faces(actor=user, photo=photo)
    photo.refresh_from_db()
    assert photo.status == Review.PENDING
    assert not AuditEntry.objects.filter(verb__startswith="reports.").exists()


def test_photo_approve():
    photo = PhotoFactory(status=Review.PENDING, approved_at=None)
    photos.photo_approve(actor=actor("coordinator", photo.report_back.action.campaign), photo=photo)
    photo.refresh_from_db()
    assert photo.status == Review.APPROVED and photo.approved_at is not None
    assert AuditEntry.objects.filter(verb="reports.photo.approved").exists()


def test_photo_reject_deletes_the_files(django_capture_on_commit_callbacks):
    photo = PhotoFactory(status=Review.PENDING, approved_at=None)
    names = (photo.image, photo.thumbnail)
    moderator = actor("moderator", photo.report_back.action.campaign)
    with django_capture_on_commit_callbacks(execute=True):
        photos.photo_reject(actor=moderator, photo=photo, reason="Someone can be recognized.")
    photo.refresh_from_db()
    assert photo.status == Review.REJECTED
    assert photo.moderation_note == "Someone can be recognized."
    assert not any(exists(name) for name in names)
    assert AuditEntry.objects.filter(
        verb="reports.photo.rejected", message="Someone can be recognized."
    ).exists()


def test_photo_blur_faces_replaces_the_files_under_new_names(django_capture_on_commit_callbacks):
    report_back = save(past_action())
    photo = photos.photo_add(
        report_back=report_back, upload=samples.upload(samples.encoded(samples.drawn_face()), "face.png")
    )
    old = (photo.image, photo.thumbnail)
    moderator = actor("moderator", report_back.action.campaign)
    with django_capture_on_commit_callbacks(execute=True):
        found = photos.photo_blur_faces(actor=moderator, photo=photo)
    assert found == 1
    photo.refresh_from_db()
    assert photo.faces_blurred == 1
    assert {photo.image, photo.thumbnail}.isdisjoint(old)
    assert not any(exists(name) for name in old)
    with default_storage.open(photo.image, "rb") as stored:
        assert faces.detect_faces(samples.read_back(stored.read())) == []
    entry = AuditEntry.objects.get(verb="reports.photo.faces_blurred")
    assert entry.data == {"faces": 1}


def test_photo_blur_faces_without_faces_keeps_the_files():
    photo = PhotoFactory(status=Review.PENDING, approved_at=None)
    old = (photo.image, photo.thumbnail)
    found = photos.photo_blur_faces(actor=actor("moderator", photo.report_back.action.campaign), photo=photo)
    assert found == 0
    photo.refresh_from_db()
    assert (photo.image, photo.thumbnail) == old
    assert photo.faces_blurred == 0
    assert all(exists(name) for name in old)


def test_a_decision_on_a_photo_already_decided_is_refused():
    photo = PhotoFactory()
    with pytest.raises(ValidationError):
        photos.photo_approve(actor=actor("moderator", photo.report_back.action.campaign), photo=photo)
    photo.refresh_from_db()
    assert photo.status == Review.APPROVED


# --- text safe to store (PostgreSQL refuses NUL) ------------------------------------------------------------


def test_captions_lose_control_characters():
    report_back = save(past_action())
    photo = photos.photo_add(
        report_back=report_back,
        upload=samples.upload(samples.plain(), "a.jpg"),
        caption="Banner\x00 at the\u202e fountain\t",
    )
    assert Photo.objects.get(pk=photo.pk).caption == "Banner at the fountain"
    assert photos.photo_caption_set(photo=photo, caption="\x00New\x07 caption\r\n")
    assert Photo.objects.get(pk=photo.pk).caption == "New caption"


def test_a_reason_loses_control_characters():
    photo = PhotoFactory(status=Review.PENDING, approved_at=None)
    moderator = actor("moderator", photo.report_back.action.campaign)
    photos.photo_reject(actor=moderator, photo=photo, reason="Face\x00 visible.")
    assert Photo.objects.get(pk=photo.pk).moderation_note == "Face visible."


# --- rows or files gone meanwhile ---------------------------------------------------------------------------


def test_blur_faces_on_a_missing_file_is_a_validation_error():
    photo = PhotoFactory(status=Review.PENDING, approved_at=None)
    default_storage.delete(photo.image)
    with pytest.raises(ValidationError, match="The photo's file is missing."):
        photos.photo_blur_faces(actor=actor("moderator", photo.report_back.action.campaign), photo=photo)


def test_blur_faces_on_a_photo_deleted_meanwhile_is_a_validation_error_and_leaves_no_file():
    report_back = save(past_action())
    photo = photos.photo_add(
        report_back=report_back, upload=samples.upload(samples.encoded(samples.drawn_face()), "face.png")
    )
    moderator = actor("moderator", report_back.action.campaign)
    Photo.objects.filter(pk=photo.pk).delete()  # the row goes; its files are still there
    before = stored_files()
    with pytest.raises(ValidationError, match="This photo changed meanwhile: reload the page."):
        photos.photo_blur_faces(actor=moderator, photo=photo)
    assert stored_files() == before  # the blurred copy was not kept


@pytest.mark.parametrize(
    "decide",
    [
        lambda user, photo: photos.photo_approve(actor=user, photo=photo),
        lambda user, photo: photos.photo_reject(actor=user, photo=photo, reason="No."),
    ],
    ids=["approve", "reject"],
)
def test_a_decision_on_a_photo_deleted_meanwhile_is_a_validation_error(decide):
    photo = PhotoFactory(status=Review.PENDING, approved_at=None)
    moderator = actor("moderator", photo.report_back.action.campaign)
    Photo.objects.filter(pk=photo.pk).delete()
    with pytest.raises(ValidationError, match="This photo changed meanwhile: reload the page."):
        decide(moderator, photo)


def test_a_caption_on_a_photo_removed_meanwhile_is_a_validation_error():
    photo = PhotoFactory(report_back=save(past_action()), status=Review.PENDING, approved_at=None)
    Photo.objects.filter(pk=photo.pk).delete()
    with pytest.raises(ValidationError, match="This photo changed meanwhile"):
        photos.photo_caption_set(photo=photo, caption="New")
