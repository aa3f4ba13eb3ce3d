"""Streamed downloads of public records (dicts) as CSV or GeoJSON, shared by the action exports and the
campaign report's downloads. Bodies are built piece by piece and sent in chunks, so large downloads never
sit in memory at once. CSV cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

import csv
import json
from collections.abc import Iterable

from django.http import StreamingHttpResponse

FLUSH_BYTES = 64 * 1024
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def _download(pieces, *, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_batched(pieces), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_lines(records: Iterable[dict], columns):
    writer = csv.writer(_Echo())
    yield writer.writerow(columns)
    for record in records:
        yield writer.writerow([csv_cell(record[column]) for column in columns])


def csv_download(records: Iterable[dict], *, columns, filename: str) -> StreamingHttpResponse:
    """One row per record, the given columns in order (None is an empty cell)."""
    return _download(_csv_lines(records, columns), content_type="text/csv; charset=utf-8", filename=filename)


def _geojson_pieces(records: Iterable[dict]):
    yield '{"type":"FeatureCollection","features":['
    separator = ""
    for record in records:
        longitude, latitude = record.pop("longitude"), record.pop("latitude")
        feature = {
            "type": "Feature",
            "id": record["id"],
            # GeoJSON (RFC 7946) puts longitude first.
            "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": record,
        }
        yield separator + json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        separator = ","
    yield "]}"


def geojson_download(records: Iterable[dict], *, filename: str) -> StreamingHttpResponse:
    """A FeatureCollection of points: each record's ``longitude`` and ``latitude`` (taken out of its
    properties) make the point, its ``id`` the feature's id."""
    return _download(
        _geojson_pieces(records), content_type="application/geo+json; charset=utf-8", filename=filename
    )
