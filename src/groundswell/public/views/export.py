"""Exports of a campaign's public actions as CSV and GeoJSON, with the list's filters.

Public data only: the public point (never the exact one), the venue only when the organizer chose an exact
place, the host's public name; never a contact or anything about RSVPs. The body is streamed, read from the
database in chunks, so 100,000 actions never sit in memory at once. CSV cells that a spreadsheet would run
as a formula are prefixed with an apostrophe.
"""

import csv
import json
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import StreamingHttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from groundswell.actions.filters import ActionFilters
from groundswell.actions.models import Action
from groundswell.actions.selectors import action_public_list
from groundswell.core.mail import absolute_url

from .http_cache import PAGE_MAX_AGE, etag_of, public_campaign, public_data_version

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
FLUSH_BYTES = 64 * 1024
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def _download(chunks, *, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _batched(pieces):
    """Joins small strings into chunks of about FLUSH_BYTES, encoded (fewer, larger writes)."""
    buffer, size = [], 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= FLUSH_BYTES:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


# --- CSV ----------------------------------------------------------------------------------------------------


def csv_cell(value):
    """A cell safe to open in a spreadsheet: text that would start a formula gets a leading apostrophe.
    Numbers are ours and stay numbers (a negative longitude is not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose ``write`` returns what it is given: ``csv.writer`` then formats one row at
    a time for the stream."""

    def write(self, value):
        return value


def _csv_lines(actions):
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for action in actions:
        record = _record(action)
        yield writer.writerow([csv_cell(record[column]) for column in COLUMNS])


@require_safe
@cache_control(public=True, max_age=PAGE_MAX_AGE)
@condition(etag_func=lambda request, slug: _export_etag(request, slug, "csv"))
def actions_csv(request, slug):
    """The campaign's public actions (filtered like the list) as CSV, one row per action."""
    campaign = public_campaign(request, slug)
    return _download(
        _batched(_csv_lines(_actions(request, campaign))),
        content_type="text/csv; charset=utf-8",
        filename=f"{campaign.slug}-actions.csv",
    )


# --- GeoJSON ------------------------------------------------------------------------------------------------


def _geojson_pieces(actions):
    yield '{"type":"FeatureCollection","features":['
    separator = ""
    for action in actions:
        properties = _record(action)
        longitude, latitude = properties.pop("longitude"), properties.pop("latitude")
        feature = {
            "type": "Feature",
            "id": action.pk,
            # GeoJSON (RFC 7946) puts longitude first.
            "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": properties,
        }
        yield separator + json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        separator = ","
    yield "]}"


@require_safe
@cache_control(public=True, max_age=PAGE_MAX_AGE)
@condition(etag_func=lambda request, slug: _export_etag(request, slug, "geojson"))
def actions_geojson(request, slug):
    """The campaign's public actions (filtered like the list) as a GeoJSON FeatureCollection of points."""
    campaign = public_campaign(request, slug)
    return _download(
        _batched(_geojson_pieces(_actions(request, campaign))),
        content_type="application/geo+json; charset=utf-8",
        filename=f"{campaign.slug}-actions.geojson",
    )
