"""The public campaign report assembled: numbers, series, timeline, incidents and the first photos.
Everything is read through ``reports.selectors.public``; the photos' records, and the took-place actions for
the map and the downloads, come from ``reports.selectors.report_records``.

``campaign_report`` returns plain JSON-ready data (strings, numbers, lists, dicts): the page renders it, and
report.json and the API answer it as it is. Its number of queries does not grow with the number of actions,
photos or incidents. It is kept in the cache for ``REPORT_CACHE_SECONDS`` per campaign and language: short,
because incidents are released by ``publish_after`` as time passes and moderators approve report-backs.
"""

import datetime as dt

from django.core.cache import cache
from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import get_language
from django_countries import countries

from groundswell.actions.models import Action
from groundswell.actions.selectors import action_data_version
from groundswell.core.mail import absolute_url

from ..cache import report_version
from ..models import Incident, Review
from . import statistics
from .public import (
    actions_registered,
    actions_took_place,
    endorsements_public,
    incidents_counted,
    incidents_shown,
    photos_public,
    report_backs_public,
    rsvps_counted,
)
from .report_records import _action_url, photo_records, photos_ordered

# Change with the shape or meaning of the report's data: it is part of the cache key and the ETags.
REPORT_FORMAT = 1
REPORT_CACHE_SECONDS = 120
GALLERY_SIZE = 24  # photos on the report page; the rest on the gallery pages
EXCERPTS_PER_DAY = 3
EXCERPT_CHARS = 280
TOP_COUNTRIES = 20
PHOTOS_IN_JSON = 5000  # report.json lists every public photo up to this many (the count is exact)


def _country_name(code: str) -> str:
    return str(countries.name(code) or code)


def _numbers(*, campaign, now: dt.datetime) -> dict:
    took = (
        actions_took_place(campaign=campaign, now=now)
        .order_by()
        .aggregate(n=Count("id"), countries=Count("country", distinct=True))
    )
    report_backs = report_backs_public(campaign=campaign, now=now).aggregate(
        n=Count("id"), attendance=Sum("attendance")
    )
    endorsements = endorsements_public(campaign=campaign).aggregate(
        n=Count("id"),
        organizations=Count("id", filter=Q(signer_kind="organization")),
        individuals=Count("id", filter=Q(signer_kind="individual")),
    )
    incidents = incidents_counted(campaign=campaign, now=now).aggregate(
        n=Count("id"), people=Sum("people_affected")
    )
    return {
        "actions_registered": actions_registered(campaign=campaign).count(),
        "actions_took_place": took["n"],
        "countries": took["countries"],
        "attendance": report_backs["attendance"] or 0,
        "rsvp_people": rsvps_counted(campaign=campaign).aggregate(people=Sum("party_size"))["people"] or 0,
        "report_backs": report_backs["n"],
        "photos": photos_public(campaign=campaign).count(),
        "endorsements": endorsements["n"],
        "endorsements_organizations": endorsements["organizations"],
        "endorsements_individuals": endorsements["individuals"],
        "incidents": incidents["n"],
        "people_affected": incidents["people"] or 0,
    }


def _series(*, campaign, now: dt.datetime) -> dict:
    took = actions_took_place(campaign=campaign, now=now)
    counted = incidents_counted(campaign=campaign, now=now)
    return {
        "actions_per_day": [
            {"date": day.isoformat(), "actions": n} for day, n in statistics.actions_per_day(took)
        ],
        "actions_per_country": [
            {"country": code, "name": str(name), "actions": n}
            for code, name, n in statistics.actions_per_country(took, limit=TOP_COUNTRIES)
        ],
        "actions_per_type": [
            {"type": code, "label": str(label), "actions": n}
            for code, label, n in statistics.actions_per_type(took)
        ],
        "endorsements_over_time": [
            {"date": day.isoformat(), "new": new, "cumulative": cumulative}
            for day, new, cumulative in statistics.endorsements_over_time(campaign)
        ],
        "incidents_per_country": [
            {"country": code, "name": str(name), "incidents": n, "people_affected": people}
            for code, name, n, people in statistics.incidents_per_country(counted)
        ],
    }


def _incidents(*, campaign, now: dt.datetime) -> dict:
    """Totals of the counted incidents by kind, and the public ones in detail (newest first). A detail
    links its action only while the action itself is public."""
    by_kind = {
        kind: (n, people)
        for kind, n, people in incidents_counted(campaign=campaign, now=now)
        .order_by()
        .values("kind")
        .annotate(n=Count("id"), people=Sum("people_affected"))
        .values_list("kind", "n", "people")
    }
    # Only these fields of a public incident: never its follow-up, notes, author or moderation note.
    shown = (
        incidents_shown(campaign=campaign, now=now)
        .order_by("-date", "-id")
        .values_list("id", "kind", "date", "city", "country", "people_affected", "description", "action_id",
                     "action__status")
    )  # fmt: skip
    labels = dict(Incident.Kind.choices)
    return {
        "by_kind": [
            {
                "kind": kind,
                "label": str(labels[kind]),
                "incidents": by_kind[kind][0],
                "people_affected": by_kind[kind][1] or 0,
            }
            for kind in Incident.Kind.values
            if kind in by_kind
        ],  # fmt: skip
        "public": [
            {
                "id": pk,
                "kind": kind,
                "kind_label": str(labels.get(kind, kind)),
                "date": date.isoformat(),
                "city": city,
                "country": country,
                "country_name": _country_name(country),
                "people_affected": people,
                "description": description,
                "action_url": _action_url(campaign, action_id)
                if action_id and action_status == Action.Status.APPROVED
                else None,
            }
            for pk, kind, date, city, country, people, description, action_id, action_status in shown
        ],
    }


def _timeline(*, campaign, now: dt.datetime, public_incidents: list[dict]) -> list[dict]:
    """One entry per date with actions that took place (their local start date) or public incidents:
    actions, their countries, the attendance reported, up to ``EXCERPTS_PER_DAY`` report-back excerpts
    (largest attendance first) and the public incidents of that date. Three queries."""
    took = actions_took_place(campaign=campaign, now=now).order_by()
    approved = Q(report_back__status=Review.APPROVED)
    days: dict[str, dict] = {}
    for day, n, attendance in (
        took.values("local_date")
        .annotate(n=Count("id"), attendance=Sum("report_back__attendance", filter=approved))
        .values_list("local_date", "n", "attendance")
    ):
        days[day.isoformat()] = {
            "date": day.isoformat(),
            "actions": n,
            "countries": [],
            "attendance": attendance or 0,
            "report_backs": [],
            "incidents": [],
        }
    for day, country in took.values_list("local_date", "country").distinct():
        days[day.isoformat()]["countries"].append(country)
    excerpts = (
        report_backs_public(campaign=campaign, now=now)
        .exclude(text="")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("action__local_date")],
                order_by=[F("attendance").desc(nulls_last=True), F("id")],
            )
        )
        .filter(rank__lte=EXCERPTS_PER_DAY)
        .order_by("action__local_date", "rank")
        .values_list("action__local_date", "action_id", "action__title", "action__city", "action__country",
                     "attendance", "text")
    )  # fmt: skip
    for day, action_id, title, city, country, attendance, text in excerpts:
        days[day.isoformat()]["report_backs"].append(
            {
                "action_id": action_id,
                "title": title,
                "city": city,
                "country": country,
                "attendance": attendance,
                "excerpt": Truncator(text).chars(EXCERPT_CHARS),
                "url": _action_url(campaign, action_id),
            }
        )
    for incident in public_incidents:
        day = days.setdefault(
            incident["date"],
            {
                "date": incident["date"],
                "actions": 0,
                "countries": [],
                "attendance": 0,
                "report_backs": [],
                "incidents": [],
            },
        )
        day["incidents"].append(incident)
    for day in days.values():
        day["countries"] = [
            {"country": code, "name": _country_name(code)}
            for code in sorted(set(day["countries"]), key=lambda code: _country_name(code).casefold())
        ]
        day["incidents"].reverse()  # the details come newest first; within a day, oldest first reads better
    return [days[key] for key in sorted(days)]


def _build(*, campaign, now: dt.datetime, photos_limit: int, absolute: bool) -> dict:
    incidents = _incidents(campaign=campaign, now=now)
    numbers = _numbers(campaign=campaign, now=now)
    return {
        "format": REPORT_FORMAT,
        "campaign": {
            "slug": campaign.slug,
            "url": absolute_url(campaign.get_absolute_url()),
            "start_date": campaign.start_date.isoformat(),
            "end_date": campaign.end_date.isoformat(),
        },
        "generated_at": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "numbers": numbers,
        "series": _series(campaign=campaign, now=now),
        "incidents": {
            "total": numbers["incidents"],
            "people_affected": numbers["people_affected"],
            **incidents,
        },
        "timeline": _timeline(campaign=campaign, now=now, public_incidents=incidents["public"]),
        "photos": {
            "total": numbers["photos"],
            "items": photo_records(
                photos_ordered(campaign=campaign)[:photos_limit], campaign=campaign, absolute=absolute
            ),
        },
    }


def campaign_report(
    *,
    campaign,
    photos_limit: int = PHOTOS_IN_JSON,
    absolute_photo_urls: bool = True,
    now: dt.datetime | None = None,
) -> dict:
    """The campaign's public report (see the module's docstring), from the cache when it is there.

    ``photos_limit`` bounds the photos listed (the page shows ``GALLERY_SIZE``, report.json more); their
    total is always exact. Photo URLs are absolute unless ``absolute_photo_urls`` is false (for our own
    page). Names of countries, types and kinds follow the active language. Passing ``now`` reads the
    database afresh (tests, or a report as of a moment)."""
    options = {"photos_limit": photos_limit, "absolute": absolute_photo_urls}
    if now is not None:
        return _build(campaign=campaign, now=now, **options)
    key = (
        f"campaign-report:{REPORT_FORMAT}:{campaign.pk}:{campaign.updated_at.timestamp()}:"
        f"{report_version(campaign.pk)}:{action_data_version(campaign=campaign)}:"
        f"{get_language()}:{photos_limit}:{int(absolute_photo_urls)}"
    )
    report = cache.get(key)
    if report is None:
        report = _build(campaign=campaign, now=timezone.now(), **options)
        cache.set(key, report, timeout=REPORT_CACHE_SECONDS)
    return report
