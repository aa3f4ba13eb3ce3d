"""Rate limits shared through Redis (production's cache): run when a Redis answers, mandatory in CI."""

import os
import socket
from urllib.parse import urlsplit

import pytest

from groundswell.core.ratelimit import rate_limit_exceeded

REDIS_URL = os.environ.get("GROUNDSWELL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_answers() -> bool:
    parts = urlsplit(REDIS_URL)
    assert parts.hostname in {"127.0.0.1", "localhost", "::1"}, "tests talk to loopback only"
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_cache(settings):
    if not _redis_answers():
        message = f"No Redis answers at {REDIS_URL}"
        if os.environ.get("GROUNDSWELL_REQUIRE_REDIS"):
            pytest.fail(message + " (required by GROUNDSWELL_REQUIRE_REDIS)")
        pytest.skip(message + ": Redis checks skipped.")
    settings.CACHES = {
        alias: {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
        for alias, prefix in (("default", "gs-test"), ("ratelimit", "gs-test-ratelimit"))
    }
    from django.core.cache import caches

    cache = caches["ratelimit"]
    cache.clear()
    yield cache
    cache.clear()


def test_rate_limit_counts_in_redis(redis_cache):
    results = [rate_limit_exceeded(scope="t", key="client-a", limit=3) for _ in range(5)]
    assert results == [False, False, False, True, True]
    assert rate_limit_exceeded(scope="t", key="client-b", limit=3) is False
    keys = redis_cache.client.get_client().keys("*")
    assert any(b"gs-test-ratelimit:1:rl:t:client-a" in key for key in keys)


def test_rate_limit_counts_every_hit_of_threads_counting_at_once(redis_cache):
    from concurrent.futures import ThreadPoolExecutor

    from groundswell.core.ratelimit import rate_limit_count, rate_limit_hit

    def hit(_):
        return rate_limit_hit(scope="t", key="busy", window_s=3600)

    with ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(hit, range(200)))

    assert sorted(counts) == list(range(1, 201))  # every hit counted once, none lost
    assert rate_limit_count(scope="t", key="busy", window_s=3600) == 200
    client = redis_cache.client.get_client()
    (key,) = [key for key in client.keys("*") if b"rl:t:busy" in key]
    assert 3600 < client.ttl(key) <= 3660  # the window and its minute of grace, set once
