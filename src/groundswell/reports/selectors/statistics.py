"""Campaign statistics: counts per day, per country, per type, and the moderation backlog.

Each function runs a few aggregate queries, whatever the number of rows. The dashboard's statistics page
and the public campaign report share them; which rows count (public or not) is the caller's choice where
a function takes a queryset. Days are an action's local date (``Action.local_date``), so an action at 01:00
in Tokyo counts on its own day, not on the UTC day before.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from groundswell.actions.models import WITH_PENDING_CHANGES, Action
from groundswell.organizations.models import Endorsement
from groundswell.participation.models import RSVP
from groundswell.reports.models import Incident, Photo, ReportBack, Review

TOP_COUNTRIES = 20


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=offset) for offset in range((last - first).days + 1)]


def _country_name(code: str) -> str:
    # In the active language; an unknown code shows as itself rather than as an empty cell.
    return str(countries.name(code)) or code


def align_days(*per_day: Iterable[tuple[dt.date, int]]) -> tuple[list[dt.date], list[list[int]]]:
    """Several ``[(day, count), ...]`` lists on one axis: every day from the first to the last present in
    any of them, and for each list its counts on those days (0 where it has none)."""
    maps = [dict(pairs) for pairs in per_day]
    present = [day for counts in maps for day in counts]
    if not present:
        return [], [[] for _ in maps]
    days = _days(min(present), max(present))
    return days, [[counts.get(day, 0) for day in days] for counts in maps]


def actions_per_day(actions: QuerySet) -> list[tuple[dt.date, int]]:
    """How many of ``actions`` take place on each local day, every day from the first to the last."""
    counts = dict(
        actions.order_by().values("local_date").annotate(count=Count("id")).values_list("local_date", "count")
    )
    if not counts:
        return []
    return [(day, counts.get(day, 0)) for day in _days(min(counts), max(counts))]


def actions_per_country(actions: QuerySet, limit: int = TOP_COUNTRIES) -> list[tuple[str, str, int]]:
    """``(code, localized name, count)`` of the ``limit`` countries with the most actions, most first."""
    rows = actions.order_by().values("country").annotate(count=Count("id")).values_list("country", "count")
    named = [(code, _country_name(code), count) for code, count in rows]
    named.sort(key=lambda row: (-row[2], row[1].casefold()))
    return named[:limit]


def actions_per_type(actions: QuerySet) -> list[tuple[str, str, int]]:
    """``(type, label, count)`` of every type present, most first."""
    rows = (
        actions.order_by()
        .values("action_type")
        .annotate(count=Count("id"))
        .values_list("action_type", "count")
    )
    labels = dict(Action.Type.choices)
    typed = [(kind, str(labels.get(kind, kind)), count) for kind, count in rows]
    typed.sort(key=lambda row: (-row[2], row[1].casefold()))
    return typed


def endorsements_over_time(campaign) -> list[tuple[dt.date, int, int]]:
    """``(day, approved that day, approved until then)`` for the campaign's approved endorsements, every day
    from the first approval to the last (days in the site's time zone)."""
    rows = (
        Endorsement.objects.filter(
            campaign=campaign, status=Endorsement.Status.APPROVED, approved_at__isnull=False
        )
        .annotate(day=TruncDate("approved_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day")
        .annotate(count=Count("id"))
        .values_list("day", "count")
    )
    counts = dict(rows)
    if not counts:
        return []
    result, total = [], 0
    for day in _days(min(counts), max(counts)):
        total += counts.get(day, 0)
        result.append((day, counts.get(day, 0), total))
    return result


def incidents_per_country(incidents: QuerySet) -> list[tuple[str, str, int, int]]:
    """``(code, localized name, incidents, people affected)`` per country, most incidents first."""
    rows = (
        incidents.order_by()
        .values("country")
        .annotate(count=Count("id"), people=Sum("people_affected"))
        .values_list("country", "count", "people")
    )
    named = [(code, _country_name(code), count, people or 0) for code, count, people in rows]
    named.sort(key=lambda row: (-row[2], -row[3], row[1].casefold()))
    return named


def rsvps_and_attendance_per_day(campaign) -> list[tuple[dt.date, int, int | None]]:
    """``(day, people who said they will come, people reported to have come)`` per local day of the
    campaign's approved actions, every day from the first to the last with either.

    RSVPs: the party sizes of confirmed RSVPs. Attendance: the sum of the estimates of approved
    report-backs; None on a day with no such estimate (unknown, which is not zero).
    """
    approved = Q(action__campaign=campaign, action__status=Action.Status.APPROVED)
    rsvps = dict(
        RSVP.objects.filter(approved, status=RSVP.Status.CONFIRMED)
        .order_by()
        .values("action__local_date")
        .annotate(people=Sum("party_size"))
        .values_list("action__local_date", "people")
    )
    attendance = dict(
        ReportBack.objects.filter(approved, status=Review.APPROVED, attendance__isnull=False)
        .order_by()
        .values("action__local_date")
        .annotate(people=Sum("attendance"))
        .values_list("action__local_date", "people")
    )
    present = [*rsvps, *attendance]
    if not present:
        return []
    return [(day, rsvps.get(day, 0), attendance.get(day)) for day in _days(min(present), max(present))]


def moderation_backlog(
    campaign, *, with_incidents: bool = True
) -> list[tuple[str, str, int, dt.datetime | None]]:
    """``(key, label, how many wait, since when the oldest waits)`` for each moderation queue; incidents
    only ``with_incidents`` (they are for coordinators: not even their number is shown to others).

    "actions" are new submissions; "action_changes" are organizers' edits of approved actions (they wait
    with status pending and their ``pending_changes``; the time is their latest edit).
    """
    # Two aggregates over few rows each (pending ones; ones with changes, by a partial index), not one
    # that read every action of the campaign to test its pending changes.
    new = Action.objects.filter(campaign=campaign, status=Action.Status.PENDING, pending_changes={})
    changed = Action.objects.filter(WITH_PENDING_CHANGES, campaign=campaign).filter(
        status__in=[Action.Status.PENDING, Action.Status.APPROVED]
    )
    actions = new.order_by().aggregate(new=Count("id"), new_oldest=Min("submitted_at"))
    actions |= changed.order_by().aggregate(changed=Count("id"), changed_oldest=Min("updated_at"))
    endorsements = Endorsement.objects.filter(campaign=campaign, status=Endorsement.Status.PENDING).aggregate(
        count=Count("id"), oldest=Min("verified_at")
    )
    report_backs = ReportBack.objects.filter(action__campaign=campaign, status=Review.PENDING).aggregate(
        count=Count("id"), oldest=Min("updated_at")
    )
    photos = Photo.objects.filter(report_back__action__campaign=campaign, status=Review.PENDING).aggregate(
        count=Count("id"), oldest=Min("created_at")
    )
    rows = [
        ("actions", str(_("New actions")), actions["new"], actions["new_oldest"]),
        (
            "action_changes",
            str(_("Changes to approved actions")),
            actions["changed"],
            actions["changed_oldest"],
        ),
        ("endorsements", str(_("Endorsements")), endorsements["count"], endorsements["oldest"]),
        ("report_backs", str(_("Report-backs")), report_backs["count"], report_backs["oldest"]),
        ("photos", str(_("Photos")), photos["count"], photos["oldest"]),
    ]
    if with_incidents:
        incidents = Incident.objects.filter(campaign=campaign, status=Review.PENDING).aggregate(
            count=Count("id"), oldest=Min("created_at")
        )
        rows.append(("incidents", str(_("Incidents")), incidents["count"], incidents["oldest"]))
    return rows


def campaign_headline(campaign, *, with_incidents: bool) -> dict:
    """The headline numbers of the statistics page, in four queries."""
    actions = Action.objects.filter(campaign=campaign).aggregate(
        approved=Count("id", filter=Q(status=Action.Status.APPROVED)),
        pending=Count("id", filter=Q(status=Action.Status.PENDING)),
        countries=Count("country", distinct=True, filter=Q(status=Action.Status.APPROVED)),
    )
    rsvps = RSVP.objects.filter(
        action__campaign=campaign, action__status=Action.Status.APPROVED, status=RSVP.Status.CONFIRMED
    ).aggregate(people=Sum("party_size"))
    reports = ReportBack.objects.filter(
        action__campaign=campaign, action__status=Action.Status.APPROVED, status=Review.APPROVED
    ).aggregate(count=Count("id"), people=Sum("attendance"))
    endorsements = Endorsement.objects.filter(campaign=campaign, status=Endorsement.Status.APPROVED).count()
    headline = {
        "actions": actions["approved"],
        "actions_pending": actions["pending"],
        "countries": actions["countries"],
        "rsvp_people": rsvps["people"] or 0,
        "report_backs": reports["count"],
        "attendance": reports["people"] or 0,
        "endorsements": endorsements,
    }
    if with_incidents:
        incidents = (
            Incident.objects.filter(campaign=campaign)
            .exclude(status=Review.REJECTED)
            .aggregate(count=Count("id"), people=Sum("people_affected"))
        )
        headline["incidents"] = incidents["count"]
        headline["people_affected"] = incidents["people"] or 0
    return headline
