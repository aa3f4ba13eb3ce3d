"""The public report's records: the actions that took place, for the campaign map and the downloads (CSV and
GeoJSON), and the public photos, for the gallery and report.json. Everything is read through
``reports.selectors.public``; ``reports.selectors.report`` puts the first photos into the report.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum
from django.urls import reverse

from groundswell.actions.map_data import APPROXIMATE_DECIMALS, EXACT_DECIMALS, encode_points
from groundswell.actions.models import Action
from groundswell.core.mail import absolute_url

from ..models import Review
from .public import actions_took_place, photos_public


def _action_url(campaign, action_id: int) -> str:
    return absolute_url(reverse("public:action", kwargs={"slug": campaign.slug, "pk": action_id}))


# --- the public photos, for the gallery and report.json --------------------------------------------------


def photo_records(photos, *, campaign, absolute: bool = True) -> list[dict]:
    """Public photos as plain data: URLs of the image and its thumbnail, sizes, caption, action. The
    URLs are absolute for downloads; a page of ours takes them relative (``absolute=False``), so the
    images load from the host that served the page."""
    address = absolute_url if absolute else str
    return [
        {
            "id": photo.pk,
            "url": address(photo.image_url),
            "thumbnail_url": address(photo.thumbnail_url),
            "width": photo.width,
            "height": photo.height,
            "thumbnail_width": photo.thumbnail_width,
            "thumbnail_height": photo.thumbnail_height,
            "caption": photo.caption,
            "action_id": photo.report_back.action_id,
            "action_title": photo.report_back.action.title,
            "action_city": photo.report_back.action.city,
            "action_country": photo.report_back.action.country.code,
            "action_url": _action_url(campaign, photo.report_back.action_id),
        }
        for photo in photos
    ]


def photos_ordered(*, campaign):
    """The public photos in the gallery's order (by the action's start, then as uploaded), with what a
    record needs in the same query."""
    return (
        photos_public(campaign=campaign)
        .select_related("report_back__action")
        .order_by("report_back__action__starts_at", "report_back__action_id", "created_at", "id")
    )


# --- the took-place actions, for the map and the downloads -----------------------------------------------


def took_place_map_points(*, campaign, now: dt.datetime | None = None) -> dict:
    """The actions that took place in the compact columns of the campaign map's data
    (``actions.map_data.map_points``), at their public point only, so map.js draws them unchanged. One
    query."""
    rows = (
        actions_took_place(campaign=campaign, now=now)
        .order_by("id")
        .values_list("id", "public_latitude", "public_longitude", "location_precision", "action_type",
                     "local_date", "status")
    )  # fmt: skip
    return encode_points(rows)


def took_place_records(*, campaign, now: dt.datetime | None = None, chunk_size: int = 2000):
    """The actions that took place as rows for the downloads, in order of start, streamed from the
    database in chunks: public fields only (the public point, never the exact one; the host's public
    name), the public report-back's attendance and the number of public photos. One query."""
    approved = Review.APPROVED
    actions = (
        actions_took_place(campaign=campaign, now=now)
        .select_related("campaign", "host_organization")
        .annotate(
            report_back_public=Count("report_back", filter=Q(report_back__status=approved), distinct=True),
            report_back_attendance=Sum(
                "report_back__attendance", filter=Q(report_back__status=approved), distinct=True
            ),
            photos_public=Count(
                "report_back__photos",
                filter=Q(report_back__status=approved, report_back__photos__status=approved),
                distinct=True,
            ),
        )
        .order_by("starts_at", "id")
    )
    for action in actions.iterator(chunk_size=chunk_size):
        zone = ZoneInfo(action.timezone)
        exact = action.location_precision == Action.Precision.EXACT
        decimals = EXACT_DECIMALS if exact else APPROXIMATE_DECIMALS
        yield {
            "id": action.pk,
            "date": action.local_date.isoformat(),
            "start": action.starts_at.astimezone(zone).isoformat(),
            "timezone": action.timezone,
            "city": action.city,
            "country": action.country.code,
            "type": action.action_type,
            "title": action.title,
            "host": action.host_display,
            "url": absolute_url(action.get_absolute_url()),
            "report_back": bool(action.report_back_public),
            "attendance": action.report_back_attendance if action.report_back_public else None,
            "photos": action.photos_public,
            "latitude": round(action.public_latitude, decimals),
            "longitude": round(action.public_longitude, decimals),
        }
