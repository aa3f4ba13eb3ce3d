"""Fixed-window rate limits in the cache (Redis in production, so every app server shares them)."""

import time

from django.core.cache import cache


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window_s: int = 3600) -> bool:
    """Counts one hit and tells whether the limit for this window was already reached."""
    bucket = int(time.time() // window_s)
    cache_key = f"rl:{scope}:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window_s + 60):
        return limit < 1
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=window_s + 60)
        count = 1
    return count > limit
