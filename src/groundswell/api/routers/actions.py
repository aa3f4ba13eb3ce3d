"""Actions: the public list with filters and cursors, one action, and an organization's submissions."""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django_countries import countries
from ninja import Query, Router, Status

from groundswell.actions.filters import ActionFilters
from groundswell.actions.models import Action
from groundswell.actions.selectors import action_public_get, action_public_list
from groundswell.core.ratelimit import rate_limit_exceeded, rate_limit_retry_after

from ..auth import OrganizationToken
from ..errors import ApiError, invalid
from ..lookup import public_campaign
from ..pagination import aware_utc, decode_cursor, encode_cursor, next_url
from ..schemas.actions import (
    ActionListQuery,
    ActionOut,
    ActionPage,
    ActionSubmitIn,
    OwnActionOut,
    OwnActionPage,
)
from ..schemas.common import ErrorOut, PageQuery
from ..selectors import BoundingBox, action_filter_api, action_own_list, page_after
from ..services import api_action_submit
from ..submission import action_input_from

router = Router(tags=["actions"])

EXACT_DECIMALS = 5  # about 1 m
APPROXIMATE_DECIMALS = 4  # about 10 m: more digits would claim a precision the point does not have
ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}
TOKEN_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


def action_out(action: Action) -> dict:
    """The public fields of an action. The exact point, the contact email and the edit token never leave;
    the venue only when the organizer chose to show the place exactly."""
    exact = action.location_precision == Action.Precision.EXACT
    decimals = EXACT_DECIMALS if exact else APPROXIMATE_DECIMALS
    return {
        "id": action.pk,
        "url": f"{settings.BASE_URL}{action.get_absolute_url()}",
        "campaign": action.campaign.slug,
        "type": action.action_type,
        "title": action.title,
        "description": action.description,
        "status": action.status,
        "starts_at": action.starts_at,
        "ends_at": action.ends_at,
        "timezone": action.timezone,
        "local_date": action.local_date,
        "city": action.city,
        "country": action.country.code,
        "venue": action.venue if exact else None,
        "location": {
            "latitude": round(action.public_latitude, decimals),
            "longitude": round(action.public_longitude, decimals),
            "precision": action.location_precision,
        },
        "host": action.host_display,
        "online_url": action.online_url,
        "updated_at": action.updated_at,
    }


def own_action_out(action: Action) -> dict:
    return {**action_out(action), "is_public": action.is_public, "submitted_at": action.submitted_at}


def parse_bbox(value: str) -> BoundingBox:
    message = (
        "bbox must be minLon,minLat,maxLon,maxLat in degrees (longitudes -180..180, latitudes -90..90, "
        "minLat <= maxLat; minLon > maxLon crosses the date line)."
    )
    parts = value.split(",")
    if len(parts) != 4:
        raise invalid("bbox", message)
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise invalid("bbox", message) from None
    if not all(math.isfinite(n) for n in (west, south, east, north)):
        raise invalid("bbox", message)
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise invalid("bbox", message)
    return BoundingBox(west=west, south=south, east=east, north=north)


def _filters(*, country, action_type, date_from, date_to) -> ActionFilters:
    code = (country or "").strip().upper()
    if code and code not in countries:
        raise invalid("country", f"Unknown country code {country!r}: use ISO 3166-1 alpha-2, e.g. DE.")
    if date_from and date_to and date_to < date_from:
        raise invalid("to", "to is before from.")
    return ActionFilters(
        action_type=action_type.value if action_type else "",
        country=code,
        date_from=date_from,
        date_to=date_to,
    )


def _page(request, actions, *, order: str, cursor: str | None, limit: int, out) -> dict:
    after = decode_cursor(cursor, order=order) if cursor else None
    rows, more = page_after(actions, order=order, after=after, limit=limit)
    next_cursor = encode_cursor(order=order, value=getattr(rows[-1], order), pk=rows[-1].pk) if more else None
    return {
        "items": [out(action) for action in rows],
        "next_cursor": next_cursor,
        "next": next_url(request, cursor=next_cursor),
    }


@router.get(
    "/campaigns/{slug}/actions",
    response={200: ActionPage, **ERRORS},
    summary="The campaign's public actions",
    description=(
        "Approved actions, and approved ones later cancelled (status `cancelled`). Ordered by start, or by "
        "last change when `updated_since` is given; follow `next` until it is null."
    ),
)
def action_list(request, slug: str, query: Query[ActionListQuery]):
    filters = _filters(
        country=query.country, action_type=query.type, date_from=query.date_from, date_to=query.date_to
    )
    box = parse_bbox(query.bbox) if query.bbox else None
    since = aware_utc(query.updated_since, field="updated_since") if query.updated_since else None
    campaign = public_campaign(slug)
    actions = action_filter_api(
        filters.apply(action_public_list(campaign=campaign)), bbox=box, updated_since=since
    )
    order = "updated_at" if since else "starts_at"
    return _page(request, actions, order=order, cursor=query.cursor, limit=query.limit, out=action_out)


@router.get(
    "/campaigns/{slug}/actions/{action_id}",
    response={200: ActionOut, 404: ErrorOut, 422: ErrorOut},
    summary="One public action",
)
def action_detail(request, slug: str, action_id: int):
    campaign = public_campaign(slug)
    action = action_public_get(campaign=campaign, pk=action_id) if 0 < action_id < 2**63 else None
    if action is None:
        raise ApiError(404, "No such public action in this campaign.")
    return action_out(action)


@router.post(
    "/campaigns/{slug}/actions",
    auth=OrganizationToken(),
    response={201: OwnActionOut, 429: ErrorOut, **TOKEN_ERRORS},
    summary="Submit an action (waits for moderation)",
    description=(
        "With the organization's token for this campaign. The action is hosted by the organization and "
        "waits for moderation; it appears in `/me/actions` at once and in the public list once approved."
    ),
)
def action_submit_with_token(request, slug: str, payload: ActionSubmitIn):
    api_token = request.auth
    campaign = api_token.campaign
    if campaign.slug != slug:
        raise ApiError(403, "This token is for another campaign.")
    if not campaign.is_published:
        raise ApiError(403, "This campaign is closed: it takes no new actions.")
    limit = settings.API_SUBMISSIONS_PER_HOUR
    if rate_limit_exceeded(scope="api-submit", key=str(api_token.pk), limit=limit, window_s=3600):
        raise ApiError(
            429,
            "Too many submissions with this token: try again later.",
            headers={"Retry-After": str(rate_limit_retry_after(window_s=3600))},
        )
    data = action_input_from(payload, campaign=campaign, organization=api_token.organization)
    try:
        action = api_action_submit(api_token=api_token, data=data)
    except ValidationError as error:
        errors = [
            {"field": field, "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
        raise ApiError(422, " ".join(e["message"] for e in errors), errors=errors) from None
    return Status(201, own_action_out(action))


@router.get(
    "/me/actions",
    auth=OrganizationToken(),
    response={200: OwnActionPage, **TOKEN_ERRORS},
    summary="The token's organization's actions in its campaign, whatever their status",
)
def own_action_list(request, query: Query[PageQuery]):
    actions = action_own_list(api_token=request.auth)
    return _page(
        request, actions, order="updated_at", cursor=query.cursor, limit=query.limit, out=own_action_out
    )
