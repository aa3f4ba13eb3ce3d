import datetime as dt
import enum

from ninja import Field, Schema

from groundswell.actions.models import Action

from .common import PageQuery

ActionType = enum.StrEnum("ActionType", {value.upper(): value for value in Action.Type.values})
ActionStatus = enum.StrEnum("ActionStatus", {value.upper(): value for value in Action.Status.values})
LocationPrecision = enum.StrEnum("LocationPrecision", {"EXACT": "exact", "KM": "km", "CITY": "city"})


class PublicLocationOut(Schema):
    """The point the public may see: the exact place only when the organizer chose "exact"; otherwise a
    point about 1 km away, or the city, fixed per action."""

    latitude: float
    longitude: float
    precision: LocationPrecision


class ActionOut(Schema):
    id: int
    url: str
    campaign: str
    type: ActionType
    title: str
    description: str
    status: ActionStatus
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str
    local_date: dt.date
    city: str
    country: str
    venue: str | None = Field(description="Only for actions whose place is shown exactly.")
    location: PublicLocationOut
    host: str
    online_url: str
    updated_at: dt.datetime


class ActionPage(Schema):
    items: list[ActionOut]
    next_cursor: str | None = Field(description="Pass as `cursor` to read the next page; null at the end.")
    next: str | None = Field(description="The URL of the next page; null at the end.")


class OwnActionOut(ActionOut):
    is_public: bool
    submitted_at: dt.datetime


class OwnActionPage(Schema):
    items: list[OwnActionOut]
    next_cursor: str | None
    next: str | None


class ActionSubmitIn(Schema):
    """A local action. ``starts_at``/``ends_at`` without an offset are local times in the action's time
    zone. The place: ``city`` + ``country`` (and ``geonameid`` when the name is ambiguous), or a
    ``latitude``/``longitude`` (the time zone then comes from ``timezone`` or the nearest known city)."""

    type: ActionType
    title: str = Field(min_length=1, max_length=160)
    description: str = Field("", max_length=5000)
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str | None = Field(None, max_length=64, description="An IANA time zone, e.g. Europe/Berlin.")
    city: str = Field(min_length=1, max_length=120)
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2, e.g. DE.")
    geonameid: int | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    location_precision: LocationPrecision = LocationPrecision.EXACT
    venue: str = Field("", max_length=200)
    online_url: str = Field("", max_length=500)
    contact_email: str | None = Field(
        None, max_length=254, description="Private. Defaults to the organization's contact email."
    )
    capacity: int | None = Field(None, ge=1, le=100_000)
    language: str = Field("en", max_length=10, description="The organizer's language, for our emails.")


class ActionListQuery(PageQuery):
    country: str | None = Field(None, max_length=2, description="ISO 3166-1 alpha-2, e.g. DE.")
    type: ActionType | None = None
    date_from: dt.date | None = Field(None, alias="from", description="Local start date, inclusive.")
    date_to: dt.date | None = Field(None, alias="to", description="Local start date, inclusive.")
    bbox: str | None = Field(
        None,
        max_length=200,
        description="minLon,minLat,maxLon,maxLat on the public point; minLon > maxLon crosses the date line.",
    )
    updated_since: dt.datetime | None = Field(
        None, description="Only actions changed at or after this time (with an offset); orders by change."
    )
