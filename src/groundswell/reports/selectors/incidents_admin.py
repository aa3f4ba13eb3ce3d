"""Reads of incidents for the people who handle them, never for the public: the campaign's coordinators in
the dashboard, and an action's organizer (by the secret link) for the incidents they reported."""

from django.db.models import Case, Count, IntegerField, Value, When

from ..models import Incident, IncidentNote, Review


def incident_list_for_dashboard(
    *,
    campaign,
    status: str = "",
    kind: str = "",
    country: str = "",
    visibility: str = "",
    follow_up: str = "",
):
    """The campaign's incidents, those waiting for a decision first, then the latest first."""
    incidents = Incident.objects.filter(campaign=campaign).select_related("action")
    for field, value in (
        ("status", status),
        ("kind", kind),
        ("country", country),
        ("visibility", visibility),
        ("follow_up", follow_up),
    ):
        if value:
            incidents = incidents.filter(**{field: value})
    return incidents.annotate(
        waiting=Case(
            When(status=Review.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("waiting", "-date", "-id")


def incident_counts_for_dashboard(*, campaign) -> dict:
    """How many incidents wait for a decision, and how many recorded ones are in each follow-up state."""
    rows = (
        Incident.objects.filter(campaign=campaign)
        .exclude(status=Review.REJECTED)
        .values("status", "follow_up")
        .annotate(n=Count("id"))
        .order_by()
    )
    pending = 0
    follow_up = dict.fromkeys(Incident.FollowUp.values, 0)
    for row in rows:
        if row["status"] == Review.PENDING:
            pending += row["n"]
        else:
            follow_up[row["follow_up"]] = follow_up.get(row["follow_up"], 0) + row["n"]
    return {
        "pending": pending,
        "follow_up": [(value, label, follow_up[value]) for value, label in Incident.FollowUp.choices],
    }


def incident_for_dashboard(*, campaign, pk: int) -> Incident | None:
    return (
        Incident.objects.filter(campaign=campaign, pk=pk)
        .select_related("campaign", "action", "created_by")
        .first()
    )


def incident_notes(*, incident: Incident) -> list[IncidentNote]:
    """The follow-up timeline, oldest first, with each note's author."""
    return list(
        IncidentNote.objects.filter(incident=incident).select_related("author").order_by("created_at", "id")
    )


def incident_list_for_organizer(*, action) -> list[Incident]:
    """The incidents the organizer reported for their action (not those a coordinator recorded), latest first.

    The organizer's page shows their kind, date, state and visibility, never a description: the link may
    be shared within a group, and a coordinators-only incident must not travel with it.
    """
    return list(
        Incident.objects.filter(action=action, reported_by_organizer=True)
        .only("id", "kind", "date", "status", "visibility", "publish_after", "moderation_note", "action_id")
        .order_by("-created_at", "-id")
    )
