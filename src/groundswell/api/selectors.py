"""Reads of the API. Every list is built on the public selectors, so the API shows what the public pages
show and nothing more."""

import dataclasses
import datetime as dt

from django.db.models import Count, Q

from groundswell.actions.models import Action
from groundswell.core.privacy import hash_token

from .models import ApiToken


def api_token_get(*, token: str) -> ApiToken | None:
    """The active token with this value, or None."""
    if not token or len(token) > 100:
        return None
    return (
        ApiToken.objects.select_related("campaign", "organization")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .first()
    )


@dataclasses.dataclass(frozen=True)
class BoundingBox:
    """West, south, east, north in degrees; west > east crosses the date line."""

    west: float
    south: float
    east: float
    north: float


def action_filter_api(
    actions,
    *,
    bbox: BoundingBox | None = None,
    updated_since: dt.datetime | None = None,
):
    """The API's filters beyond ``ActionFilters``: a box on the public point (never the exact one) and the
    last change."""
    if bbox is not None:
        actions = actions.filter(public_latitude__gte=bbox.south, public_latitude__lte=bbox.north)
        if bbox.west <= bbox.east:
            actions = actions.filter(public_longitude__gte=bbox.west, public_longitude__lte=bbox.east)
        else:
            actions = actions.filter(Q(public_longitude__gte=bbox.west) | Q(public_longitude__lte=bbox.east))
    if updated_since is not None:
        actions = actions.filter(updated_at__gte=updated_since)
    return actions


# A page of a list is ordered by one of these keys, then by id: stable whatever is added meanwhile.
ORDER_FIELDS = {"starts_at": "starts_at", "updated_at": "updated_at"}


def page_after(
    queryset, *, order: str, after: tuple[dt.datetime, int] | None, limit: int
) -> tuple[list, bool]:
    """The first ``limit`` rows of ``queryset`` after the position ``after`` (a value of ``order`` and an
    id), and whether more follow. One query."""
    field = ORDER_FIELDS[order]
    if after is not None:
        value, pk = after
        queryset = queryset.filter(Q(**{f"{field}__gt": value}) | Q(**{field: value, "id__gt": pk}))
    rows = list(queryset.order_by(field, "id")[: limit + 1])
    return rows[:limit], len(rows) > limit


def action_own_list(*, api_token: ApiToken):
    """The actions the token's organization hosts in the token's campaign, whatever their status."""
    return Action.objects.filter(
        campaign_id=api_token.campaign_id, host_organization_id=api_token.organization_id
    ).select_related("campaign", "host_organization")


def endorsement_public_list(*, campaign):
    # The same public profile as the list of signatories: an individual's name only if they chose it.
    from groundswell.organizations.selectors import endorsement_public_queryset

    return endorsement_public_queryset(campaign=campaign).order_by("id")


def endorsement_page(*, campaign, after_id: int | None, limit: int) -> tuple[list, bool]:
    endorsements = endorsement_public_list(campaign=campaign)
    if after_id is not None:
        endorsements = endorsements.filter(id__gt=after_id)
    rows = list(endorsements[: limit + 1])
    return rows[:limit], len(rows) > limit


def campaign_statistics(*, campaign) -> dict:
    """Counts of the campaign's approved actions by country, type and local day, and of its approved
    endorsements. Counts only: nothing about a person."""
    approved = Action.objects.filter(campaign=campaign, status=Action.Status.APPROVED).order_by()

    def grouped(field):
        return {
            str(key): n
            for key, n in approved.values_list(field).annotate(n=Count("id")).values_list(field, "n")
        }

    by_country = grouped("country")
    return {
        "actions": sum(by_country.values()),
        "countries": len(by_country),
        "endorsements": endorsement_public_list(campaign=campaign).count(),
        "by_country": dict(sorted(by_country.items())),
        "by_type": dict(sorted(grouped("action_type").items())),
        "by_day": dict(sorted(grouped("local_date").items())),
    }
