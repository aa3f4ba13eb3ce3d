"""The report-back services: the organizer's writes and the moderators' decisions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from groundswell.actions.models import Action
from groundswell.campaigns.models import Campaign
from groundswell.core.models import AuditEntry
from groundswell.reports.models import Photo, ReportBack, Review
from groundswell.reports.services import report_backs as services
from tests.factories import ActionFactory, CampaignFactory, actor
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
    return services.report_back_save(action=action, **values)


def stored_files() -> set[str]:
    if not default_storage.exists("photos"):
        return set()
    return set(default_storage.listdir("photos")[1])


def exists(name: str) -> bool:
    return default_storage.exists(name)


# --- report_back_save ---------------------------------------------------------------------------------------


def test_report_back_save_creates_a_pending_report_back_with_an_audit_entry():
    action = past_action()
    report_back = save(action)
    assert report_back.status == Review.PENDING
    assert report_back.attendance == 80
    assert report_back.links == ["https://news.example.org/stand"]
    assert AuditEntry.objects.filter(
        verb="reports.report_back.submitted", target_id=str(report_back.pk)
    ).exists()


@pytest.mark.parametrize(
    ("make_action", "message"),
    [
        (lambda: ActionFactory(), "once the action has started"),
        (lambda: past_action(status=Action.Status.PENDING, approved_at=None), "Only an approved action"),
        (lambda: past_action(status=Action.Status.CANCELLED), "Only an approved action"),
        (
            lambda: past_action(campaign=CampaignFactory(status=Campaign.Status.ARCHIVED)),
            "campaign is closed",
        ),
    ],
    ids=["not-started", "pending", "cancelled", "archived-campaign"],
)
def test_report_back_save_is_refused_when_not_open(make_action, message):
    action = make_action()
    with pytest.raises(ValidationError) as caught:
        save(action)
    assert message in " ".join(caught.value.messages)
    assert not ReportBack.objects.exists()


def test_report_back_opens_at_the_start_of_the_action():
    action = ActionFactory()
    assert not services.report_back_is_open(action, now=action.starts_at - dt.timedelta(seconds=1))
    assert services.report_back_is_open(action, now=action.starts_at)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"links": [f"https://news.example.org/{n}" for n in range(6)]}, "links"),
        ({"links": ["ftp://files.example.org/photos"]}, "links"),
        ({"links": ["javascript:alert(1)"]}, "links"),
        ({"links": ["https://example.org/" + "a" * 500]}, "links"),
        ({"links": ["https://"]}, "links"),
        ({"text": "x" * 5001}, "text"),
        ({"attendance": 10_000_001}, "attendance"),
        ({"attendance": -1}, "attendance"),
    ],
    ids=[
        "six-links",
        "ftp",
        "javascript",
        "long-link",
        "no-host",
        "long-text",
        "huge-attendance",
        "negative",
    ],
)
def test_report_back_save_refuses_bad_values_and_saves_nothing(changes, field):
    action = past_action()
    with pytest.raises(ValidationError) as caught:
        save(action, **changes)
    assert field in caught.value.error_dict
    assert not ReportBack.objects.exists()


def test_changing_an_approved_report_back_sends_it_back_to_moderation():
    report_back = ReportBackFactory()
    save(
        report_back.action,
        attendance=report_back.attendance + 10,
        links=report_back.links,
        text=report_back.text,
    )
    report_back.refresh_from_db()
    assert report_back.status == Review.PENDING
    assert report_back.approved_at is None
    assert AuditEntry.objects.filter(verb="reports.report_back.updated").exists()


def test_saving_the_same_values_keeps_an_approved_report_back_approved():
    report_back = ReportBackFactory()
    save(
        report_back.action,
        took_place=report_back.took_place,
        attendance=report_back.attendance,
        text=report_back.text,
        links=report_back.links,
        blur_faces=report_back.blur_faces,
    )
    report_back.refresh_from_db()
    assert report_back.status == Review.APPROVED


def test_turning_on_blurring_alone_does_not_need_moderation():
    report_back = ReportBackFactory()
    save(
        report_back.action,
        took_place=report_back.took_place,
        attendance=report_back.attendance,
        text=report_back.text,
        links=report_back.links,
        blur_faces=True,
    )
    report_back.refresh_from_db()
    assert report_back.blur_faces is True
    assert report_back.status == Review.APPROVED


# --- photo_add ----------------------------------------------------------------------------------------------


def test_photo_add_stores_a_clean_pending_photo_under_random_names():
    report_back = save(past_action())
    photo = services.photo_add(
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
    first = services.photo_add(report_back=report_back, upload=samples.upload(data, "same.png"))
    second = services.photo_add(report_back=report_back, upload=samples.upload(data, "same.png"))
    assert {first.image, first.thumbnail}.isdisjoint({second.image, second.thumbnail})


def test_photo_add_blurs_faces_when_the_report_back_asks():
    report_back = save(past_action(), blur_faces=True)
    photo = services.photo_add(
        report_back=report_back, upload=samples.upload(samples.encoded(samples.drawn_face()), "face.png")
    )
    assert photo.faces_blurred == 1


def test_photo_add_refuses_a_bad_file_and_stores_nothing():
    report_back = save(past_action())
    before = stored_files()
    with pytest.raises(ValidationError) as caught:
        services.photo_add(report_back=report_back, upload=samples.upload(samples.jpeg_plus_zip(), "day.jpg"))
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
        services.photo_add(report_back=report_back, upload=UnreadableUpload())
    assert "“huge.jpg” is larger than 10 MB" in caught.value.messages[0]


def test_photo_add_refuses_the_eleventh_photo():
    report_back = ReportBackFactory()
    PhotoFactory.create_batch(10, report_back=report_back)
    before = stored_files()
    with pytest.raises(ValidationError) as caught:
        services.photo_add(report_back=report_back, upload=samples.upload(samples.plain(), "eleven.jpg"))
    assert "at most 10 photos" in caught.value.messages[0]
    assert report_back.photos.count() == 10
    assert stored_files() == before


def test_photo_add_refuses_a_long_caption():
    report_back = save(past_action())
    with pytest.raises(ValidationError):
        services.photo_add(report_back=report_back, upload=samples.upload(samples.plain()), caption="x" * 301)
    assert not Photo.objects.exists()


def test_photo_remove_by_organizer_deletes_row_and_files(django_capture_on_commit_callbacks):
    photo = PhotoFactory()
    names = (photo.image, photo.thumbnail)
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_remove_by_organizer(photo=photo)
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not any(exists(name) for name in names)


def test_caption_change_sends_an_approved_photo_back_to_moderation():
    photo = PhotoFactory()
    assert services.photo_caption_set(photo=photo, caption="Banner at the fountain")
    photo.refresh_from_db()
    assert (photo.caption, photo.status) == ("Banner at the fountain", Review.PENDING)
    assert not services.photo_caption_set(photo=photo, caption="Banner at the fountain")


# --- moderation ---------------------------------------------------------------------------------------------


def test_report_back_approve_and_reject_are_audited():
    report_back = ReportBackFactory(status=Review.PENDING, approved_at=None)
    moderator = actor("moderator", report_back.action.campaign)
    services.report_back_approve(actor=moderator, report_back=report_back)
    report_back.refresh_from_db()
    assert report_back.status == Review.APPROVED and report_back.approved_at is not None
    services.report_back_reject(
        actor=moderator, report_back=report_back, reason="Contains a private address."
    )
    report_back.refresh_from_db()
    assert report_back.status == Review.REJECTED
    assert report_back.moderation_note == "Contains a private address."
    verbs = set(AuditEntry.objects.filter(target_id=str(report_back.pk)).values_list("verb", flat=True))
    assert {"reports.report_back.approved", "reports.report_back.rejected"} <= verbs


def test_reject_needs_a_reason():
    report_back = ReportBackFactory(status=Review.PENDING, approved_at=None)
    moderator = actor("moderator", report_back.action.campaign)
    with pytest.raises(ValidationError) as caught:
        services.report_back_reject(actor=moderator, report_back=report_back, reason="  ")
    assert "reason" in caught.value.error_dict
    report_back.refresh_from_db()
    assert report_back.status == Review.PENDING


@pytest.mark.parametrize("kind", ["translator", "coordinator elsewhere", "plain staff", "anonymous"])
def test_only_moderators_decide(kind):
    photo = PhotoFactory(status=Review.PENDING, approved_at=None)
    report_back = photo.report_back
    user = actor(kind, report_back.action.campaign)
    with pytest.raises(PermissionDenied):
        services.report_back_approve(actor=user, report_back=report_back)
    with pytest.raises(PermissionDenied):
        services.report_back_reject(actor=user, report_back=report_back, reason="No.")
    with pytest.raises(PermissionDenied):
        services.photo_approve(actor=user, photo=photo)
    with pytest.raises(PermissionDenied):
        services.photo_reject(actor=user, photo=photo, reason="No.")
    with pytest.raises(PermissionDenied):
        services.photo_blur_faces(actor=user, photo=photo)
    photo.refresh_from_db()
    assert photo.status == Review.PENDING
    assert not AuditEntry.objects.filter(verb__startswith="reports.").exists()


def test_photo_approve():
    photo = PhotoFactory(status=Review.PENDING, approved_at=None)
    services.photo_approve(actor=actor("coordinator", photo.report_back.action.campaign), photo=photo)
    photo.refresh_from_db()
    assert photo.status == Review.APPROVED and photo.approved_at is not None
    assert AuditEntry.objects.filter(verb="reports.photo.approved").exists()


def test_photo_reject_deletes_the_files(django_capture_on_commit_callbacks):
    photo = PhotoFactory(status=Review.PENDING, approved_at=None)
    names = (photo.image, photo.thumbnail)
    moderator = actor("moderator", photo.report_back.action.campaign)
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_reject(actor=moderator, photo=photo, reason="Someone can be recognized.")
    photo.refresh_from_db()
    assert photo.status == Review.REJECTED
    assert photo.moderation_note == "Someone can be recognized."
    assert not any(exists(name) for name in names)
    assert AuditEntry.objects.filter(
        verb="reports.photo.rejected", message="Someone can be recognized."
    ).exists()


def test_photo_blur_faces_replaces_the_files_under_new_names(django_capture_on_commit_callbacks):
    report_back = save(past_action())
    photo = services.photo_add(
        report_back=report_back, upload=samples.upload(samples.encoded(samples.drawn_face()), "face.png")
    )
    old = (photo.image, photo.thumbnail)
    moderator = actor("moderator", report_back.action.campaign)
    with django_capture_on_commit_callbacks(execute=True):
        found = services.photo_blur_faces(actor=moderator, photo=photo)
    assert found == 1
    photo.refresh_from_db()
    assert photo.faces_blurred == 1
    assert {photo.image, photo.thumbnail}.isdisjoint(old)
    assert not any(exists(name) for name in old)
    with default_storage.open(photo.image, "rb") as stored:
        assert services.images.faces.detect_faces(samples.read_back(stored.read())) == []
    entry = AuditEntry.objects.get(verb="reports.photo.faces_blurred")
    assert entry.data == {"faces": 1}


def test_photo_blur_faces_without_faces_keeps_the_files():
    photo = PhotoFactory(status=Review.PENDING, approved_at=None)
    old = (photo.image, photo.thumbnail)
    found = services.photo_blur_faces(
        actor=actor("moderator", photo.report_back.action.campaign), photo=photo
    )
    assert found == 0
    photo.refresh_from_db()
    assert (photo.image, photo.thumbnail) == old
    assert photo.faces_blurred == 0
    assert all(exists(name) for name in old)


def test_a_decision_on_a_photo_already_decided_is_refused():
    photo = PhotoFactory()
    with pytest.raises(ValidationError):
        services.photo_approve(actor=actor("moderator", photo.report_back.action.campaign), photo=photo)
    photo.refresh_from_db()
    assert photo.status == Review.APPROVED


# --- text safe to store (PostgreSQL refuses NUL) ------------------------------------------------------------


def test_captions_lose_control_characters():
    report_back = save(past_action())
    photo = services.photo_add(
        report_back=report_back,
        upload=samples.upload(samples.plain(), "a.jpg"),
        caption="Banner\x00 at the\u202e fountain\t",
    )
    assert Photo.objects.get(pk=photo.pk).caption == "Banner at the fountain"
    assert services.photo_caption_set(photo=photo, caption="\x00New\x07 caption\r\n")
    assert Photo.objects.get(pk=photo.pk).caption == "New caption"


def test_report_back_text_loses_control_characters_and_keeps_its_lines():
    report_back = save(past_action(), text="  First\x00 line\r\nSecond\x1b line  ")
    assert ReportBack.objects.get(pk=report_back.pk).text == "First line\nSecond line"


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("https://news.example.org/a\x00b", "contains spaces"),
        ("https://news.example.org/\u202eexe.pdf", "contains invisible characters"),
        ("https://news.example.org/a\u200bb", "contains invisible characters"),
    ],
)
def test_links_with_control_or_invisible_characters_are_refused(link, message):
    with pytest.raises(ValidationError) as error:
        save(past_action(), links=[link])
    assert message in " ".join(error.value.message_dict["links"])
    assert "\x00" not in " ".join(error.value.message_dict["links"])
    assert not ReportBack.objects.exists()


def test_a_reason_loses_control_characters():
    photo = PhotoFactory(status=Review.PENDING, approved_at=None)
    moderator = actor("moderator", photo.report_back.action.campaign)
    services.photo_reject(actor=moderator, photo=photo, reason="Face\x00 visible.")
    assert Photo.objects.get(pk=photo.pk).moderation_note == "Face visible."


# --- rows or files gone meanwhile ---------------------------------------------------------------------------


def test_blur_faces_on_a_missing_file_is_a_validation_error():
    photo = PhotoFactory(status=Review.PENDING, approved_at=None)
    default_storage.delete(photo.image)
    with pytest.raises(ValidationError, match="The photo's file is missing."):
        services.photo_blur_faces(actor=actor("moderator", photo.report_back.action.campaign), photo=photo)


def test_blur_faces_on_a_photo_deleted_meanwhile_is_a_validation_error_and_leaves_no_file():
    report_back = save(past_action())
    photo = services.photo_add(
        report_back=report_back, upload=samples.upload(samples.encoded(samples.drawn_face()), "face.png")
    )
    moderator = actor("moderator", report_back.action.campaign)
    Photo.objects.filter(pk=photo.pk).delete()  # the row goes; its files are still there
    before = stored_files()
    with pytest.raises(ValidationError, match="This photo changed meanwhile: reload the page."):
        services.photo_blur_faces(actor=moderator, photo=photo)
    assert stored_files() == before  # the blurred copy was not kept


@pytest.mark.parametrize(
    "decide",
    [
        lambda user, photo: services.photo_approve(actor=user, photo=photo),
        lambda user, photo: services.photo_reject(actor=user, photo=photo, reason="No."),
    ],
    ids=["approve", "reject"],
)
def test_a_decision_on_a_photo_deleted_meanwhile_is_a_validation_error(decide):
    photo = PhotoFactory(status=Review.PENDING, approved_at=None)
    moderator = actor("moderator", photo.report_back.action.campaign)
    Photo.objects.filter(pk=photo.pk).delete()
    with pytest.raises(ValidationError, match="This photo changed meanwhile: reload the page."):
        decide(moderator, photo)


@pytest.mark.parametrize(
    "decide",
    [
        lambda user, report_back: services.report_back_approve(actor=user, report_back=report_back),
        lambda user, report_back: services.report_back_reject(
            actor=user, report_back=report_back, reason="No."
        ),
    ],
    ids=["approve", "reject"],
)
def test_a_decision_on_a_report_back_deleted_meanwhile_is_a_validation_error(decide):
    report_back = ReportBackFactory(status=Review.PENDING, approved_at=None)
    moderator = actor("moderator", report_back.action.campaign)
    ReportBack.objects.filter(pk=report_back.pk).delete()
    with pytest.raises(ValidationError, match="This report-back changed meanwhile: reload the page."):
        decide(moderator, report_back)


def test_a_caption_on_a_photo_removed_meanwhile_is_a_validation_error():
    photo = PhotoFactory(report_back=save(past_action()), status=Review.PENDING, approved_at=None)
    Photo.objects.filter(pk=photo.pk).delete()
    with pytest.raises(ValidationError, match="This photo changed meanwhile"):
        services.photo_caption_set(photo=photo, caption="New")
