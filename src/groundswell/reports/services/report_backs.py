"""Every write to a report-back and its photos: the organizer's account through the secret link, the photos'
upload and removal, and the moderators' decisions.

Photo files live in the default storage under random names. A file is written only after its photo passed
every check, and deleted as soon as nobody may see it any more (removed by the organizer, rejected, replaced
by a face-blurred copy): deletions wait for the transaction's commit, so a rollback never leaves a row
pointing at a missing file.
"""

import contextlib
import datetime as dt
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.accounts.permissions import require_moderator
from groundswell.actions.models import Action

from .. import images
from ..models import MAX_LINKS_PER_REPORT, MAX_PHOTOS_PER_REPORT, Photo, ReportBack, Review
from ..text import clean_line, clean_text
from .common import record

MAX_TEXT = 5000
MAX_LINK_LENGTH = 500
MAX_ATTENDANCE = 10_000_000
MAX_CAPTION = 300
MAX_REASON = 2000
# The upload's own name is only quoted in messages, never stored.
_NAME_IN_MESSAGES = 80

# Changing any of these on an approved report-back sends it back to the moderators.
REVIEWED_FIELDS = ("took_place", "attendance", "text", "links")


def report_back_is_open(action: Action, *, now: dt.datetime | None = None) -> bool:
    """Whether the organizer may report back now: an approved action that has started, in a published
    campaign."""
    now = now or timezone.now()
    return (
        action.status == Action.Status.APPROVED
        and action.starts_at <= now
        and action.campaign.status == action.campaign.Status.PUBLISHED
    )


def _require_open(action: Action, now: dt.datetime | None = None) -> None:
    if action.campaign.status != action.campaign.Status.PUBLISHED:
        raise ValidationError(_("This campaign is closed: report-backs can no longer be sent."))
    if action.status != Action.Status.APPROVED:
        raise ValidationError(_("Only an approved action can be reported back on."))
    if action.starts_at > (now or timezone.now()):
        raise ValidationError(_("You can report back once the action has started."))


def _clean_links(links) -> list[str]:
    cleaned = [link.strip() for link in links if link and link.strip()]
    if len(cleaned) > MAX_LINKS_PER_REPORT:
        raise ValidationError({"links": _("Give at most %(count)d links.") % {"count": MAX_LINKS_PER_REPORT}})
    for link in cleaned:
        if len(link) > MAX_LINK_LENGTH:
            raise ValidationError(
                {"links": _("A link may be at most %(count)d characters long.") % {"count": MAX_LINK_LENGTH}}
            )
        try:
            parts = urlsplit(link)
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
            raise ValidationError(
                {
                    "links": _("“%(link)s” is not a web address starting with http:// or https://.")
                    % {"link": clean_line(link)}
                }
            )
        if any(ord(character) < 33 for character in link):
            raise ValidationError({"links": _("“%(link)s” contains spaces.") % {"link": clean_line(link)}})
        if not link.isprintable():
            # Invisible characters (a NUL, a right-to-left override) have no place in an address.
            raise ValidationError(
                {"links": _("“%(link)s” contains invisible characters.") % {"link": clean_line(link)}}
            )
    return cleaned


def _validate(*, attendance, text) -> None:
    errors = {}
    if attendance is not None and not 0 <= attendance <= MAX_ATTENDANCE:
        errors["attendance"] = _("Give a number between 0 and %(max)s.") % {"max": f"{MAX_ATTENDANCE:,}"}
    if len(text) > MAX_TEXT:
        errors["text"] = _("Keep the text under %(count)d characters.") % {"count": MAX_TEXT}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_back_save(
    *,
    action: Action,
    took_place: bool,
    attendance: int | None,
    text: str,
    links: list[str],
    blur_faces: bool,
    now: dt.datetime | None = None,
) -> ReportBack:
    """The organizer creates or updates the action's report-back (through the secret link).

    Allowed once the approved action has started, while the campaign is published. A change to what the
    public would read sends an approved report-back back to the moderators. ``blur_faces`` applies to the
    photos sent from now on. Raises ValidationError (keyed by field for bad values).
    """
    _require_open(action, now)
    text = clean_text(text)
    _validate(attendance=attendance, text=text)
    links = _clean_links(links or [])
    report_back = ReportBack.objects.select_for_update().filter(action=action).first()
    values = {"took_place": took_place, "attendance": attendance, "text": text, "links": links}
    if report_back is None:
        report_back = ReportBack.objects.create(action=action, blur_faces=blur_faces, **values)
        record(actor=None, verb="reports.report_back.submitted", target=report_back, campaign=action.campaign)
        return report_back
    changed = [field for field, value in values.items() if getattr(report_back, field) != value]
    if not changed and report_back.blur_faces == blur_faces:
        return report_back
    for field, value in values.items():
        setattr(report_back, field, value)
    report_back.blur_faces = blur_faces
    update_fields = [*REVIEWED_FIELDS, "blur_faces", "updated_at"]
    if changed and report_back.status != Review.PENDING:
        report_back.status = Review.PENDING
        report_back.approved_at = None
        update_fields += ["status", "approved_at"]
    report_back.save(update_fields=update_fields)
    record(
        actor=None,
        verb="reports.report_back.updated",
        target=report_back,
        campaign=action.campaign,
        data={"changed": changed},
    )
    return report_back


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
# removed a photo, the action was deleted): a clear message, not an error page.
def _locked_report_back(report_back: ReportBack) -> ReportBack:
    try:
        return (
            ReportBack.objects.select_for_update().select_related("action__campaign").get(pk=report_back.pk)
        )
    except ReportBack.DoesNotExist:
        raise ValidationError(_("This report-back changed meanwhile: reload the page.")) from None


def _locked_photo(photo: Photo) -> Photo:
    try:
        return (
            Photo.objects.select_for_update().select_related("report_back__action__campaign").get(pk=photo.pk)
        )
    except Photo.DoesNotExist:
        raise ValidationError(_("This photo changed meanwhile: reload the page.")) from None


def _clean_reason(reason: str) -> str:
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Give a reason: the organizer sees it.")})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": _("Keep the reason under %(limit)d characters.") % {"limit": MAX_REASON}}
        )
    return reason


@transaction.atomic
def report_back_approve(*, actor, report_back: ReportBack, now: dt.datetime | None = None) -> ReportBack:
    """A moderator makes a report-back public (its photos each need their own approval)."""
    require_moderator(actor, report_back.action.campaign)
    report_back = _locked_report_back(report_back)
    if report_back.status == Review.APPROVED:
        raise ValidationError(_("This report-back is already approved."))
    report_back.status = Review.APPROVED
    report_back.approved_at = now or timezone.now()
    report_back.moderation_note = ""
    report_back.save(update_fields=["status", "approved_at", "moderation_note"])
    record(
        actor=actor,
        verb="reports.report_back.approved",
        target=report_back,
        campaign=report_back.action.campaign,
    )
    return report_back


@transaction.atomic
def report_back_reject(*, actor, report_back: ReportBack, reason: str) -> ReportBack:
    """A moderator refuses (or takes back) a report-back, with a reason the organizer sees on their page;
    none of it, photos included, is public while it is rejected. Raises ValidationError({"reason": …})."""
    require_moderator(actor, report_back.action.campaign)
    reason = _clean_reason(reason)
    report_back = _locked_report_back(report_back)
    if report_back.status == Review.REJECTED:
        raise ValidationError(_("This report-back is already rejected."))
    report_back.status = Review.REJECTED
    report_back.approved_at = None
    report_back.moderation_note = reason
    report_back.save(update_fields=["status", "approved_at", "moderation_note"])
    record(
        actor=actor,
        verb="reports.report_back.rejected",
        target=report_back,
        campaign=report_back.action.campaign,
        message=reason,
    )
    return report_back


@transaction.atomic
def photo_approve(*, actor, photo: Photo, now: dt.datetime | None = None) -> Photo:
    """A moderator makes a photo public (shown once its report-back is approved too)."""
    require_moderator(actor, photo.report_back.action.campaign)
    photo = _locked_photo(photo)
    if photo.status != Review.PENDING:
        raise ValidationError(_("This photo is not waiting for moderation any more."))
    photo.status = Review.APPROVED
    photo.approved_at = now or timezone.now()
    photo.moderation_note = ""
    photo.save(update_fields=["status", "approved_at", "moderation_note"])
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
    photo.status = Review.REJECTED
    photo.approved_at = None
    photo.moderation_note = reason
    photo.save(update_fields=["status", "approved_at", "moderation_note"])
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
