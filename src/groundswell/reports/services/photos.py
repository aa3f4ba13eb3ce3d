"""Every write to a report-back's photos: the organizer's uploads, captions and removals through the secret
link, and the moderators' decisions (approve, reject, blur faces).

Photo files live in the default storage under random names. A file is written only after its photo passed
every check, and deleted as soon as nobody may see it any more (removed by the organizer, rejected, replaced
by a face-blurred copy): deletions wait for the transaction's commit, so a rollback never leaves a row
pointing at a missing file.
"""

import contextlib
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from groundswell.accounts.permissions import require_moderator

from .. import images
from ..models import MAX_PHOTOS_PER_REPORT, Photo, ReportBack, Review
from ..text import clean_line
from .common import record, set_review
from .report_backs import _clean_reason, _require_open

MAX_CAPTION = 300
# The upload's own name is only quoted in messages, never stored.
_NAME_IN_MESSAGES = 80


def _display_name(upload) -> str:
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:_NAME_IN_MESSAGES] or _("photo")


def _store(processed: images.ProcessedImage) -> tuple[str, str]:
    image_name, thumbnail_name = images.random_names()
    stored_image = default_storage.save(image_name, ContentFile(processed.jpeg))
    try:
        stored_thumbnail = default_storage.save(thumbnail_name, ContentFile(processed.thumbnail))
    except Exception:
        default_storage.delete(stored_image)
        raise
    return stored_image, stored_thumbnail


def _delete_files_on_commit(*names: str) -> None:
    def delete():
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete)


def photo_add(*, report_back: ReportBack, upload, caption: str = "") -> Photo:
    """Adds a photo sent by the organizer: checked, re-encoded without metadata, faces blurred if the
    report-back asks for it, stored under random names; it waits for moderation.

    ``upload`` is a Django UploadedFile. Raises ValidationError naming the file and what is wrong with it.
    """
    name = _display_name(upload)
    caption = clean_line(caption)
    action = report_back.action
    _require_open(action)
    if len(caption) > MAX_CAPTION:
        raise ValidationError(_("Keep the caption under %(count)d characters.") % {"count": MAX_CAPTION})
    if report_back.photos.count() >= MAX_PHOTOS_PER_REPORT:
        raise _too_many_photos(name)
    # The size the upload declares is checked before reading anything, and again on what was read.
    limit = images.max_bytes()
    if upload.size is not None and upload.size > limit:
        raise images.refuse_size(name)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise images.refuse_size(name)
    # Decoding and encoding take a while: outside the transaction, so no lock is held meanwhile.
    processed = images.process_image(data, blur_faces=report_back.blur_faces, name=name)
    stored = _store(processed)
    try:
        with transaction.atomic():
            locked = ReportBack.objects.select_for_update().get(pk=report_back.pk)
            if locked.photos.count() >= MAX_PHOTOS_PER_REPORT:
                raise _too_many_photos(name)
            photo = Photo.objects.create(
                report_back=locked,
                image=stored[0],
                thumbnail=stored[1],
                width=processed.width,
                height=processed.height,
                thumbnail_width=processed.thumbnail_width,
                thumbnail_height=processed.thumbnail_height,
                caption=caption,
                faces_blurred=processed.faces_blurred,
                status=Review.PENDING,
            )
            record(
                actor=None,
                verb="reports.photo.added",
                target=photo,
                campaign=action.campaign,
                data={"faces_blurred": processed.faces_blurred},
            )
    except BaseException:
        for stored_name in stored:
            default_storage.delete(stored_name)
        raise
    return photo


def _too_many_photos(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” was not added: a report-back can have at most %(count)d photos.")
        % {"name": name, "count": MAX_PHOTOS_PER_REPORT},
        code="too_many_photos",
    )


@transaction.atomic
def photo_caption_set(*, photo: Photo, caption: str) -> bool:
    """The organizer changes a photo's caption; an approved photo goes back to the moderators. Returns
    whether anything changed."""
    caption = clean_line(caption)
    if len(caption) > MAX_CAPTION:
        raise ValidationError(_("Keep the caption under %(count)d characters.") % {"count": MAX_CAPTION})
    _require_open(photo.report_back.action)
    photo = _locked_photo(photo)
    if photo.caption == caption or photo.status == Review.REJECTED:
        return False
    photo.caption = caption
    photo.status = Review.PENDING
    photo.approved_at = None
    photo.save(update_fields=["caption", "status", "approved_at"])
    record(
        actor=None,
        verb="reports.photo.caption_changed",
        target=photo,
        campaign=photo.report_back.action.campaign,
    )
    return True


@transaction.atomic
def photo_remove_by_organizer(*, photo: Photo) -> None:
    """The organizer takes a photo back: the row and both files go (whatever the campaign's state, since
    removing only ever shows less)."""
    campaign = photo.report_back.action.campaign
    names = (photo.image, photo.thumbnail)
    record(actor=None, verb="reports.photo.removed", target=photo, campaign=campaign)
    photo.delete()
    _delete_files_on_commit(*names)


# A moderator (or the organizer) acts on what their page showed; the row may have gone since (the organizer
# removed the photo, the action was deleted): a clear message, not an error page.
def _locked_photo(photo: Photo) -> Photo:
    try:
        return (
            Photo.objects.select_for_update().select_related("report_back__action__campaign").get(pk=photo.pk)
        )
    except Photo.DoesNotExist:
        raise ValidationError(_("This photo changed meanwhile: reload the page.")) from None


@transaction.atomic
def photo_approve(*, actor, photo: Photo, now: dt.datetime | None = None) -> Photo:
    """A moderator makes a photo public (shown once its report-back is approved too)."""
    require_moderator(actor, photo.report_back.action.campaign)
    photo = _locked_photo(photo)
    if photo.status != Review.PENDING:
        raise ValidationError(_("This photo is not waiting for moderation any more."))
    set_review(photo, status=Review.APPROVED, now=now)
    record(
        actor=actor, verb="reports.photo.approved", target=photo, campaign=photo.report_back.action.campaign
    )
    return photo


@transaction.atomic
def photo_reject(*, actor, photo: Photo, reason: str) -> Photo:
    """A moderator refuses (or takes back) a photo, with a reason the organizer sees. Its files are deleted:
    a photo nobody may publish is not kept. Raises ValidationError({"reason": …})."""
    require_moderator(actor, photo.report_back.action.campaign)
    reason = _clean_reason(reason)
    photo = _locked_photo(photo)
    if photo.status == Review.REJECTED:
        raise ValidationError(_("This photo is already rejected."))
    set_review(photo, status=Review.REJECTED, note=reason)
    record(
        actor=actor,
        verb="reports.photo.rejected",
        target=photo,
        campaign=photo.report_back.action.campaign,
        message=reason,
    )
    _delete_files_on_commit(photo.image, photo.thumbnail)
    return photo


def photo_blur_faces(*, actor, photo: Photo) -> int:
    """A moderator has the faces of a stored photo blurred. Returns how many were found.

    When faces are found, the photo is re-encoded blurred under new random names and the old files are
    deleted (their addresses stop working). Finding none changes no file; the moderator must still look.
    """
    require_moderator(actor, photo.report_back.action.campaign)
    if photo.status == Review.REJECTED:
        raise ValidationError(_("This photo was rejected: its files are deleted."))
    try:
        with default_storage.open(photo.image, "rb") as stored:
            data = stored.read()
    except FileNotFoundError:
        raise ValidationError(_("The photo's file is missing.")) from None
    processed = images.process_image(data, blur_faces=True, name=_("stored photo"))
    found = processed.faces_blurred or 0
    new_names = _store(processed) if found else None
    try:
        with transaction.atomic():
            locked = _locked_photo(photo)
            if locked.image != photo.image or locked.status == Review.REJECTED:
                raise ValidationError(_("This photo changed meanwhile: look at it again."))
            old_names = (locked.image, locked.thumbnail)
            update_fields = ["faces_blurred"]
            locked.faces_blurred = max(found, locked.faces_blurred or 0)
            if new_names:
                locked.image, locked.thumbnail = new_names
                locked.width, locked.height = processed.width, processed.height
                locked.thumbnail_width = processed.thumbnail_width
                locked.thumbnail_height = processed.thumbnail_height
                update_fields += [
                    "image",
                    "thumbnail",
                    "width",
                    "height",
                    "thumbnail_width",
                    "thumbnail_height",
                ]
            locked.save(update_fields=update_fields)
            record(
                actor=actor,
                verb="reports.photo.faces_blurred",
                target=locked,
                campaign=locked.report_back.action.campaign,
                data={"faces": found},
            )
            if new_names:
                _delete_files_on_commit(*old_names)
    except BaseException:
        if new_names:
            for name in new_names:
                default_storage.delete(name)
        raise
    with contextlib.suppress(Photo.DoesNotExist):  # removed right after: the count is still what was done
        photo.refresh_from_db()
    return found
