"""Reads of RSVPs. Only counts leave for public pages; names and emails only for the organizer, and only of
the people who agreed to share them."""

from django.db.models import Count, Q, Sum

from groundswell.actions.models import Action
from groundswell.core.privacy import hash_token

from .models import RSVP


def rsvp_counts(action: Action) -> dict[str, int]:
    """Confirmed RSVPs (``rsvps``) and the people they bring (``people``, the sum of party sizes)."""
    totals = RSVP.objects.filter(action=action, status=RSVP.Status.CONFIRMED).aggregate(
        rsvps=Count("id"), people=Sum("party_size")
    )
    return {"rsvps": totals["rsvps"], "people": totals["people"] or 0}


def rsvp_people_by_action(action_ids) -> dict[int, int]:
    """People coming (confirmed party sizes) per action, in one query."""
    rows = (
        RSVP.objects.filter(action_id__in=list(action_ids), status=RSVP.Status.CONFIRMED)
        .values("action_id")
        .annotate(people=Sum("party_size"))
    )
    return {row["action_id"]: row["people"] for row in rows}


def rsvp_places_left(action: Action) -> int | None:
    """Places left under the action's capacity, or None when it has none."""
    if action.capacity is None:
        return None
    return max(0, action.capacity - rsvp_counts(action)["people"])


def rsvp_organizer_summary(action: Action) -> dict:
    """What the organizer's private page shows: counts, party sizes, and the names and emails of those
    who agreed to share them (the others are counted, never named)."""
    confirmed = RSVP.objects.filter(action=action, status=RSVP.Status.CONFIRMED)
    sizes = list(confirmed.values("party_size").annotate(rsvps=Count("id")).order_by("party_size"))
    totals = RSVP.objects.filter(action=action).aggregate(
        rsvps=Count("id", filter=Q(status=RSVP.Status.CONFIRMED)),
        people=Sum("party_size", filter=Q(status=RSVP.Status.CONFIRMED)),
        unconfirmed=Count("id", filter=Q(status=RSVP.Status.UNCONFIRMED)),
        cancelled=Count("id", filter=Q(status=RSVP.Status.CANCELLED)),
    )
    shared = list(
        confirmed.filter(share_with_organizer=True, erased_at=None)
        .order_by("confirmed_at", "id")
        .values("name", "email", "party_size", "confirmed_at")
    )
    return {
        "rsvps": totals["rsvps"],
        "people": totals["people"] or 0,
        "unconfirmed": totals["unconfirmed"],
        "cancelled": totals["cancelled"],
        "party_sizes": sizes,
        "shared": shared,
        "not_shared": totals["rsvps"] - len(shared),
    }


def rsvp_calendar_actions(*, token: str):
    """The public actions one person confirmed they will come to, found by their private calendar token."""
    if not token or len(token) > 100:
        return Action.objects.none()
    return (
        Action.objects.filter(
            rsvps__calendar_token_hash=hash_token(token),
            rsvps__status=RSVP.Status.CONFIRMED,
            rsvps__erased_at=None,
        )
        .filter(
            Q(status=Action.Status.APPROVED) | Q(status=Action.Status.CANCELLED, approved_at__isnull=False)
        )
        .select_related("campaign", "host_organization")
        .distinct()
        .order_by("starts_at", "id")
    )
