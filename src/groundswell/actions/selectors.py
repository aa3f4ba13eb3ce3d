"""Reads of actions shared by the public pages, the dashboard and (later) the API."""

import dataclasses
import datetime as dt
import difflib
import math

from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import RowNumber
from django_countries import countries

from groundswell.core.privacy import distance_m

from .models import Action


def action_public_list(*, campaign):
    """Actions the public may see: approved ones, and approved ones that were later cancelled."""
    return (
        Action.objects.filter(campaign=campaign)
        .filter(
            Q(status=Action.Status.APPROVED) | Q(status=Action.Status.CANCELLED, approved_at__isnull=False)
        )
        .select_related("campaign", "host_organization")
    )


def action_data_version(*, campaign) -> str:
    """Changes whenever any action of the campaign changes (written, approved, cancelled, deleted): the
    ETag and cache key of everything derived from the campaign's actions."""
    latest = Action.objects.filter(campaign=campaign).aggregate(latest=Max("updated_at"), count=Count("id"))
    stamp = latest["latest"].timestamp() if latest["latest"] else 0
    return f"{campaign.pk}-{latest['count']}-{stamp:.6f}"


def action_public_get(*, campaign, pk: int) -> Action | None:
    return action_public_list(campaign=campaign).filter(pk=pk).first()


@dataclasses.dataclass
class CountryGroup:
    code: str
    name: str
    count: int
    actions: list


def action_upcoming_by_country(
    *, campaign, now: dt.datetime, page: int, countries_per_page: int = 12, per_country: int = 5
) -> tuple[list[CountryGroup], int]:
    """Upcoming approved actions grouped by country (the campaign page)."""
    upcoming = Action.objects.filter(campaign=campaign, status=Action.Status.APPROVED, ends_at__gte=now)
    return action_by_country(
        actions=upcoming, page=page, countries_per_page=countries_per_page, per_country=per_country
    )


def action_by_country(
    *, actions, page: int, countries_per_page: int = 12, per_country: int = 5
) -> tuple[list[CountryGroup], int]:
    """``actions`` grouped by country, countries sorted by their name in the current language.

    Two queries whatever the size: counts per country, then the first ``per_country`` actions of each
    country on the page (a window function). Returns the groups and the number of pages.
    """
    counts = dict(
        actions.order_by().values_list("country").annotate(n=Count("id")).values_list("country", "n")
    )
    # django-countries names follow the active language.
    names = {code: countries.name(code) or code for code in counts}
    ordered = sorted(counts, key=lambda code: names[code].casefold())
    pages = max(1, -(-len(ordered) // countries_per_page))
    page = min(max(page, 1), pages)
    on_page = ordered[(page - 1) * countries_per_page : page * countries_per_page]
    ranked = (
        actions.filter(country__in=on_page)
        .annotate(rank=Window(RowNumber(), partition_by=[F("country")], order_by=[F("starts_at"), F("id")]))
        .filter(rank__lte=per_country)
        .select_related("host_organization")
        .order_by("country", "starts_at", "id")
    )
    by_country: dict[str, list] = {}
    for action in ranked:
        by_country.setdefault(action.country.code, []).append(action)
    groups = [CountryGroup(code, names[code], counts[code], by_country.get(code, [])) for code in on_page]
    return groups, pages


@dataclasses.dataclass
class NearbyAction:
    action: Action
    distance_km: float


def action_nearest(*, actions, latitude: float, longitude: float, limit: int = 30) -> list[NearbyAction]:
    """The ``limit`` actions nearest to a point, by their public point (never the exact one).

    Looks in a box around the point that doubles until it holds enough actions (or covers the world), then
    measures the real distances of those few: a handful of indexed queries even at 100,000 actions.
    """
    span = 0.5
    candidates: list[Action] = []
    while True:
        lat_min, lat_max = latitude - span, latitude + span
        # Degrees of longitude shrink toward the poles; widen the box so it stays roughly square.
        lon_span = min(180.0, span / max(math.cos(math.radians(latitude)), 0.05))
        box = actions.filter(public_latitude__gte=lat_min, public_latitude__lte=lat_max)
        if lon_span < 180:
            west, east = longitude - lon_span, longitude + lon_span
            if west < -180:
                box = box.filter(Q(public_longitude__gte=west + 360) | Q(public_longitude__lte=east))
            elif east > 180:
                box = box.filter(Q(public_longitude__gte=west) | Q(public_longitude__lte=east - 360))
            else:
                box = box.filter(public_longitude__gte=west, public_longitude__lte=east)
        if span >= 180 or box.count() >= limit:
            candidates = list(box.select_related("host_organization")[: limit * 20])
            break
        span *= 2
    nearby = [
        NearbyAction(a, distance_m(latitude, longitude, a.public_latitude, a.public_longitude) / 1000)
        for a in candidates
    ]
    nearby.sort(key=lambda item: (item.distance_km, item.action.starts_at))
    return nearby[:limit]


def moderation_queue(
    *, campaign, country: str = "", action_type: str = "", day: dt.date | None = None, q: str = ""
):
    actions = (
        Action.objects.filter(campaign=campaign, status=Action.Status.PENDING)
        .select_related("campaign", "host_organization")
        .order_by("submitted_at", "id")
    )
    if country:
        actions = actions.filter(country=country.upper())
    if action_type:
        actions = actions.filter(action_type=action_type)
    if day:
        actions = actions.filter(local_date=day)
    if q:
        actions = actions.filter(Q(title__icontains=q) | Q(city__icontains=q) | Q(description__icontains=q))
    return actions


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.casefold(), b.casefold()).ratio()


def duplicate_hints(*, actions: list[Action], threshold: float = 0.6) -> dict[int, list[Action]]:
    """For each action, other actions of the campaign in the same city on the same local day with a
    similar title: likely duplicates for a moderator to look at. One query for the whole page."""
    if not actions:
        return {}
    keys = {(a.campaign_id, a.country.code, a.city.casefold(), a.local_date) for a in actions}
    condition = Q()
    for campaign_id, country, _city, day in keys:
        condition |= Q(campaign_id=campaign_id, country=country, local_date=day)
    candidates = list(
        Action.objects.filter(condition)
        .exclude(status=Action.Status.REJECTED)
        .only("id", "title", "city", "country", "local_date", "status", "campaign_id")
    )
    hints: dict[int, list[Action]] = {}
    for action in actions:
        for other in candidates:
            if (
                other.pk != action.pk
                and other.campaign_id == action.campaign_id
                and other.country == action.country
                and other.local_date == action.local_date
                and other.city.casefold() == action.city.casefold()
                and _similar(other.title, action.title) >= threshold
            ):
                hints.setdefault(action.pk, []).append(other)
    return hints
