"""Fixed-window rate limits in the cache: Redis in production, so every app server shares them; without it,
files that every process of the machine shares (``core/cache.py``).

The counters live in the ``ratelimit`` cache alias, apart from the pages and data anyone can make us cache,
so filling the page cache can never evict (and so reset) a counter.
"""

import math
import time

from django.core.cache import caches


def _counters():
    return caches["ratelimit"]


def rate_limit_retry_after(*, window_s: int) -> int:
    """Seconds until the current window ends (for a ``Retry-After`` header), at least 1."""
    return max(1, math.ceil(window_s - time.time() % window_s))


def _cache_key(scope: str, key: str, window_s: int) -> str:
    return f"rl:{scope}:{key}:{int(time.time() // window_s)}"


def _redis_count_hit(cache, cache_key: str, timeout: int) -> int:
    # One round trip: create the counter with its expiry unless it exists, then add 1 (MULTI/EXEC, so
    # no other client's commands come between the two).
    pipeline = cache.client.get_client(write=True).pipeline(transaction=True)
    full_key = cache.client.make_key(cache_key)
    pipeline.set(full_key, 0, ex=timeout, nx=True)
    pipeline.incr(full_key)
    return pipeline.execute()[1]


def rate_limit_hit(*, scope: str, key: str, window_s: int = 3600) -> int:
    """Counts one hit in the current window and returns the window's count so far: one operation of the
    counters' cache (the file cache's ``count_hit``, or one Redis round trip)."""
    cache = _counters()
    cache_key = _cache_key(scope, key, window_s)
    timeout = window_s + 60
    if hasattr(cache, "count_hit"):
        return cache.count_hit(cache_key, timeout=timeout)
    if type(cache).__module__.startswith("django_redis"):
        return _redis_count_hit(cache, cache_key, timeout)
    # Any other cache: the usual increment, and the counter created when it is missing.
    try:
        return cache.incr(cache_key)
    except ValueError:
        if cache.add(cache_key, 1, timeout=timeout):
            return 1
        try:
            return cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=timeout)
            return 1


def rate_limit_count(*, scope: str, key: str, window_s: int = 3600) -> int:
    return _counters().get(_cache_key(scope, key, window_s), 0)


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window_s: int = 3600) -> bool:
    """Counts one hit and tells whether it went over ``limit`` for this window."""
    return rate_limit_hit(scope=scope, key=key, window_s=window_s) > limit
