"""Turns an API submission into the ``ActionInput`` the services take: the place geocoded, the time zone
checked, local times made aware. Every problem becomes a 422 with a message."""

import datetime as dt
import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django_countries import countries

from groundswell.actions.filters import clean_text
from groundswell.actions.services import ActionInput
from groundswell.core import geocoding
from groundswell.core.privacy import distance_m

from .errors import ApiError, invalid
from .schemas.actions import ActionSubmitIn

# A typed point may lie this far from the named city (the public form allows the same).
MAX_POINT_DISTANCE_KM = 50
MAX_UNKNOWN_PLACE_KM = 300


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _text(value: str, max_length: int) -> str:
    return clean_text(value, max_length)


def _place(payload: ActionSubmitIn, country: str, city: str):
    """(place or None, time zone name) for the payload."""
    point = None
    if (payload.latitude is None) != (payload.longitude is None):
        raise invalid("latitude", "Give both latitude and longitude, or neither.")
    if payload.latitude is not None:
        point = (payload.latitude, payload.longitude)
    candidates = geocoding.find_places(city, country)
    if payload.geonameid is not None:
        chosen = next((p for p in candidates if p.geonameid == payload.geonameid), None)
        if chosen is None:
            raise invalid("geonameid", f"No place with geonameid {payload.geonameid} is called {city!r}.")
        candidates = [chosen]
    place = None
    if len(candidates) == 1:
        place = candidates[0]
    elif len(candidates) > 1:
        if point is not None:
            nearest = min(candidates, key=lambda p: distance_m(p.latitude, p.longitude, *point))
            if distance_m(nearest.latitude, nearest.longitude, *point) <= MAX_POINT_DISTANCE_KM * 1000:
                place = nearest
        if place is None:
            choices = [
                {"geonameid": p.geonameid, "name": p.name, "region": p.region, "timezone": p.timezone}
                for p in candidates[:10]
            ]
            raise ApiError(
                422,
                f"Several places called {city!r} exist in {country}: send the geonameid of the one you "
                "mean, or latitude and longitude.",
                errors=[{"field": "city", "message": "ambiguous", "candidates": choices}],
            )
    too_far = MAX_POINT_DISTANCE_KM * 1000
    if (
        place is not None
        and point is not None
        and distance_m(place.latitude, place.longitude, *point) > too_far
    ):
        raise invalid("latitude", f"That point is more than {MAX_POINT_DISTANCE_KM} km from {place.name}.")
    if payload.timezone:
        zone = payload.timezone
    elif place is not None:
        zone = place.timezone
    elif point is not None:
        nearest = geocoding.nearest_place(*point, country=country)
        if nearest is None or distance_m(nearest.latitude, nearest.longitude, *point) > (
            MAX_UNKNOWN_PLACE_KM * 1000
        ):
            raise invalid("latitude", f"That point does not look like it is in {country}; send a timezone.")
        zone = nearest.timezone
    else:
        raise invalid("city", f"We could not find {city!r} in {country}: send latitude and longitude.")
    return place, point, zone


def _aware(value: dt.datetime, *, zone: str, field: str, campaign) -> dt.datetime:
    # Far-off years would overflow time-zone arithmetic; the services check the window itself.
    if abs(value.year - campaign.start_date.year) > 1:
        raise invalid(
            field,
            f"The campaign runs from {campaign.start_date} to {campaign.end_date}: "
            f"{field} must be in that window.",
        )
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=zoneinfo.ZoneInfo(zone))
    return value.astimezone(dt.UTC)


def action_input_from(payload: ActionSubmitIn, *, campaign, organization) -> ActionInput:
    country = payload.country.strip().upper()
    if country not in countries:
        raise invalid(
            "country", f"Unknown country code {payload.country!r}: use ISO 3166-1 alpha-2, e.g. DE."
        )
    city = _text(payload.city, 120)
    title = _text(payload.title, 160)
    if not city:
        raise invalid("city", "city must not be empty.")
    if not title:
        raise invalid("title", "title must not be empty.")
    if payload.timezone is not None and payload.timezone not in _zones():
        raise invalid(
            "timezone", f"Unknown time zone {payload.timezone!r}: use an IANA name, e.g. Europe/Berlin."
        )
    contact_email = (payload.contact_email or organization.contact_email or "").strip()
    try:
        EmailValidator()(contact_email)
    except ValidationError:
        raise invalid(
            "contact_email",
            "contact_email must be a valid email address (the organization has none on file).",
        ) from None
    if payload.online_url:
        error = invalid("online_url", "online_url must be an http or https URL.")
        # URLValidator lets a NUL byte through, which PostgreSQL refuses to store.
        if payload.online_url != clean_text(payload.online_url, 500):
            raise error
        try:
            URLValidator(schemes=["http", "https"])(payload.online_url)
        except ValidationError:
            raise error from None
    languages = [code for code, _name in settings.LANGUAGES]
    if payload.language not in languages:
        raise invalid("language", f"language must be one of {', '.join(languages)}.")
    place, point, zone = _place(payload, country, city)
    starts_at = _aware(payload.starts_at, zone=zone, field="starts_at", campaign=campaign)
    ends_at = _aware(payload.ends_at, zone=zone, field="ends_at", campaign=campaign)
    latitude, longitude = point if point is not None else (place.latitude, place.longitude)
    return ActionInput(
        action_type=payload.type.value,
        title=title,
        description=payload.description.replace("\x00", ""),
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=zone,
        city=place.name if place else city,
        country=country,
        latitude=latitude,
        longitude=longitude,
        location_precision=payload.location_precision.value,
        venue=_text(payload.venue, 200),
        geonameid=place.geonameid if place else None,
        city_point=(place.latitude, place.longitude) if place else None,
        host_name=organization.name,
        online_url=payload.online_url,
        contact_email=contact_email,
        language=payload.language,
        capacity=payload.capacity,
    )
