"""Offline geocoder: plain functions over GeoNames data, no database and no Django settings needed."""

import math
import os
import random
import subprocess
import sys
import threading
import time

import pytest

from groundswell.core import geocoding
from groundswell.core.geocoding import (
    Place,
    countries_with_places,
    find_places,
    fold,
    get_place,
    largest_places,
    nearest_place,
)

SAO_PAULO, ZURICH, KRAKOW, KOCHI_IN, KOCHI_JP, AUCKLAND = 3448439, 2657896, 3094802, 1273874, 1859146, 2193733


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    hav = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, hav)))


@pytest.fixture(scope="module")
def all_places() -> list[Place]:
    """Every place in the index, through the public API only."""
    return [place for code in countries_with_places() for place in largest_places(code, 10**9)]


# --- fold ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("São Paulo", "sao paulo"),
        ("SÃO PAULO", "sao paulo"),
        ("Zürich", "zurich"),
        ("Kraków", "krakow"),
        ("Łódź", "lodz"),
        ("Ørsted", "orsted"),
        ("Straße", "strasse"),
        ("N'Djamena", "ndjamena"),
        ("  Frankfurt   (Oder) ", "frankfurt oder"),
        ("Saint-Denis", "saint denis"),
        ("St Denis", "saint denis"),
        ("st. denis", "saint denis"),
        ("Краков", "краков"),
        ("Йошкар-Ола", "иошкар ола"),
        ("ＴＯＫＹＯ", "tokyo"),
        ("", ""),
        (" -- ' . ", ""),
    ],
)
def test_fold(text, key):
    assert fold(text) == key


def test_fold_keeps_marks_of_other_scripts():
    # Japanese voiced marks and Devanagari vowel signs are part of the letter, not accents.
    assert fold("ガ") == "ガ"
    assert fold("कोच्चि") == "कोच्चि"


@pytest.mark.parametrize("junk", [None, 42, b"Paris", ["Paris"]])
def test_fold_of_a_non_string_is_empty(junk):
    assert fold(junk) == ""


# --- find_places --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("city", "country", "geonameid"),
    [
        ("São Paulo", "BR", SAO_PAULO),
        ("Sao Paulo", "BR", SAO_PAULO),
        ("são paulo", "br", SAO_PAULO),
        ("SÃO PAULO", "BR", SAO_PAULO),
        ("Zürich", "CH", ZURICH),
        ("Zurich", "CH", ZURICH),
        ("Kraków", "PL", KRAKOW),
        ("Krakow", "PL", KRAKOW),
        ("Cracow", "PL", KRAKOW),  # English exonym, an alternate name
        ("Краков", "PL", KRAKOW),  # Cyrillic, an alternate name
        ("クラクフ", "PL", KRAKOW),  # Katakana, an alternate name
        ("Kochi", "IN", KOCHI_IN),
        ("Cochin", "IN", KOCHI_IN),
        ("Kochi", "JP", KOCHI_JP),
        ("高知", "JP", KOCHI_JP),
        ("Kochi ", " jp ", KOCHI_JP),
    ],
)
def test_find_places_resolves_to_one_place(city, country, geonameid):
    assert [place.geonameid for place in find_places(city, country)] == [geonameid]


def test_find_places_returns_full_places():
    [zurich] = find_places("zurich", "ch")
    assert zurich.name == "Zürich"
    assert zurich.country == "CH"
    assert zurich.region == "Zürich"
    assert zurich.timezone == "Europe/Zurich"
    assert zurich.latitude == pytest.approx(47.37, abs=0.05)
    assert zurich.longitude == pytest.approx(8.55, abs=0.05)
    assert zurich.population > 300_000
    [sao_paulo] = find_places("Sao Paulo", "BR")
    assert (sao_paulo.name, sao_paulo.timezone) == ("São Paulo", "America/Sao_Paulo")
    assert find_places("London", "GB")[0].region == "England"


def test_springfield_is_ambiguous():
    places = find_places("Springfield", "US")
    assert len(places) >= 3
    populations = [place.population for place in places]
    assert populations == sorted(populations, reverse=True)
    regions = [place.region for place in places]
    assert all(regions)
    assert len(set(regions)) == len(regions)
    assert {"Missouri", "Illinois", "Massachusetts"} <= set(regions)
    assert {place.country for place in places} == {"US"}
    assert {place.timezone for place in places} >= {"America/Chicago", "America/New_York"}


def test_kochi_is_a_different_place_in_each_country():
    [india], [japan] = find_places("Kochi", "IN"), find_places("Kochi", "JP")
    assert (india.timezone, japan.timezone) == ("Asia/Kolkata", "Asia/Tokyo")


@pytest.mark.parametrize(
    ("city", "country"),
    [("Xyzzyville", "US"), ("Zürich", "US"), ("Kochi", "FR"), ("Paris", "DE"), ("Springfield ville", "US")],
)
def test_unknown_city_in_that_country(city, country):
    assert find_places(city, country) == []


@pytest.mark.parametrize(
    "country", ["", "  ", "XX", "ZZ", "USA", "U", "1A", "🇺🇸", "F\u0301R", None, 42, ["US"]]
)
def test_unknown_or_garbage_country(country):
    assert find_places("Springfield", country) == []


@pytest.mark.parametrize(
    "city",
    [
        "",
        "   ",
        "x" * 10_000,
        "São Paulo" * 1_200,
        "Paris" + " " * 10_000 + "x",
        "\x00",
        "!!!",
        None,
        42,
        ["Paris"],
    ],
)
def test_junk_city_finds_nothing_and_raises_nothing(city):
    assert find_places(city, "FR") == []


def test_country_is_case_insensitive():
    assert find_places("Paris", "fr") == find_places("Paris", "FR") == find_places("paris", " Fr ") != []


# --- get_place, largest_places, countries_with_places -------------------------------------------------------


def test_get_place_round_trip():
    places = find_places("Springfield", "US") + largest_places("JP", 3) + find_places("Zürich", "CH")
    for place in places:
        assert get_place(place.geonameid) == place
    assert get_place(ZURICH).name == "Zürich"


@pytest.mark.parametrize("geonameid", [0, -1, 10**15, "2657896", 2657896.0, True, None])
def test_get_place_of_an_unknown_id(geonameid):
    assert get_place(geonameid) is None


def test_largest_places():
    places = largest_places("FR", 5)
    assert [place.name for place in places][:1] == ["Paris"]
    assert len(places) == 5
    assert {place.country for place in places} == {"FR"}
    assert [p.population for p in places] == sorted((p.population for p in places), reverse=True)
    assert largest_places("fr", 5) == places
    assert largest_places("FR", 1) == places[:1]
    assert largest_places("JP", 1)[0].name == "Tokyo"


@pytest.mark.parametrize(("country", "limit"), [("FR", 0), ("FR", -3), ("FR", "5"), ("XX", 5), (None, 5)])
def test_largest_places_of_nothing(country, limit):
    assert largest_places(country, limit) == []


def test_countries_with_places(all_places):
    codes = countries_with_places()
    assert codes == sorted(set(codes))
    assert {"BR", "CH", "FR", "IN", "JP", "NZ", "PL", "US"} <= set(codes)
    assert all(len(code) == 2 and code.isupper() for code in codes)
    assert {place.country for place in all_places} == set(codes)
    assert len({place.geonameid for place in all_places}) == len(all_places) > 30_000


# --- nearest_place ------------------------------------------------------------------------------------------


def test_nearest_place_gives_the_time_zone():
    assert nearest_place(47.3769, 8.5417).geonameid == ZURICH
    assert nearest_place(47.40, 8.60).timezone == "Europe/Zurich"  # Dübendorf, a suburb
    assert nearest_place(-36.8485, 174.7633).geonameid == AUCKLAND
    assert nearest_place(-36.9, 174.8).timezone == "Pacific/Auckland"


@pytest.mark.parametrize("longitude", [179.9, -179.9])
def test_nearest_place_on_either_side_of_the_antimeridian(longitude):
    place = nearest_place(-16.6, longitude)
    assert place.country == "FJ"
    assert place.timezone == "Pacific/Fiji"
    assert distance_km(-16.6, longitude, place.latitude, place.longitude) < 150


def test_nearest_place_is_found_across_the_antimeridian():
    # Fiji's nearest towns are west of the 180° line, Tonga's are 600+ km away east of it.
    place = nearest_place(-17.0, -179.99)
    assert place.longitude > 0
    assert place.timezone == "Pacific/Fiji"


def test_nearest_place_wraps_longitude():
    assert nearest_place(47.3769, 8.5417 + 360) == nearest_place(47.3769, 8.5417 - 720) == get_place(ZURICH)


def test_nearest_place_restricted_to_a_country():
    geneva = (46.2044, 6.1432)
    assert nearest_place(*geneva).timezone == "Europe/Zurich"
    place = nearest_place(*geneva, country="fr")
    assert (place.country, place.timezone) == ("FR", "Europe/Paris")
    assert distance_km(*geneva, place.latitude, place.longitude) < 50
    assert nearest_place(*geneva, country="XX") is None


def test_nearest_place_matches_a_brute_force_search(all_places):
    rng = random.Random(20241012)
    points = [(rng.uniform(-90, 90), rng.uniform(-180, 180)) for _ in range(25)]
    points += [(90, 0), (-90, 0), (0, 180), (0, -180), (-48.88, -123.39), (71.0, -179.9), (65.7, -168.9)]
    points += [(-17.0, -179.99), (-16.6, 179.9), (78.2, 15.6), (-54.8, -68.3)]
    for lat, lon in points:
        best = min(distance_km(lat, lon, p.latitude, p.longitude) for p in all_places)
        place = nearest_place(lat, lon)
        assert distance_km(lat, lon, place.latitude, place.longitude) == pytest.approx(best, abs=1e-6), (
            lat,
            lon,
        )


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(90.1, 0), (-91, 0), (math.nan, 0), (0, math.inf), ("north", 0), (None, None), ([1], 2)],
)
def test_nearest_place_of_an_invalid_point(latitude, longitude):
    assert nearest_place(latitude, longitude) is None


def test_nearest_place_is_fast(all_places):
    rng = random.Random(7)
    points = [
        (max(-90.0, min(90.0, p.latitude + rng.uniform(-0.5, 0.5))), p.longitude + rng.uniform(-0.5, 0.5))
        for p in rng.sample(all_places, 500)
    ]
    started = time.perf_counter()
    for lat, lon in points:
        nearest_place(lat, lon)
    # A linear scan of 30,000+ places takes ~20 ms per call; the grid answers in well under 1 ms.
    assert time.perf_counter() - started < 1.0


# --- loading ------------------------------------------------------------------------------------------------


def test_index_is_built_once_under_concurrent_first_use(monkeypatch):
    real_index = geocoding._index()
    builds = []

    def slow_build():
        builds.append(threading.get_ident())
        time.sleep(0.2)
        return real_index

    monkeypatch.setattr(geocoding, "_INDEX", None)
    monkeypatch.setattr(geocoding, "_build_index", slow_build)
    results = []
    threads = [threading.Thread(target=lambda: results.append(find_places("Zürich", "CH"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert results == [[get_place(ZURICH)]] * 8


def test_importable_and_usable_without_django_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import sys; from groundswell.core import geocoding as g; "
        "assert g._INDEX is None, 'index loaded at import'; "
        "print(g.find_places('Zürich', 'CH')[0].timezone, 'django.conf' in sys.modules)"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Europe/Zurich", "False"]
