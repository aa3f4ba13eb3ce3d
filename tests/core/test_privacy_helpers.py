import pytest

from groundswell.core.privacy import (
    APPROX_MAX_M,
    APPROX_MIN_M,
    distance_m,
    hash_token,
    new_token,
    public_point,
)

BERLIN = (52.52437, 13.41053)


def test_exact_point_is_kept():
    assert public_point(latitude=BERLIN[0], longitude=BERLIN[1], precision="exact", seed="a") == BERLIN


@pytest.mark.parametrize("seed", [f"seed-{n}" for n in range(50)])
def test_about_1km_point_stays_inside_the_promised_ring(seed):
    lat, lon = public_point(latitude=BERLIN[0], longitude=BERLIN[1], precision="km", seed=seed)
    away = distance_m(*BERLIN, lat, lon)
    assert APPROX_MIN_M - 1 <= away <= APPROX_MAX_M + 1


def test_about_1km_offset_is_fixed_per_action_so_reads_cannot_be_averaged():
    first = public_point(latitude=BERLIN[0], longitude=BERLIN[1], precision="km", seed="action-7")
    again = public_point(latitude=BERLIN[0], longitude=BERLIN[1], precision="km", seed="action-7")
    other = public_point(latitude=BERLIN[0], longitude=BERLIN[1], precision="km", seed="action-8")
    assert first == again
    assert first != other


def test_city_precision_shows_the_city_centre():
    point = public_point(latitude=52.5301, longitude=13.3902, precision="city", seed="x", city_point=BERLIN)
    assert point == (52.52, 13.41)


def test_city_precision_without_city_point_is_far_and_coarse():
    lat, lon = public_point(latitude=BERLIN[0], longitude=BERLIN[1], precision="city", seed="y")
    assert 1000 < distance_m(*BERLIN, lat, lon) < 6500
    assert (round(lat, 2), round(lon, 2)) == (lat, lon)


def test_offset_wraps_across_the_date_line():
    lat, lon = public_point(latitude=-17.8, longitude=179.9995, precision="km", seed="fiji-east")
    assert -180 <= lon <= 180
    assert distance_m(-17.8, 179.9995, lat, lon) <= APPROX_MAX_M + 1


def test_tokens_are_random_and_hashes_stable():
    first, second = new_token(), new_token()
    assert first != second and len(first) >= 32
    assert hash_token(first) == hash_token(first) != hash_token(second)
