"""Forms of the public pages: they parse and geocode; the services decide what is allowed."""

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from groundswell.actions.models import Action
from groundswell.actions.services import ActionInput, action_validate
from groundswell.core import geocoding
from groundswell.core.privacy import distance_m

# A typed point may lie this far from the named city's centre (large cities and their suburbs).
MAX_POINT_DISTANCE_KM = 60
# A typed point for an unknown town must lie this close to some known city of the chosen country.
MAX_UNKNOWN_PLACE_KM = 250
# A namesake this many times more populous than the next is taken without asking.
DOMINANT_FACTOR = 10


def _to_aware(local: dt.datetime, zone: str) -> dt.datetime | None:
    """A wall-clock time in ``zone`` as an aware datetime; None when the clocks skip that time."""
    tz = ZoneInfo(zone)
    # Django's DateTimeField attaches the server's zone (UTC); the wall-clock value is what was typed.
    local = local.replace(tzinfo=None)
    aware = local.replace(tzinfo=tz, fold=0)
    # A time in a daylight-saving gap does not survive a round trip through UTC.
    if aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != local:
        return None
    return aware


def likely_places(city: str, candidates: list[geocoding.Place]) -> list[geocoding.Place]:
    """Narrows the geocoder's candidates the way a person would read them.

    Places whose own name is what was typed beat places that merely list it among alternate names; and a
    city ten times larger than the next one of that name is the one meant ("São Paulo", not the village).
    Springfield, US stays ambiguous: its largest namesakes are of similar size.
    """
    typed = geocoding.fold(city)
    named = [place for place in candidates if geocoding.fold(place.name) == typed]
    pool = named or candidates
    if len(pool) > 1 and pool[0].population >= DOMINANT_FACTOR * pool[1].population:
        return pool[:1]
    return pool


class ActionForm(forms.Form):
    action_type = forms.ChoiceField(label=gettext_lazy("Type of action"), choices=Action.Type.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=160)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("What will happen, what to bring, accessibility. Markdown is allowed."),
    )
    starts_local = forms.DateTimeField(
        label=gettext_lazy("Starts (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=gettext_lazy("In the time zone of the place of the action."),
    )
    ends_local = forms.DateTimeField(
        label=gettext_lazy("Ends (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    city = forms.CharField(label=gettext_lazy("City or town"), max_length=120)
    country = forms.ChoiceField(label=gettext_lazy("Country"))
    place = forms.IntegerField(required=False, widget=forms.HiddenInput)
    venue = forms.CharField(
        label=gettext_lazy("Venue or meeting point"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Shown publicly only when the location is shown exactly."),
    )
    latitude = forms.DecimalField(
        label=gettext_lazy("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=gettext_lazy("Longitude"),
        required=False,
        max_digits=10,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    location_precision = forms.ChoiceField(
        label=gettext_lazy("How precisely to show the place in public"),
        choices=Action.Precision.choices,
        initial=Action.Precision.EXACT,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Choose 'about 1 km' or 'city only' if showing the exact place could put people at risk."
        ),
    )
    host_name = forms.CharField(label=gettext_lazy("Host organization"), max_length=200, required=False)
    online_url = forms.URLField(
        label=gettext_lazy("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("For online actions, or a page with more information."),
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("Your email"),
        help_text=gettext_lazy(
            "Private: never shown. We send you a secret link to edit or cancel the action."
        ),
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Places (optional)"),
        required=False,
        min_value=1,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=gettext_lazy(
            "How many people can come. When that many have said they will come, the RSVP form closes. "
            "Leave empty for no limit."
        ),
    )
    # Honeypot: hidden from people by CSS; bots fill it in.
    homepage = forms.CharField(required=False, label=gettext_lazy("Leave this empty"))

    def __init__(self, *args, campaign, language="en", **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.language = language
        self.fields["country"].choices = [("", "—")] + list(countries)
        self.candidates: list[geocoding.Place] = []
        self.needs_point = False
        self.action_input: ActionInput | None = None
        window = {"min": f"{campaign.start_date}T00:00", "max": f"{campaign.end_date}T23:59"}
        self.fields["starts_local"].widget.attrs.update(window)
        self.fields["ends_local"].widget.attrs.update({"min": window["min"]})

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_city(self):
        return " ".join(self.cleaned_data["city"].split())

    def is_spam(self) -> bool:
        return bool(self.data.get("homepage"))

    def _resolve_place(self, city: str, country: str, point):
        """Returns (place or None, timezone) or adds errors. A typed point wins over the city's centre."""
        candidates = geocoding.find_places(city, country)
        chosen_id = self.cleaned_data.get("place")
        chosen = next((p for p in candidates if p.geonameid == chosen_id), None)
        if chosen is not None:
            return chosen
        candidates = likely_places(city, candidates)
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            if point is not None:
                nearest = min(candidates, key=lambda p: distance_m(p.latitude, p.longitude, *point))
                if distance_m(nearest.latitude, nearest.longitude, *point) <= MAX_POINT_DISTANCE_KM * 1000:
                    return nearest
            self.candidates = candidates[:10]
            self.add_error(
                "city",
                _("Several places called “%(city)s” exist in %(country)s. Choose the one you mean below.")
                % {"city": city, "country": countries.name(country)},
            )
            return None
        if point is None:
            self.needs_point = True
            self.add_error(
                "city",
                _(
                    "We could not find “%(city)s” in %(country)s. Check the spelling, or place the point "
                    "on the map or type its latitude and longitude."
                )
                % {"city": city, "country": countries.name(country)},
            )
        return None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        city, country = data["city"], data["country"]
        has_lat, has_lon = data.get("latitude") is not None, data.get("longitude") is not None
        if has_lat != has_lon:
            self.add_error("latitude" if not has_lat else "longitude", _("Give both latitude and longitude."))
            return data
        point = (float(data["latitude"]), float(data["longitude"])) if has_lat else None
        place = self._resolve_place(city, country, point)
        if self.errors:
            return data
        if place is not None:
            if point is not None:
                away_km = distance_m(place.latitude, place.longitude, *point) / 1000
                if away_km > MAX_POINT_DISTANCE_KM:
                    self.add_error(
                        "latitude",
                        _("That point is %(km)d km from %(city)s. Check the coordinates or the city.")
                        % {"km": away_km, "city": place.name},
                    )
                    return data
            zone = place.timezone
        else:
            # A point for a town we don't know takes the time zone of the nearest known city of its country.
            nearest = geocoding.nearest_place(*point, country=country)
            if (
                nearest is None
                or distance_m(nearest.latitude, nearest.longitude, *point) > MAX_UNKNOWN_PLACE_KM * 1000
            ):
                self.add_error(
                    "latitude",
                    _("That point does not look like it is in %(country)s. Check the coordinates or country.")
                    % {"country": countries.name(country)},
                )
                return data
            zone = nearest.timezone
        for field in ("starts_local", "ends_local"):
            # Far-off years would overflow time-zone arithmetic; the window check needs only a rough bound.
            if abs(data[field].year - self.campaign.start_date.year) > 1:
                self.add_error(
                    field,
                    _("The campaign runs from %(start)s to %(end)s: choose a date in that window.")
                    % {
                        "start": self.campaign.start_date.isoformat(),
                        "end": self.campaign.end_date.isoformat(),
                    },
                )
        if self.errors:
            return data
        starts_at = _to_aware(data["starts_local"], zone)
        ends_at = _to_aware(data["ends_local"], zone)
        for field, value in (("starts_local", starts_at), ("ends_local", ends_at)):
            if value is None:
                self.add_error(
                    field, _("This time does not exist in %(zone)s: the clocks change then.") % {"zone": zone}
                )
        if self.errors:
            return data
        latitude, longitude = point if point is not None else (place.latitude, place.longitude)
        self.action_input = ActionInput(
            action_type=data["action_type"],
            title=data["title"],
            description=data["description"],
            starts_at=starts_at,
            ends_at=ends_at,
            timezone=zone,
            city=place.name if place else city,
            country=country,
            latitude=latitude,
            longitude=longitude,
            location_precision=data["location_precision"],
            venue=data["venue"],
            geonameid=place.geonameid if place else None,
            city_point=(place.latitude, place.longitude) if place else None,
            host_name=data["host_name"],
            online_url=data["online_url"],
            contact_email=data["contact_email"],
            language=self.language,
            capacity=data.get("capacity"),
        )
        try:
            action_validate(campaign=self.campaign, data=self.action_input)
        except ValidationError as error:
            field_map = {"starts_at": "starts_local", "ends_at": "ends_local"}
            for field, messages in error.message_dict.items():
                self.add_error(field_map.get(field, field) if field != "__all__" else None, messages)
            self.action_input = None
        return data

    @classmethod
    def initial_from(cls, action: Action) -> dict:
        zone = ZoneInfo(action.timezone)
        return {
            "action_type": action.action_type,
            "title": action.title,
            "description": action.description,
            "starts_local": action.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends_local": action.ends_at.astimezone(zone).replace(tzinfo=None),
            "city": action.city,
            "country": action.country.code,
            "place": action.geonameid,
            "venue": action.venue,
            "latitude": action.latitude,
            "longitude": action.longitude,
            "location_precision": action.location_precision,
            "host_name": action.host_name,
            "online_url": action.online_url,
            "contact_email": action.contact_email,
            "capacity": action.capacity,
        }
