"""The public filters of actions (type, day or date range, country, text), shared by the list, the map and
the calendar so that one URL query means the same everywhere and can be shared."""

import dataclasses
import datetime as dt
import unicodedata

from django.db.models import Q
from django.http import QueryDict
from django_countries import countries

from .models import Action

MAX_TEXT = 100


def clean_text(value: str, max_length: int) -> str:
    """Typed text from a URL, safe to search and to show: control characters dropped (PostgreSQL refuses
    NUL in a query; none belongs in a search), the ones that are spaces counted as spaces, and runs of
    spaces collapsed."""
    kept = "".join(ch for ch in value if ch.isspace() or unicodedata.category(ch) != "Cc")
    return " ".join(kept.split())[:max_length]


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10]) if value else None
    except ValueError:
        return None


@dataclasses.dataclass(frozen=True)
class ActionFilters:
    action_type: str = ""
    country: str = ""
    date_from: dt.date | None = None  # local dates, inclusive
    date_to: dt.date | None = None
    q: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> "ActionFilters":
        """Reads ``type``, ``country``, ``day`` (one local date) or ``from``/``to``, and ``q``.
        Anything unknown or malformed is ignored: a shared link with a typo still shows actions."""
        action_type = query.get("type", "")
        country = query.get("country", "").strip().upper()
        day = _date(query.get("day", ""))
        date_from, date_to = (day, day) if day else (_date(query.get("from", "")), _date(query.get("to", "")))
        if date_from and date_to and date_to < date_from:
            date_from, date_to = date_to, date_from
        return cls(
            action_type=action_type if action_type in Action.Type.values else "",
            country=country if country and country in countries else "",
            date_from=date_from,
            date_to=date_to,
            q=clean_text(query.get("q", ""), MAX_TEXT),
        )

    @property
    def day(self) -> dt.date | None:
        return self.date_from if self.date_from and self.date_from == self.date_to else None

    @property
    def is_active(self) -> bool:
        return bool(self.action_type or self.country or self.date_from or self.date_to or self.q)

    def apply(self, actions):
        if self.action_type:
            actions = actions.filter(action_type=self.action_type)
        if self.country:
            actions = actions.filter(country=self.country)
        if self.date_from:
            actions = actions.filter(local_date__gte=self.date_from)
        if self.date_to:
            actions = actions.filter(local_date__lte=self.date_to)
        if self.q:
            # The host organization's name costs one join (the action lists load it anyway), only with text.
            actions = actions.filter(
                Q(title__icontains=self.q)
                | Q(city__icontains=self.q)
                | Q(host_name__icontains=self.q)
                | Q(host_organization__name__icontains=self.q)
            )
        return actions

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters (for links and for the map's data URL)."""
        query = {"type": self.action_type, "country": self.country, "q": self.q}
        if self.day:
            query["day"] = self.day.isoformat()
        else:
            query["from"] = self.date_from.isoformat() if self.date_from else ""
            query["to"] = self.date_to.isoformat() if self.date_to else ""
        return {key: value for key, value in query.items() if value}

    def cache_key(self) -> str:
        return "&".join(f"{key}={value}" for key, value in sorted(self.as_query().items()))

    def within(self, start: dt.date, end: dt.date) -> "ActionFilters":
        """The same filters with their dates bounded by a campaign window ``start``–``end``: what cache keys
        are built from, so the endless ``from``/``to`` values a URL can hold make a few keys per window
        instead of one per date. A bound at or beyond its own edge of the window is dropped; one beyond the
        other edge becomes the day just outside it (nothing there). Actions are registered within their
        campaign's window, so the same actions match (if a coordinator later shrinks the window, a bound at
        its edge also takes in the actions left outside it, as no bound does)."""
        date_from, date_to = self.date_from, self.date_to
        if date_from and date_from <= start:
            date_from = None
        if date_to and date_to >= end:
            date_to = None
        if date_from and date_from > end:
            date_from = end + dt.timedelta(days=1)
        if date_to and date_to < start:
            date_to = start - dt.timedelta(days=1)
        return dataclasses.replace(self, date_from=date_from, date_to=date_to)
