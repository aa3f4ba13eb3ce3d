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
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gs-test",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


def test_rate_limit_counts_in_redis(redis_cache):
    results = [rate_limit_exceeded(scope="t", key="client-a", limit=3) for _ in range(5)]
    assert results == [False, False, False, True, True]
    assert rate_limit_exceeded(scope="t", key="client-b", limit=3) is False
    assert any(b"rl:t:client-a" in key for key in redis_cache.client.get_client().keys("*"))
