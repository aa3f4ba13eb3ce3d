"""Reads for the public map: a campaign's public actions as compact columns of numbers.

One row per action would repeat every key 100,000 times (a GeoJSON Feature per action is ~150 bytes); columns
of plain numbers are about a fifth of that and gzip well. Titles and other text are left out: a popup fetches
them for the one action clicked.

Only ``public_latitude``/``public_longitude`` are read, never the exact point: for an action shown "about
1 km" or "city" the exact point is not in the query, so it cannot leak into the output.
"""

from .filters import ActionFilters
from .models import Action
from .selectors import action_public_list

# The position of a type in this list is its number in the "type" column (new types go at the end).
TYPES: list[str] = list(Action.Type.values)
EXACT_DECIMALS = 5  # about 1 m
APPROXIMATE_DECIMALS = 4  # about 10 m: more digits would claim a precision the point does not have


def map_points(*, campaign, filters: ActionFilters) -> dict:
    """The campaign's public actions matching ``filters``, as parallel columns in id order::

        {"n": 3, "types": ["demonstration", ...], "days": ["2026-10-12", ...],
         "id": [1040, 1, 5],            # the first id, then differences to the previous one
         "lat": [52.52437, ...], "lon": [13.41053, ...],
         "type": [4, 0, 2],             # index into "types"
         "day": [0, 0, 1],              # index into "days" (local start dates, in order of first use)
         "cancelled": [2]}              # positions of actions that were approved and then cancelled

    One query, whatever the number of actions.
    """
    rows = (
        filters.apply(action_public_list(campaign=campaign))
        .order_by("id")
        .values_list(
            "id", "public_latitude", "public_longitude", "location_precision", "action_type", "local_date",
            "status",
        )
    )  # fmt: skip
    return encode_points(rows)


def encode_points(rows) -> dict:
    """The compact columns (see ``map_points``) of ``rows``: a values_list queryset of id, public latitude,
    public longitude, location precision, action type, local date and status, in id order."""
    type_index = {code: i for i, code in enumerate(TYPES)}
    day_index: dict = {}
    ids, lats, lons, types, days, cancelled = [], [], [], [], [], []
    previous_id = 0
    exact, cancelled_status = Action.Precision.EXACT, Action.Status.CANCELLED
    other = type_index[Action.Type.OTHER]
    for position, row in enumerate(rows.iterator(chunk_size=5000)):
        pk, lat, lon, precision, action_type, local_date, status = row
        decimals = EXACT_DECIMALS if precision == exact else APPROXIMATE_DECIMALS
        ids.append(pk - previous_id)
        previous_id = pk
        lats.append(round(lat, decimals))
        lons.append(round(lon, decimals))
        types.append(type_index.get(action_type, other))
        days.append(day_index.setdefault(local_date, len(day_index)))
        if status == cancelled_status:
            cancelled.append(position)
    return {
        "n": len(ids),
        "types": TYPES,
        "days": [day.isoformat() for day in day_index],
        "id": ids,
        "lat": lats,
        "lon": lons,
        "type": types,
        "day": days,
        "cancelled": cancelled,
    }
