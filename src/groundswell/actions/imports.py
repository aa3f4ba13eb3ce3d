"""Importing actions from a CSV file (``groundswell import-actions``): parse and geocode each row the way the
action form does, validate it with the same rules (``action_validate``), and save it unless a dry run.

Every row is judged on its own: a bad row is reported with its line number and reason and changes nothing,
the good rows are imported. A row already imported into the campaign (same ``external_id``, or without one
the same title, start, city and country) is recognised by ``Action.import_key`` and skipped.
"""

import csv
import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from groundswell.core import geocoding
from groundswell.core.page_cache import public_changed
from groundswell.core.privacy import distance_m, hash_token, new_token
from groundswell.core.services import audit_record

from .models import Action
from .services import ActionInput, _apply, action_validate
from .tasks import send_action_received_email

REQUIRED_COLUMNS = ("title", "type", "start", "end", "city", "country", "contact_email")
OPTIONAL_COLUMNS = (
    "timezone",
    "latitude",
    "longitude",
    "venue",
    "description",
    "location_precision",
    "host_name",
    "online_url",
    "external_id",
)
# The same limits as the action form and the model.
MAX_LENGTHS = {
    "title": 160,
    "city": 120,
    "venue": 200,
    "description": 5000,
    "host_name": 200,
    "online_url": 500,
    "external_id": 100,
    "contact_email": 254,
}
# As in the action form: a typed point may lie this far from the named city, a point for a town the
# geocoder does not know this far from the nearest known city of its country, and a namesake this many
# times more populous than the next is the one meant.
MAX_POINT_DISTANCE_KM = 60
MAX_UNKNOWN_PLACE_KM = 250
DOMINANT_FACTOR = 10
# The services' field names as the file's columns, for messages.
COLUMN_OF_FIELD = {"starts_at": "start", "ends_at": "end", "action_type": "type"}


class ImportFileError(Exception):
    """The file as a whole cannot be imported (no header, required columns missing, not UTF-8)."""


class RowError(Exception):
    """One row cannot be imported; the message says why, naming the column."""


@dataclasses.dataclass
class RowResult:
    line: int
    outcome: str  # "imported", "would import", "already imported", "rejected"
    reason: str = ""
    action_id: int | None = None


@dataclasses.dataclass
class ImportReport:
    rows: list[RowResult] = dataclasses.field(default_factory=list)
    unknown_columns: list[str] = dataclasses.field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def rejected(self) -> list[RowResult]:
        return [row for row in self.rows if row.outcome == "rejected"]


# --- parsing one row ---------------------------------------------------------------------------------------


def _likely_places(city: str, candidates: list[geocoding.Place]) -> list[geocoding.Place]:
    """The candidates a person would mean (the same reading as ``public.forms.likely_places``): places
    named exactly so beat places that only list the name, and a city ten times larger than the next
    namesake is the one meant."""
    typed = geocoding.fold(city)
    named = [place for place in candidates if geocoding.fold(place.name) == typed]
    pool = named or candidates
    if len(pool) > 1 and pool[0].population >= DOMINANT_FACTOR * pool[1].population:
        return pool[:1]
    return pool


def _text(row: dict, column: str) -> str:
    value = row.get(column) or ""
    value = value.strip() if column == "description" else " ".join(value.split())
    limit = MAX_LENGTHS.get(column)
    if limit and len(value) > limit:
        raise RowError(_("%(column)s: at most %(n)d characters.") % {"column": column, "n": limit})
    return value


def _required(row: dict, column: str) -> str:
    value = _text(row, column)
    if not value:
        raise RowError(_("%(column)s: this column is required.") % {"column": column})
    return value


def _local_datetime(row: dict, column: str) -> dt.datetime:
    raw = _required(row, column)
    try:
        return dt.datetime.fromisoformat(raw)
    except ValueError:
        raise RowError(
            _("%(column)s: “%(value)s” is not a date and time; write it like 2026-10-12T14:00.")
            % {"column": column, "value": raw}
        ) from None


def _float(row: dict, column: str) -> float | None:
    raw = _text(row, column)
    if not raw:
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise RowError(
            _("%(column)s: “%(value)s” is not a number.") % {"column": column, "value": raw}
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise RowError(_("%(column)s: “%(value)s” is not a number.") % {"column": column, "value": raw})
    return value


def _country(row: dict) -> str:
    raw = _required(row, "country")
    code = raw.upper() if len(raw) == 2 else countries.by_name(raw)
    if not code or code not in countries:
        raise RowError(
            _("country: unknown country “%(value)s”; use a two-letter ISO 3166 code such as DE or KE.")
            % {"value": raw}
        )
    return code


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RowError(
            _("timezone: unknown time zone “%(value)s”; use an IANA name such as Europe/Berlin.")
            % {"value": name}
        ) from None
    return name


def _place(city: str, country: str, point: tuple[float, float] | None):
    """(place or None, time zone of the nearest known city) for the city, checked against the point."""
    country_name = countries.name(country)
    candidates = _likely_places(city, geocoding.find_places(city, country))
    place = candidates[0] if len(candidates) == 1 else None
    if len(candidates) > 1:
        if point is not None:
            nearest = min(candidates, key=lambda p: distance_m(p.latitude, p.longitude, *point))
            if distance_m(nearest.latitude, nearest.longitude, *point) <= MAX_POINT_DISTANCE_KM * 1000:
                place = nearest
        if place is None:
            raise RowError(
                _(
                    "city: several places called “%(city)s” exist in %(country)s (%(places)s); give latitude "
                    "and longitude to say which."
                )
                % {
                    "city": city,
                    "country": country_name,
                    "places": "; ".join(
                        f"{p.name}, {p.region}" if p.region else p.name for p in candidates[:5]
                    ),
                }
            )
    if place is not None:
        if point is not None:
            away_km = distance_m(place.latitude, place.longitude, *point) / 1000
            if away_km > MAX_POINT_DISTANCE_KM:
                raise RowError(
                    _("latitude: that point is %(km)d km from %(city)s; check the coordinates or the city.")
                    % {"km": away_km, "city": place.name}
                )
        return place, place.timezone
    if point is None:
        raise RowError(
            _(
                "city: we could not find “%(city)s” in %(country)s; check the spelling or give latitude and "
                "longitude."
            )
            % {"city": city, "country": country_name}
        )
    nearest = geocoding.nearest_place(*point, country=country)
    if (
        nearest is None
        or distance_m(nearest.latitude, nearest.longitude, *point) > MAX_UNKNOWN_PLACE_KM * 1000
    ):
        raise RowError(
            _(
                "latitude: that point does not look like it is in %(country)s; check the coordinates or "
                "the country."
            )
            % {"country": country_name}
        )
    return None, nearest.timezone


def _aware(local: dt.datetime, zone: str, column: str) -> dt.datetime:
    tz = ZoneInfo(zone)
    if local.tzinfo is not None:
        return local.astimezone(tz)
    aware = local.replace(tzinfo=tz, fold=0)
    # A time in a daylight-saving gap does not survive a round trip through UTC.
    if aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != local:
        raise RowError(
            _("%(column)s: this time does not exist in %(zone)s: the clocks change then.")
            % {"column": column, "zone": zone}
        )
    return aware


def import_key_of(
    *, campaign, external_id: str, title: str, start: dt.datetime, city: str, country: str
) -> str:
    """The row's identity in its campaign: its external_id, else a hash of what makes it the same action."""
    if external_id:
        return external_id
    start_text = start.isoformat(timespec="minutes")
    identity = "|".join((str(campaign.pk), title.casefold(), start_text, geocoding.fold(city), country))
    return "sha256:" + hashlib.sha256(identity.encode()).hexdigest()[:56]


def parse_row(*, campaign, row: dict, language: str) -> tuple[ActionInput, str]:
    """One row as an ActionInput and its import key; raises RowError with the first problem found."""
    title = _required(row, "title")
    action_type = _required(row, "type").lower()
    if action_type not in Action.Type.values:
        raise RowError(
            _("type: unknown type “%(value)s”; use one of %(types)s.")
            % {"value": action_type, "types": ", ".join(Action.Type.values)}
        )
    start_local = _local_datetime(row, "start")
    end_local = _local_datetime(row, "end")
    for column, value in (("start", start_local), ("end", end_local)):
        # Far-off years would overflow time-zone arithmetic; the window check needs only a rough bound.
        if abs(value.year - campaign.start_date.year) > 1:
            raise RowError(
                _("%(column)s: the campaign runs from %(start)s to %(end)s; choose a date in that window.")
                % {
                    "column": column,
                    "start": campaign.start_date.isoformat(),
                    "end": campaign.end_date.isoformat(),
                }
            )
    city = _required(row, "city")
    country = _country(row)
    contact_email = _required(row, "contact_email")
    try:
        validate_email(contact_email)
    except ValidationError:
        raise RowError(
            _("contact_email: “%(value)s” is not an email address.") % {"value": contact_email}
        ) from None
    precision = (_text(row, "location_precision") or Action.Precision.EXACT).lower()
    if precision not in Action.Precision.values:
        raise RowError(
            _("location_precision: use exact, km or city, not “%(value)s”.") % {"value": precision}
        )
    online_url = _text(row, "online_url")
    if online_url:
        try:
            URLValidator(schemes=["http", "https"])(online_url)
        except ValidationError:
            raise RowError(
                _("online_url: “%(value)s” is not a web address.") % {"value": online_url}
            ) from None
    latitude, longitude = _float(row, "latitude"), _float(row, "longitude")
    if (latitude is None) != (longitude is None):
        raise RowError(_("latitude, longitude: give both or neither."))
    point = (latitude, longitude) if latitude is not None else None
    if point is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise RowError(
            _("latitude, longitude: latitude must be between -90 and 90 and longitude between -180 and 180.")
        )
    zone_column = _text(row, "timezone")
    place, zone = _place(city, country, point)
    zone = _zone(zone_column) if zone_column else zone
    starts_at = _aware(start_local, zone, "start")
    ends_at = _aware(end_local, zone, "end")
    latitude, longitude = point if point is not None else (place.latitude, place.longitude)
    data = ActionInput(
        action_type=action_type,
        title=title,
        description=_text(row, "description"),
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=zone,
        city=place.name if place else city,
        country=country,
        latitude=latitude,
        longitude=longitude,
        location_precision=precision,
        venue=_text(row, "venue"),
        geonameid=place.geonameid if place else None,
        city_point=(place.latitude, place.longitude) if place else None,
        host_name=_text(row, "host_name"),
        online_url=online_url,
        contact_email=contact_email,
        language=language,
    )
    try:
        action_validate(campaign=campaign, data=data)
    except ValidationError as error:
        raise RowError(
            " ".join(
                f"{COLUMN_OF_FIELD.get(field, field)}: {' '.join(messages)}"
                for field, messages in error.message_dict.items()
            )
        ) from None
    key = import_key_of(
        campaign=campaign,
        external_id=_text(row, "external_id"),
        title=title,
        start=start_local,
        city=city,
        country=country,
    )
    return data, key


# --- writing ------------------------------------------------------------------------------------------------


@transaction.atomic
def action_import(
    *, campaign, data: ActionInput, import_key: str, approve: bool, notify_organizer: bool
) -> Action:
    """Saves one imported action: pending moderation, or approved at once with ``approve`` (an operator's
    choice, made on the server: no user to check). Audited as ``actions.action.imported``.

    The organizer is emailed the usual "action received" message with the secret edit link only with
    ``notify_organizer``: an import is not their submission, and a file of addresses must not become a
    mailing. Without it the edit link is never shown to anyone (a coordinator can still moderate the action).
    """
    action_validate(campaign=campaign, data=data)
    token = new_token()
    action = Action(
        campaign=campaign,
        contact_email=data.contact_email,
        language=data.language,
        capacity=data.capacity,
        status=Action.Status.APPROVED if approve else Action.Status.PENDING,
        approved_at=timezone.now() if approve else None,
        edit_token_hash=hash_token(token),
        import_key=import_key,
    )
    # The same derived fields (local date, public point) as a submission from the form.
    _apply(action, data)
    action.full_clean(exclude=["campaign", "host_organization"], validate_constraints=False)
    action.save()
    audit_record(
        actor=None,
        verb="actions.action.imported",
        target=action,
        campaign=campaign,
        data={"approved": approve, "notified": notify_organizer},
    )
    if approve:
        public_changed(campaign_slug=campaign.slug)
    if notify_organizer:
        transaction.on_commit(lambda: send_action_received_email.enqueue(action.pk, token))
    return action


def action_import_rows(
    *,
    campaign,
    rows: Iterable[tuple[int, dict]],
    dry_run: bool = False,
    approve: bool = False,
    notify_organizers: bool = False,
    on_row: Callable[[], None] | None = None,
) -> ImportReport:
    """Imports ``(line number, row)`` pairs into ``campaign``; a dry run validates them all and saves nothing.

    Rows whose import key the campaign already has, or that repeat an earlier row of the same file, are
    skipped as "already imported"."""
    language = campaign.original_language if campaign.original_language in dict(settings.LANGUAGES) else "en"
    known = dict(
        Action.objects.filter(campaign=campaign).exclude(import_key="").values_list("import_key", "id")
    )
    seen: dict[str, int] = {}
    report = ImportReport()
    for line, row in rows:
        report.rows.append(
            _import_row(
                campaign=campaign,
                line=line,
                row=row,
                language=language,
                known=known,
                seen=seen,
                dry_run=dry_run,
                approve=approve,
                notify_organizers=notify_organizers,
            )
        )
        if on_row is not None:
            on_row()
    return report


def _import_row(
    *, campaign, line, row, language, known, seen, dry_run, approve, notify_organizers
) -> RowResult:
    if None in row or any(value is None for value in row.values()):
        return RowResult(line, "rejected", _("The row does not have as many cells as the header."))
    try:
        data, key = parse_row(campaign=campaign, row=row, language=language)
    except RowError as error:
        return RowResult(line, "rejected", str(error))
    if key in seen:
        return RowResult(
            line, "already imported", _("The same action as line %(line)d.") % {"line": seen[key]}
        )
    if key in known:
        return RowResult(
            line, "already imported", _("Imported before as action %(id)d.") % {"id": known[key]}
        )
    seen[key] = line
    if dry_run:
        return RowResult(line, "would import")
    try:
        action = action_import(
            campaign=campaign, data=data, import_key=key, approve=approve, notify_organizer=notify_organizers
        )
    except IntegrityError:
        # Imported meanwhile by another run of the same file.
        return RowResult(line, "already imported", _("Imported meanwhile by another import."))
    except ValidationError as error:
        return RowResult(line, "rejected", " ".join(error.messages))
    known[key] = action.pk
    return RowResult(line, "imported", action_id=action.pk)


def read_csv(stream) -> tuple[list[tuple[int, dict]], list[str]]:
    """The rows of a CSV file with a header row, each with the line it starts on, and the unknown columns.
    Raises ImportFileError when the file cannot be read as such."""
    try:
        reader = csv.DictReader(stream)
        header = reader.fieldnames
        if not header:
            raise ImportFileError(_("The file is empty: it needs a header row naming the columns."))
        columns = [(name or "").strip().lower() for name in header]
        missing = [column for column in REQUIRED_COLUMNS if column not in columns]
        if missing:
            raise ImportFileError(
                _("The header row lacks the required columns: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        reader.fieldnames = columns
        rows = []
        line = reader.line_num + 1
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not UTF-8 text.")) from None
    except csv.Error as error:
        raise ImportFileError(_("The file is not valid CSV: %(error)s") % {"error": error}) from None
    unknown = [column for column in columns if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    return rows, unknown
