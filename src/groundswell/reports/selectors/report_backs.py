"""Reads of report-backs and photos for the organizer's page, the moderators' queue and the photo files."""

import re

from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce, Least

from groundswell.campaigns.models import Campaign

from ..models import Photo, ReportBack, Review
from .public import photos_public_anywhere

# The campaign statuses whose approved photos anyone may see (as every public page: published or archived).
PUBLIC_CAMPAIGN_STATUSES = (Campaign.Status.PUBLISHED, Campaign.Status.ARCHIVED)
# The basename of a stored photo or thumbnail: what ``Photo.image_url`` puts in the address.
_FILE_NAME = re.compile(r"^[A-Za-z0-9_-]{8,64}(?:-thumb)?\.jpg$")


def report_back_for_organizer(*, action) -> ReportBack | None:
    """The action's report-back with its photos (every status), or None before the first one is sent."""
    return (
        ReportBack.objects.filter(action=action)
        .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("created_at", "id")))
        .first()
    )


def photo_for_organizer(*, action, pk: int) -> Photo | None:
    return (
        Photo.objects.filter(pk=pk, report_back__action=action).select_related("report_back__action").first()
    )


def report_back_moderation_list(*, campaign, status: str = Review.PENDING) -> QuerySet[ReportBack]:
    """The campaign's report-backs in ``status`` (newest first), with their actions and every photo, in a
    constant number of queries.

    The pending queue is what waits for a moderator: report-backs pending themselves, and those (approved or
    rejected) with a photo pending, e.g. one added after the report-back was approved; the one waiting the
    longest first. ``pending_photos`` says whether a report-back has a photo pending.
    """
    pending_photos = Photo.objects.filter(report_back=OuterRef("pk"), status=Review.PENDING)
    report_backs = (
        ReportBack.objects.filter(action__campaign=campaign)
        .annotate(pending_photos=Exists(pending_photos))
        .select_related("action")
        .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("created_at", "id")))
    )
    if status != Review.PENDING:
        return report_backs.filter(status=status).order_by("-updated_at", "-id")
    oldest_pending_photo = Subquery(
        pending_photos.order_by("created_at").values("created_at")[:1], output_field=DateTimeField()
    )
    # Since when it waits: a pending report-back since the earlier of its last change and its oldest pending
    # photo; any other only since its oldest pending photo (its own last change was decided on).
    waiting_since = Case(
        When(
            status=Review.PENDING,
            then=Least(F("updated_at"), Coalesce(oldest_pending_photo, F("updated_at"))),
        ),
        default=oldest_pending_photo,
        output_field=DateTimeField(),
    )
    return (
        report_backs.filter(Q(status=Review.PENDING) | Q(pending_photos=True))
        .annotate(waiting_since=waiting_since)
        .order_by("waiting_since", "id")
    )


def report_back_for_moderation(*, campaign, pk: int) -> ReportBack | None:
    return (
        ReportBack.objects.filter(pk=pk, action__campaign=campaign).select_related("action__campaign").first()
    )


def photo_for_moderation(*, campaign, pk: int) -> Photo | None:
    return (
        Photo.objects.filter(pk=pk, report_back__action__campaign=campaign)
        .select_related("report_back__action__campaign")
        .first()
    )


def photo_public_file(*, name: str) -> str | None:
    """The storage name of a public photo or thumbnail by its basename, or None when there is no such file
    or it is not public: the photo and its report-back approved, the action public, the campaign public."""
    if not _FILE_NAME.match(name):
        return None
    stored = f"photos/{name}"
    # One rule with the report's gallery (reports.selectors.public): what it shows, this serves.
    public = photos_public_anywhere().filter(Q(image=stored) | Q(thumbnail=stored)).exists()
    return stored if public else None
