"""Exports of a campaign's public actions as CSV and GeoJSON, with the list's filters.

Public data only: the public point (never the exact one), the venue only when the organizer chose an exact
place, the host's public name; never a contact or anything about RSVPs. The body is streamed, read from the
database in chunks, so 100,000 actions never sit in memory at once (``downloads``).
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.views.decorators.http import condition, require_safe

from groundswell.actions.filters import ActionFilters
from groundswell.actions.models import Action
from groundswell.actions.selectors import action_public_list
from groundswell.core.mail import absolute_url

from .downloads import csv_download, geojson_download
from .http_cache import etag_of, public_campaign, public_data_version, public_document

# The columns and their meaning: change EXPORT_FORMAT with them, so no client keeps an old body as current.
EXPORT_FORMAT = 1
COLUMNS = (
    "id",
    "type",
    "title",
    "description",
    "start",
    "end",
    "timezone",
    "city",
    "country",
    "latitude",
    "longitude",
    "location_precision",
    "venue",
    "host_name",
    "status",
    "url",
)
ACTIONS_PER_FETCH = 2000


def _actions(request, campaign):
    filters = ActionFilters.from_query(request.GET)
    return (
        filters.apply(action_public_list(campaign=campaign))
        .order_by("starts_at", "id")
        .iterator(chunk_size=ACTIONS_PER_FETCH)
    )


def _record(action: Action) -> dict:
    """An action's public fields; times in its own zone with their offset (2026-10-12T14:00:00+02:00)."""
    zone = ZoneInfo(action.timezone)
    exact = action.location_precision == Action.Precision.EXACT
    return {
        "id": action.pk,
        "type": action.action_type,
        "title": action.title,
        "description": action.description,
        "start": action.starts_at.astimezone(zone).isoformat(),
        "end": action.ends_at.astimezone(zone).isoformat(),
        "timezone": action.timezone,
        "city": action.city,
        "country": action.country.code,
        "latitude": round(action.public_latitude, 6),
        "longitude": round(action.public_longitude, 6),
        "location_precision": action.location_precision,
        "venue": action.venue if exact else "",
        "host_name": action.host_display,
        "status": action.status,
        "url": absolute_url(action.get_absolute_url()),
    }


def _export_etag(request, slug, kind: str) -> str:
    campaign = public_campaign(request, slug)
    return etag_of(
        "actions-export",
        kind,
        EXPORT_FORMAT,
        campaign.pk,
        campaign.slug,
        public_data_version(request, campaign),
        ActionFilters.from_query(request.GET).cache_key(),
        settings.BASE_URL,
    )


@require_safe
@public_document(redirect_language=False)
@condition(etag_func=lambda request, slug: _export_etag(request, slug, "csv"))
def actions_csv(request, slug):
    """The campaign's public actions (filtered like the list) as CSV, one row per action."""
    campaign = public_campaign(request, slug)
    return csv_download(
        (_record(action) for action in _actions(request, campaign)),
        columns=COLUMNS,
        filename=f"{campaign.slug}-actions.csv",
    )


@require_safe
@public_document(redirect_language=False)
@condition(etag_func=lambda request, slug: _export_etag(request, slug, "geojson"))
def actions_geojson(request, slug):
    """The campaign's public actions (filtered like the list) as a GeoJSON FeatureCollection of points."""
    campaign = public_campaign(request, slug)
    return geojson_download(
        (_record(action) for action in _actions(request, campaign)),
        filename=f"{campaign.slug}-actions.geojson",
    )
