"""A version number per campaign for the cached public report.

The report is cached for a short while; a change that can hide something (an incident made coordinators-only
or rejected, a photo rejected or blurred, a report-back edited) must not stay public for that while. Every
write of the reports services bumps the campaign's version when its transaction commits, and the version is
part of the report's cache key, so the next request builds the report afresh. The counter lives in the
shared cache (Redis, or the file cache all processes of one machine share).
"""

from django.core.cache import cache

VERSION_SECONDS = 30 * 24 * 3600


def _key(campaign_id: int) -> str:
    return f"campaign-report-version:{campaign_id}"


def report_version(campaign_id: int) -> int:
    return cache.get(_key(campaign_id)) or 0


def report_changed(campaign_id: int) -> None:
    key = _key(campaign_id)
    if not cache.add(key, 1, timeout=VERSION_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=VERSION_SECONDS)
