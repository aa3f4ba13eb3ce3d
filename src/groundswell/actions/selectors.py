"""Reads of actions shared by the public pages, the dashboard and (later) the API."""

import dataclasses
import datetime as dt
import difflib
import json
import math

from django.db import connection
from django.db.models import Count, Max, Q
from django_countries import countries

from groundswell.campaigns.models import Campaign
from groundswell.core.privacy import EARTH_RADIUS_M, distance_m

from .models import Action


def action_public_list(*, campaign):
    """Actions the public may see: approved ones, and approved ones that were later cancelled."""
    return (
        Action.objects.filter(campaign=campaign)
        # Approved, or cancelled after approval: written as one range of statuses (then the exception), so
        # the indexes that start with campaign and status are searched, not read through an OR. The
        # exception tests the status first: for approved actions SQLite then never reads approved_at
        # from the table (it is not in those indexes).
        .filter(status__in=[Action.Status.APPROVED, Action.Status.CANCELLED])
        .exclude(Q(status=Action.Status.CANCELLED) & Q(approved_at__isnull=True))
        .select_related("campaign", "host_organization")
    )


def action_data_version(*, campaign) -> str:
    """Changes whenever what the public may see of the campaign's actions changes: an action approved,
    edited while public, cancelled, sent back to moderation (it leaves the list) or deleted. The ETag and
    cache key of everything derived from the public actions.

    Counted over ``action_public_list`` only: a new pending submission changes nothing, so the public
    versions neither tell when submissions arrive nor throw the caches away for them. Any change to a
    public action sets its ``updated_at`` (the newest); one leaving or joining the list changes the count.
    """
    latest = (
        action_public_list(campaign=campaign)
        .order_by()
        .aggregate(latest=Max("updated_at"), count=Count("id"))
    )
    stamp = latest["latest"].timestamp() if latest["latest"] else 0
    return f"{campaign.pk}-{latest['count']}-{stamp:.6f}"


def action_public_get(*, campaign, pk: int) -> Action | None:
    return action_public_list(campaign=campaign).filter(pk=pk).first()


def action_public_get_by_slug(*, campaign_slug: str, pk: int) -> Action | None:
    """The action the public may see in the public campaign ``campaign_slug``, with its campaign, in one
    query: what a form's POST needs (status and capacity; other fields load when read), without the
    campaign's call and days that its pages show."""
    try:
        # get(), not first(): no ORDER BY to add for a primary key; with only(), half this query's CPU time.
        return (
            Action.objects.select_related("campaign")
            .only("status", "capacity", "campaign__slug", "campaign__status")
            .get(
                Q(status=Action.Status.APPROVED)
                | Q(status=Action.Status.CANCELLED, approved_at__isnull=False),
                pk=pk,
                campaign__slug=campaign_slug,
                campaign__status__in=[Campaign.Status.PUBLISHED, Campaign.Status.ARCHIVED],
            )
        )
    except Action.DoesNotExist:
        return None


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

    Three queries, none reading all of ``actions``: which countries have any (``action_countries``), how
    many each country on the page has, and the first ``per_country`` of each of them
    (``action_first_of_each``). Returns the groups and the number of pages.
    """
    present = action_countries(actions=actions)
    # django-countries names follow the active language.
    names = {code: countries.name(code) or code for code in present}
    ordered = sorted(present, key=lambda code: names[code].casefold())
    pages = max(1, -(-len(ordered) // countries_per_page))
    page = min(max(page, 1), pages)
    on_page = ordered[(page - 1) * countries_per_page : page * countries_per_page]
    counts = action_count_by_country(actions=actions.filter(country__in=on_page)) if on_page else {}
    first = action_first_of_each(actions=actions, field="country", values=on_page, limit=per_country)
    by_country: dict[str, list] = {}
    for action in first.select_related("host_organization").order_by("country", "starts_at", "id"):
        by_country.setdefault(action.country.code, []).append(action)
    groups = [CountryGroup(code, names[code], counts[code], by_country.get(code, [])) for code in on_page]
    return groups, pages


# Stands for each country code in the one subquery ``action_countries`` compiles.
# (Control characters: no filter value can equal it, typed text loses them.)
_ANY_COUNTRY = "\x1fany country\x1f"


def action_countries(*, actions) -> list[str]:
    """The countries (ISO codes) that have any of ``actions``, in code order. One query asking, for each
    country the country field knows, whether one of ``actions`` is there (EXISTS): each answer is an
    index seek, so the cost follows the number of countries in the world, not of actions (grouping them
    all by country read every one)."""
    return _countries(actions, count=False)[1]


def action_count_and_countries(*, actions) -> tuple[int, list[str]]:
    """How many ``actions`` there are, and ``action_countries``: one query."""
    return _countries(actions, count=True)


def _countries(actions, *, count: bool) -> tuple[int | None, list[str]]:
    # The country codes are a table of one column (unnest on PostgreSQL, json_each on SQLite) and the
    # EXISTS one correlated subquery, so the database plans it once: 250 subqueries written out took
    # PostgreSQL longer to plan than to run.
    codes = sorted(countries.countries)
    sql, params = actions.filter(country=_ANY_COUNTRY).order_by().values("id")[:1].query.sql_with_params()
    where = params.index(_ANY_COUNTRY)
    pieces = sql.split("%s")
    if len(pieces) != len(params) + 1:  # a placeholder we cannot tell from the others
        raise ValueError("Cannot correlate the country of this query")
    correlated = "%s".join(pieces[: where + 1]) + "code.value" + "%s".join(pieces[where + 1 :])
    if connection.vendor == "postgresql":
        source, source_params = "unnest(%s::text[]) AS code(value)", [codes]
    else:
        source, source_params = "json_each(%s) AS code", [json.dumps(codes)]
    query = f"SELECT code.value, NULL FROM {source} WHERE EXISTS ({correlated})"  # noqa: S608 -- parameters
    values = [*source_params, *params[:where], *params[where + 1 :]]
    if count:
        count_sql, count_params = actions.order_by().values("id").query.sql_with_params()
        query = f"SELECT NULL, (SELECT COUNT(*) FROM ({count_sql}) AS counted) UNION ALL {query}"  # noqa: S608
        values = [*count_params, *values]
    with connection.cursor() as cursor:
        cursor.execute(query, values)
        rows = cursor.fetchall()
    total = next((n for code, n in rows if code is None), None)
    return total, sorted(code for code, _n in rows if code is not None)


def action_count_by_country(*, actions) -> dict[str, int]:
    """How many of ``actions`` each country has (countries without any are left out). One query that
    reads every one of ``actions``: narrow them first (``action_by_country`` counts one page's countries)."""
    return dict(actions.order_by().values_list("country").annotate(n=Count("id")).values_list("country", "n"))


def action_first_of_each(
    *, actions, field: str, values: list, limit: int, order: tuple[str, ...] = ("starts_at", "id")
):
    """The first ``limit`` of ``actions`` (by ``order``) for each of ``values`` of ``field``, as a queryset
    of them. Their ids come from one query of small indexed ``LIMIT``s joined by UNION ALL, so its cost
    follows ``limit`` and the number of values, never the number of actions (a window function over all
    of them read every row of those values)."""
    if not values:
        return actions.none()
    parts, params = [], []
    for number, value in enumerate(values):
        # Ordered by ``field`` too (one value: no change), so the planner walks the index that starts with it.
        first = actions.filter(**{field: value}).order_by(field, *order).values("id")[:limit]
        sql, part_params = first.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS first_{number}")  # noqa: S608 -- Django's SQL, parameters
        params += part_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        ids = [row[0] for row in cursor.fetchall()]
    return Action.objects.filter(pk__in=ids)


@dataclasses.dataclass
class NearbyAction:
    action: Action
    distance_km: float


KM_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180 / 1000


def _box(actions, *, latitude: float, longitude: float, span: float, lon_span: float):
    """``actions`` whose public point lies within ``span`` degrees of latitude and ``lon_span`` degrees of
    longitude of the point, across the date line too."""
    box = actions.filter(public_latitude__gte=latitude - span, public_latitude__lte=latitude + span)
    if lon_span >= 180:
        return box
    west, east = longitude - lon_span, longitude + lon_span
    if west < -180:
        return box.filter(Q(public_longitude__gte=west + 360) | Q(public_longitude__lte=east))
    if east > 180:
        return box.filter(Q(public_longitude__gte=west) | Q(public_longitude__lte=east - 360))
    return box.filter(public_longitude__gte=west, public_longitude__lte=east)


def _inscribed_radius_km(latitude: float, span: float, lon_span: float) -> float:
    """The distance from the box's centre to the nearest point outside it (infinite when it covers the
    world): every action outside the box is at least this far."""
    sides = []
    if latitude + span < 90 or latitude - span > -90:
        sides.append(span)  # north or south, along the meridian
    if lon_span < 180:
        if lon_span <= 90:
            # East or west: the distance to a meridian ``lon_span`` away, d, has sin d = sin Δλ · cos φ
            # (it shrinks toward the poles, where meridians meet).
            cross = math.sin(math.radians(lon_span)) * math.cos(math.radians(latitude))
            sides.append(math.degrees(math.asin(min(1.0, cross))))
        else:
            sides.append(90 - abs(latitude))  # past 90 degrees, a meridian's nearest point is the pole
    return min(sides) * KM_PER_DEGREE if sides else math.inf


def action_nearest(*, actions, latitude: float, longitude: float, limit: int = 30) -> list[NearbyAction]:
    """The ``limit`` actions nearest to a point, by their public point (never the exact one).

    Looks in a box around the point, widened until it holds ``limit`` actions and the farthest of the
    nearest ``limit`` lies within the circle inscribed in the box (so nothing outside can be nearer).
    Only narrow rows (id, point, start) of the box are read and measured; then the chosen actions are
    loaded: exact whatever the start times, and a handful of indexed queries even at 100,000 actions.
    """
    cos_latitude = max(math.cos(math.radians(latitude)), 0.05)

    def lon_span_of(span: float) -> float:
        # Degrees of longitude shrink toward the poles; widen the box so it stays roughly square.
        return min(180.0, span / cos_latitude)

    span = 0.5
    while True:
        lon_span = lon_span_of(span)
        rows = (
            _box(actions, latitude=latitude, longitude=longitude, span=span, lon_span=lon_span)
            .order_by()
            .values_list("id", "public_latitude", "public_longitude", "starts_at")
        )
        measured = sorted(
            (distance_m(latitude, longitude, lat, lon) / 1000, starts_at, pk)
            for pk, lat, lon, starts_at in rows
        )[:limit]
        radius = _inscribed_radius_km(latitude, span, lon_span)
        farthest = measured[-1][0] if len(measured) == limit else 0.0
        if radius == math.inf or (len(measured) == limit and farthest <= radius):
            break
        # Too few, or an action outside could be nearer than the farthest: widen until the box reaches it.
        span *= 2
        while _inscribed_radius_km(latitude, span, lon_span_of(span)) < farthest:
            span *= 2
    loaded = actions.select_related("host_organization").in_bulk([pk for _, _, pk in measured])
    return [NearbyAction(loaded[pk], distance_km) for distance_km, _, pk in measured if pk in loaded]


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
