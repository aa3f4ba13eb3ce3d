"""Opaque cursors: the position after the last item of a page, as (ordering value, id)."""

import base64
import binascii
import datetime as dt
import json
from urllib.parse import urlencode

from django.conf import settings

from .errors import invalid

MAX_LIMIT = 100
DEFAULT_LIMIT = 50


def aware_utc(value: dt.datetime, *, field: str) -> dt.datetime:
    """An aware datetime in UTC, or a 422 (naive, or too far off to convert)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise invalid(field, f"{field} needs a time zone offset, e.g. 2026-10-12T09:00:00Z.")
    try:
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise invalid(field, f"{field} is out of range.") from None


def encode_cursor(*, order: str, value, pk: int) -> str:
    raw = json.dumps([order, value.isoformat() if value is not None else None, pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *, order: str):
    """(value, id) from a cursor made by ``encode_cursor`` for the same ordering, or a 422."""
    error = invalid("cursor", "Invalid cursor: pass the next_cursor of a previous page unchanged.")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, value, pk = json.loads(raw)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise error from None
    if kind != order or not isinstance(pk, int) or isinstance(pk, bool) or not isinstance(value, str | None):
        raise error
    if not 0 <= pk < 2**63:  # beyond a database's bigint
        raise error
    if value is None:
        return None, pk
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise error from None
    if parsed.tzinfo is None:
        raise error
    try:
        return parsed.astimezone(dt.UTC), pk
    except (OverflowError, ValueError):
        raise error from None


def next_url(request, *, cursor: str | None) -> str | None:
    """This request's URL with ``cursor`` replaced; built from BASE_URL, never from the Host header."""
    if cursor is None:
        return None
    params = [(key, value) for key, value in request.GET.items() if key != "cursor"]
    params.append(("cursor", cursor))
    return f"{settings.BASE_URL}{request.path}?{urlencode(params)}"
