"""Fixed-window rate limits in the cache: Redis in production, so every app server shares them; without it,
files that every process of the machine shares (``core/cache.py``)."""

import time

from django.core.cache import cache


def _cache_key(scope: str, key: str, window_s: int) -> str:
    return f"rl:{scope}:{key}:{int(time.time() // window_s)}"


def rate_limit_hit(*, scope: str, key: str, window_s: int = 3600) -> int:
    """Counts one hit in the current window and returns the window's count so far."""
    cache_key = _cache_key(scope, key, window_s)
    if cache.add(cache_key, 1, timeout=window_s + 60):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=window_s + 60)
        return 1


def rate_limit_count(*, scope: str, key: str, window_s: int = 3600) -> int:
    return cache.get(_cache_key(scope, key, window_s), 0)


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window_s: int = 3600) -> bool:
    """Counts one hit and tells whether it went over ``limit`` for this window."""
    return rate_limit_hit(scope=scope, key=key, window_s=window_s) > limit
