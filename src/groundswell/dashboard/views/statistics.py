"""The coordinators' statistics page: headline numbers, charts and the moderation backlog of a campaign."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from groundswell.actions.models import Action
from groundswell.reports.charts import chart
from groundswell.reports.models import Incident, Review
from groundswell.reports.selectors import statistics as stats

from ..access import campaign_for

# The dashboard page of each backlog queue, where one exists (other queues are listed by name only).
BACKLOG_QUEUES = {
    "actions": "dashboard:queue",
    "action_changes": "dashboard:queue",
    "endorsements": "dashboard:endorsements",
    "report_backs": "dashboard:report_backs",
    "photos": "dashboard:report_backs",
    "incidents": "dashboard:incidents",
}


def _queue_url(key: str, campaign) -> str:
    try:
        return reverse(BACKLOG_QUEUES[key], kwargs={"slug": campaign.slug})
    except (KeyError, NoReverseMatch):
        return ""


def _backlog(campaign, now, *, with_incidents: bool) -> list[dict]:
    return [
        {
            "key": key,
            "label": label,
            "count": count,
            "oldest": oldest,
            "waiting": (now - oldest) if oldest else None,
            "url": _queue_url(key, campaign),
        }
        for key, label, count, oldest in stats.moderation_backlog(campaign, with_incidents=with_incidents)
    ]


def _charts(campaign, *, with_incidents: bool, backlog: list[dict]) -> list[dict]:
    actions = Action.objects.filter(campaign=campaign)
    approved = actions.filter(status=Action.Status.APPROVED)
    days, (approved_per_day, pending_per_day) = stats.align_days(
        stats.actions_per_day(approved), stats.actions_per_day(actions.filter(status=Action.Status.PENDING))
    )
    countries = stats.actions_per_country(approved)
    types = stats.actions_per_type(approved)
    rsvps = stats.rsvps_and_attendance_per_day(campaign)
    endorsements = stats.endorsements_over_time(campaign)
    charts = [
        chart(
            key="actions-per-day",
            title=_("Actions per day"),
            kind="lines",
            labels=days,
            series=[
                {"label": _("Approved"), "values": approved_per_day},
                {"label": _("Waiting for moderation"), "values": pending_per_day},
            ],
            x_label=_("Day (local date of the action)"),
            y_label=_("Actions"),
        ),
        chart(
            key="rsvps-attendance",
            title=_("RSVPs and reported attendance per day"),
            kind="lines",
            labels=[day for day, _rsvp, _attendance in rsvps],
            series=[
                {"label": _("People who said they will come"), "values": [row[1] for row in rsvps]},
                {"label": _("People reported to have come"), "values": [row[2] for row in rsvps]},
            ],
            x_label=_("Day"),
            y_label=_("People"),
        ),
        chart(
            key="actions-per-country",
            title=_("Approved actions per country (top 20)"),
            kind="bars",
            labels=[name for _code, name, _count in countries],
            series=[{"label": _("Actions"), "values": [count for _code, _name, count in countries]}],
            x_label=_("Country"),
            y_label=_("Actions"),
        ),
        chart(
            key="actions-per-type",
            title=_("Approved actions per type"),
            kind="bars",
            labels=[label for _type, label, _count in types],
            series=[{"label": _("Actions"), "values": [count for _type, _label, count in types]}],
            x_label=_("Type of action"),
            y_label=_("Actions"),
        ),
        chart(
            key="endorsements-over-time",
            title=_("Approved endorsements over time"),
            kind="lines",
            labels=[day for day, _new, _total in endorsements],
            series=[
                {"label": _("All endorsements"), "values": [total for _day, _new, total in endorsements]},
                {"label": _("New that day"), "values": [new for _day, new, _total in endorsements]},
            ],
            x_label=_("Day"),
            y_label=_("Endorsements"),
        ),
    ]
    if with_incidents:
        # Staff only: every incident the moderators did not reject, whatever its public visibility.
        incidents = stats.incidents_per_country(
            Incident.objects.filter(campaign=campaign).exclude(status=Review.REJECTED)
        )
        charts.append(
            chart(
                key="incidents-per-country",
                title=_("Incidents per country (all, including those for coordinators only)"),
                kind="bars",
                labels=[row[1] for row in incidents],
                series=[
                    {"label": _("Incidents"), "values": [row[2] for row in incidents]},
                    {"label": _("People affected"), "values": [row[3] for row in incidents]},
                ],
                x_label=_("Country"),
                y_label=_("Number"),
            )
        )
    charts.append(
        chart(
            key="moderation-backlog",
            title=_("Moderation backlog"),
            kind="bars",
            labels=[row["label"] for row in backlog],
            series=[{"label": _("Waiting"), "values": [row["count"] for row in backlog]}],
            x_label=_("Queue"),
            y_label=_("Waiting"),
        )
    )
    return charts


@login_required
@require_GET
def statistics(request, slug):
    campaign, access = campaign_for(request, slug, need="moderate")
    backlog = _backlog(campaign, timezone.now(), with_incidents=access.coordinate)
    return render(
        request,
        "dashboard/statistics.html",
        {
            "campaign": campaign,
            "access": access,
            "headline": stats.campaign_headline(campaign, with_incidents=access.coordinate),
            "backlog": backlog,
            "charts": _charts(campaign, with_incidents=access.coordinate, backlog=backlog),
        },
    )
