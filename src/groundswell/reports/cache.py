"""A version per campaign for the cached public report.

The report is cached for a short while; a change that can hide something (an incident made coordinators-only
or rejected, a photo rejected or blurred, a report-back edited) must not stay public for that while. Every
write of the reports services gives the campaign a new version when its transaction commits, and the version
is part of the report's cache key, so the next request builds the report afresh. (Changes of the public
actions are in the key too, through ``action_data_version``.)

The version is a random token in the shared cache (Redis, or the file cache all processes of one machine
share), not a counter: should the cache drop it, the next read makes a new token, so a report cached under an
older version is never taken for a current one.
"""

import secrets

from django.core.cache import cache

VERSION_SECONDS = 30 * 24 * 3600


def _key(campaign_id: int) -> str:
    return f"campaign-report-version:{campaign_id}"


def report_version(campaign_id: int) -> str:
    key = _key(campaign_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, secrets.token_hex(8), timeout=VERSION_SECONDS)
        version = cache.get(key) or secrets.token_hex(8)
    return version


def report_changed(campaign_id: int) -> None:
    cache.set(_key(campaign_id), secrets.token_hex(8), timeout=VERSION_SECONDS)
