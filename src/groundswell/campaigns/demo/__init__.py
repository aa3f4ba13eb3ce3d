"""The demo campaign "Clean Water Weeks" (``/c/clean-water/``): fictional, neutral, always near the present.

Its 15-day window starts 5 days before today, so the campaign page always shows a campaign under way with a
day of action behind it and one a few days ahead.  The call is in English (the original), French, Spanish and
Arabic; 46 made-up organizations (``*.example.org``/``*.example.net``) endorse it; the approved actions sit at
real city coordinates and time zones from the offline geocoder, most of them on the days of action; a few
pending ones, including a near-duplicate pair, fill the moderation queue.

Everything comes from one seeded ``random.Random``: the same number of actions loaded on the same day gives
the same campaign.  Only the organizers' secret edit tokens are random (from ``new_token``, as for real
actions: a predictable token would let anyone edit a public demo), and with them the offsets of "about 1 km"
points, which ``public_point`` derives from the token's hash.

Actions and organizations are written with ``bulk_create`` in one transaction, generated batch by batch so
memory stays flat: see ``bench/demo_load.py`` for the timings.
"""

import dataclasses
import datetime as dt
import itertools
import math
import random
import time
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify

from groundswell.actions.models import Action
from groundswell.core import geocoding
from groundswell.core.privacy import hash_token, new_token, offset_point, public_point
from groundswell.core.services import audit_record
from groundswell.organizations.models import Endorsement, Organization
from groundswell.reports.models import Photo, ReportBack

from ..models import CallTranslation, Campaign
from ..services import campaign_create
from .content import (
    _COUNTRY_TIERS,
    _DESCRIPTIONS,
    _LANGUAGE_OF,
    _LOCAL_GROUPS,
    _PRECISION_WEIGHTS,
    _PRECISIONS,
    _TITLES,
    _TYPES,
    _VENUES,
    CALL,
    ORGANIZATIONS,
)
from .reports import load_reports

DEMO_SLUG = "clean-water"
DEFAULT_ACTIONS = 2_000
MAX_ACTIONS = 1_000_000
PENDING_ACTIONS = 25
SEED = 20_261_007
BATCH_SIZE = 2_000
WINDOW_DAYS = 15
DAYS_BEFORE_TODAY = 5  # the window starts this many days before today
DAY_OF_ACTION_OFFSETS = (-2, 3)  # days of action relative to today: one just past, one a few days ahead


@dataclasses.dataclass(frozen=True, slots=True)
class _City:
    place: geocoding.Place
    zone: ZoneInfo


@dataclasses.dataclass(frozen=True)
class _World:
    """Demo countries and cities, read from the geocoder once per load (no geocoder calls per action)."""

    countries: list[str]
    country_weights: list[float]  # cumulative
    cities: dict[str, list[_City]]
    city_weights: dict[str, list[float]]  # cumulative, by sqrt(population)


def _world() -> _World:
    countries, weights, cities, city_weights = [], [], {}, {}
    for weight, limit, codes in _COUNTRY_TIERS:
        for code in codes.split():
            places = [p for p in geocoding.largest_places(code, limit) if p.timezone]
            if not places:
                continue
            countries.append(code)
            weights.append(weight)
            cities[code] = [_City(p, ZoneInfo(p.timezone)) for p in places]
            city_weights[code] = list(itertools.accumulate(math.sqrt(max(p.population, 1)) for p in places))
    return _World(countries, list(itertools.accumulate(weights)), cities, city_weights)


@dataclasses.dataclass(frozen=True)
class DemoResult:
    campaign: Campaign
    created: bool  # False: the demo existed already and nothing was changed
    approved: int
    pending: int
    countries: int
    organizations: int
    seconds: float
    report_backs: int = 0
    photos: int = 0
    incidents: int = 0


# --- loading ------------------------------------------------------------------------------------------------


def demo_load(
    *, actions: int = DEFAULT_ACTIONS, reset: bool = False, today: dt.date | None = None, seed: int = SEED
) -> DemoResult:
    """Loads the demo campaign with ``actions`` approved actions, unless it exists already (then nothing
    changes) or ``reset`` is true (then it is deleted with its data first)."""
    started = time.perf_counter()
    if isinstance(actions, bool) or not isinstance(actions, int) or not 0 <= actions <= MAX_ACTIONS:
        raise ValueError(f"actions must be a whole number from 0 to {MAX_ACTIONS:,}")
    existing = Campaign.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None and not reset:
        return _result(existing, created=False, started=started)
    world = _world()  # outside the transaction: the geocoder's first load takes seconds
    today = today or timezone.localdate()
    with transaction.atomic():
        if reset:
            demo_delete()
        elif Campaign.objects.filter(slug=DEMO_SLUG).exists():  # loaded meanwhile by someone else
            return _result(Campaign.objects.get(slug=DEMO_SLUG), created=False, started=started)
        rng = random.Random(f"{seed}:{actions}")  # noqa: S311 -- made-up data, not secrets
        campaign = _create_campaign(today)
        organizations = _create_organizations(campaign)
        days = [day.date for day in campaign.days_of_action.all()]
        approved = _approved_actions(campaign, world, organizations, days, actions, rng)
        for batch in iter(lambda: list(itertools.islice(approved, BATCH_SIZE)), []):
            Action.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        Action.objects.bulk_create(_pending_actions(campaign, world, days, today, rng), batch_size=BATCH_SIZE)
        # A random source of its own: the actions stay what they were before reports were added.
        load_reports(campaign=campaign, rng=random.Random(f"{seed}:{actions}:reports"))  # noqa: S311
        audit_record(
            actor=None,
            verb="campaigns.demo.loaded",
            target=campaign,
            campaign=campaign,
            data={"actions": actions},
        )
    return _result(campaign, created=True, started=started)


def demo_delete() -> bool:
    """Deletes the demo campaign with everything in it, and the organizations that endorsed only it."""
    campaign = Campaign.objects.filter(slug=DEMO_SLUG).first()
    if campaign is None:
        return False
    with transaction.atomic():
        organization_ids = list(campaign.endorsements.values_list("organization_id", flat=True))
        photo_files = [
            name
            for pair in Photo.objects.filter(report_back__action__campaign=campaign).values_list(
                "image", "thumbnail"
            )
            for name in pair
        ]
        transaction.on_commit(lambda: [default_storage.delete(name) for name in photo_files])
        campaign.delete()  # cascades to its call, days, actions, endorsements and audit entries
        Organization.objects.filter(
            pk__in=organization_ids, endorsements__isnull=True, actions__isnull=True
        ).delete()
    return True


def _result(campaign: Campaign, *, created: bool, started: float) -> DemoResult:
    counts = dict(
        Action.objects.filter(campaign=campaign).values_list("status").annotate(n=Count("id")).order_by()
    )
    countries = (
        Action.objects.filter(campaign=campaign, status=Action.Status.APPROVED)
        .values("country").distinct().order_by().count()
    )  # fmt: skip
    return DemoResult(
        campaign=campaign,
        created=created,
        approved=counts.get(Action.Status.APPROVED, 0),
        pending=counts.get(Action.Status.PENDING, 0),
        countries=countries,
        organizations=campaign.endorsements.filter(status=Endorsement.Status.APPROVED).count(),
        report_backs=ReportBack.objects.filter(action__campaign=campaign).count(),
        photos=Photo.objects.filter(report_back__action__campaign=campaign).count(),
        incidents=campaign.incidents.count(),
        seconds=time.perf_counter() - started,
    )


def _create_campaign(today: dt.date) -> Campaign:
    start = today - dt.timedelta(days=DAYS_BEFORE_TODAY)
    title, body, demands = CALL["en"]
    campaign = campaign_create(
        actor=None,
        system=True,
        slug=DEMO_SLUG,
        name="Clean Water Weeks",
        start_date=start,
        end_date=start + dt.timedelta(days=WINDOW_DAYS - 1),
        original_language="en",
        title=title,
        body=body,
        demands=demands,
        days_of_action=[today + dt.timedelta(days=offset) for offset in DAY_OF_ACTION_OFFSETS],
        status=Campaign.Status.PUBLISHED,
    )
    # The translations are written directly rather than through ``call_translation_save``, which needs a
    # translator to act and would make the demo create a staff account.  Each follows the current original
    # (same ``source_updated_at``), so none shows as outdated.
    original = campaign.translations.get(is_original=True)
    translations = []
    for language, (title, body, demands) in CALL.items():
        if language != original.language:
            translation = CallTranslation(
                campaign=campaign, language=language, title=title, body=body, demands=demands,
                source_updated_at=original.source_updated_at,
            )  # fmt: skip
            translation.full_clean(exclude=["campaign"])
            translations.append(translation)
    CallTranslation.objects.bulk_create(translations)
    return campaign


def _create_organizations(campaign: Campaign) -> list[Organization]:
    organizations = []
    for i, (name, country) in enumerate(ORGANIZATIONS):
        slug = slugify(name)
        organizations.append(
            Organization(
                name=name,
                country=country,
                website=f"https://{slug}.example.{'org' if i % 3 else 'net'}/",
                contact_email=f"contact@{slug}.example.org",
            )
        )
    organizations = Organization.objects.bulk_create(organizations)
    if any(org.pk is None for org in organizations):  # a database that returns no keys from bulk inserts
        websites = [org.website for org in organizations]
        organizations = list(Organization.objects.filter(website__in=websites, endorsements__isnull=True))
    now = timezone.now()
    Endorsement.objects.bulk_create(
        Endorsement(campaign=campaign, organization=org, status=Endorsement.Status.APPROVED, approved_at=now)
        for org in organizations
    )
    return organizations


def _new_action(
    *, campaign: Campaign, rng: random.Random, city: _City, day: dt.date, action_type: str, status: str,
    contact_email: str, title: str | None = None, minute_of_day: int | None = None,
    precision: str | None = None, host=None, host_name: str = "", approved_at: dt.datetime | None = None,
) -> Action:  # fmt: skip
    place = city.place
    _weight, (first_hour, last_hour), (shortest, longest) = _TYPES[action_type]
    if action_type == Action.Type.ONLINE:
        precision = Action.Precision.CITY
    elif precision is None:
        precision = rng.choices(_PRECISIONS, cum_weights=_PRECISION_WEIGHTS)[0]
    venue_title, venue = rng.choice(_VENUES)
    with_venue, without_venue = _TITLES[action_type]
    if title is None:
        templates = with_venue if precision == Action.Precision.EXACT and with_venue else without_venue
        title = rng.choice(templates).format(venue=venue_title, city=place.name)
    if minute_of_day is None:
        minute_of_day = 60 * rng.randint(first_hour, last_hour) + 15 * rng.randint(0, 3)
    starts_at = dt.datetime.combine(day, dt.time(minute_of_day // 60, minute_of_day % 60), tzinfo=city.zone)
    ends_at = starts_at + dt.timedelta(minutes=15 * rng.randint(shortest // 15, longest // 15))
    # The exact place: somewhere in town, 0.3-4 km from the city's centre.
    latitude, longitude = offset_point(
        place.latitude,
        place.longitude,
        distance_m=rng.uniform(300, 4000),
        bearing_rad=rng.uniform(0, 2 * math.pi),
    )
    is_online = action_type == Action.Type.ONLINE
    online_url = f"https://meet.example.net/clean-water-{rng.randrange(16**8):08x}" if is_online else ""
    token_hash = hash_token(new_token())
    public_latitude, public_longitude = public_point(
        latitude=latitude, longitude=longitude, precision=precision, seed=token_hash,
        city_point=(place.latitude, place.longitude),
    )  # fmt: skip
    return Action(
        campaign_id=campaign.pk,  # ids rather than objects: the related descriptors cost time at 100,000 rows
        action_type=action_type,
        title=title,
        description=_DESCRIPTIONS[action_type],
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=place.timezone,
        local_date=starts_at.astimezone(city.zone).date(),
        venue=venue if precision == Action.Precision.EXACT else "",
        city=place.name,
        country=place.country,
        geonameid=place.geonameid,
        latitude=latitude,
        longitude=longitude,
        location_precision=precision,
        public_latitude=public_latitude,
        public_longitude=public_longitude,
        host_organization_id=host.pk if host else None,
        host_name=host_name,
        online_url=online_url,
        contact_email=contact_email,
        language=_LANGUAGE_OF.get(place.country, "en"),
        status=status,
        edit_token_hash=token_hash,
        approved_at=approved_at,
    )


def _approved_actions(
    campaign: Campaign, world: _World, organizations: list[Organization], days: list[dt.date], count: int,
    rng: random.Random,
) -> Iterator[Action]:  # fmt: skip
    """``count`` approved actions: one in every demo country first (so even a small demo spans the world),
    then by country weight; about 30 % on each day of action, the rest over the whole window."""
    window = [campaign.start_date + dt.timedelta(days=n) for n in range(WINDOW_DAYS)]
    by_country: dict[str, list[Organization]] = {}
    for org in organizations:
        by_country.setdefault(str(org.country), []).append(org)
    types = list(_TYPES)
    type_weights = list(itertools.accumulate(weight for weight, _hours, _minutes in _TYPES.values()))
    first_round = rng.sample(world.countries, len(world.countries))
    approved_at = timezone.now()
    for n in range(count):
        if n < len(first_round):
            country = first_round[n]
        else:
            country = rng.choices(world.countries, cum_weights=world.country_weights)[0]
        city = rng.choices(world.cities[country], cum_weights=world.city_weights[country])[0]
        draw = rng.random()
        day = days[0] if draw < 0.3 else days[-1] if draw < 0.6 else rng.choice(window)
        host, host_name = None, ""
        if by_country.get(country) and rng.random() < 0.5:
            host = rng.choice(by_country[country])
        elif rng.random() < 0.35:
            host_name = f"{city.place.name} {rng.choice(_LOCAL_GROUPS)}"
        yield _new_action(
            campaign=campaign, rng=rng, city=city, day=day, status=Action.Status.APPROVED,
            action_type=rng.choices(types, cum_weights=type_weights)[0], host=host, host_name=host_name,
            contact_email=f"organizer-{n + 1}@example.net", approved_at=approved_at,
        )  # fmt: skip


def _pending_actions(
    campaign: Campaign, world: _World, days: list[dt.date], today: dt.date, rng: random.Random
) -> list[Action]:
    """The moderation queue: actions submitted lately, the last two a near-duplicate pair (same city, same
    day, similar title: one organizer who submitted twice)."""
    upcoming = [today + dt.timedelta(days=n) for n in range((campaign.end_date - today).days + 1)]
    pending = []
    for n in range(PENDING_ACTIONS - 2):
        country = rng.choices(world.countries, cum_weights=world.country_weights)[0]
        city = rng.choices(world.cities[country], cum_weights=world.city_weights[country])[0]
        pending.append(
            _new_action(
                campaign=campaign,
                rng=rng,
                city=city,
                day=rng.choice(upcoming),
                status=Action.Status.PENDING,
                action_type=rng.choice(list(_TYPES)),
                contact_email=f"new-organizer-{n + 1}@example.net",
            )  # fmt: skip
        )
    city = world.cities[world.countries[0]][0]
    twins = [
        ("Water testing info stand at the central market", 600),
        ("Water-testing info stand at Central Market", 630),
    ]
    for title, minute_of_day in twins:
        twin = _new_action(
            campaign=campaign, rng=rng, city=city, day=days[-1], status=Action.Status.PENDING,
            action_type=Action.Type.INFO_STAND, title=title, minute_of_day=minute_of_day,
            precision=Action.Precision.EXACT, contact_email="water-stand@example.net",
        )  # fmt: skip
        twin.venue = "Central market"
        pending.append(twin)
    return pending
