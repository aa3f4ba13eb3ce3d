"""Privacy helpers: public points that keep their promise, secret tokens, hashed client addresses."""

import hashlib
import hmac
import math
import secrets

from django.conf import settings

EARTH_RADIUS_M = 6_371_000
# An "about 1 km" point lies between these distances from the real one: never on it, never far.
APPROX_MIN_M = 250
APPROX_MAX_M = 1000


def _unit_numbers(*parts: object) -> tuple[float, float]:
    """Two numbers in [0, 1) fixed by the inputs and the secret key: the same action gets the same offset
    on every read, so averaging repeated reads reveals nothing."""
    message = "|".join(str(part) for part in parts).encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    first = int.from_bytes(digest[:8], "big") / 2**64
    second = int.from_bytes(digest[8:16], "big") / 2**64
    return first, second


def offset_point(
    latitude: float, longitude: float, *, distance_m: float, bearing_rad: float
) -> tuple[float, float]:
    lat1, lon1 = math.radians(latitude), math.radians(longitude)
    angular = distance_m / EARTH_RADIUS_M
    lat2 = math.asin(
        math.sin(lat1) * math.cos(angular) + math.cos(lat1) * math.sin(angular) * math.cos(bearing_rad)
    )
    lon2 = lon1 + math.atan2(
        math.sin(bearing_rad) * math.sin(angular) * math.cos(lat1),
        math.cos(angular) - math.sin(lat1) * math.sin(lat2),
    )
    lon_deg = (math.degrees(lon2) + 540) % 360 - 180
    return round(math.degrees(lat2), 6), round(lon_deg, 6)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def public_point(
    *,
    latitude: float,
    longitude: float,
    precision: str,
    seed: str,
    city_point: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """The point the public sees for an action.

    exact: the point itself. km: a point 250–1000 m away in a direction fixed by ``seed``. city: the
    city's centre when known, else a fixed point 2–5 km away; rounded to about 1 km either way.
    """
    if precision == "exact":
        return round(latitude, 6), round(longitude, 6)
    u, v = _unit_numbers(seed, f"{latitude:.6f}", f"{longitude:.6f}", precision)
    bearing = 2 * math.pi * u
    if precision == "km":
        # sqrt keeps the points spread evenly over the ring's area.
        distance = math.sqrt(APPROX_MIN_M**2 + v * (APPROX_MAX_M**2 - APPROX_MIN_M**2))
        return offset_point(latitude, longitude, distance_m=distance, bearing_rad=bearing)
    if city_point is not None:
        return round(city_point[0], 2), round(city_point[1], 2)
    lat, lon = offset_point(latitude, longitude, distance_m=2000 + 3000 * v, bearing_rad=bearing)
    return round(lat, 2), round(lon, 2)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_hash(value: str) -> str:
    """A short keyed hash, for counting per email address without storing the address."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def client_key(request) -> str:
    """A keyed hash of the client's address, for rate limits: the address itself is never stored."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.SECURE_PROXY_SSL_HEADER and request.headers.get("X-Forwarded-For"):
        address = request.headers["X-Forwarded-For"].split(",")[-1].strip()
    return keyed_hash(address)
