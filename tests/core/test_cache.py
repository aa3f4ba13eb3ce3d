"""The default cache without Redis: files in the data folder that every process of the machine shares, so
gunicorn's workers count one rate limit together instead of one each."""

import json
import os
import pickle
import random
import subprocess
import sys
import time

import pytest
from django.core.cache import caches

from groundswell.core.cache import SharedFileCache
from groundswell.core.ratelimit import rate_limit_count, rate_limit_hit

# Run by separate interpreters with the real settings: count `hits` hits (after waiting until `start`, so that
# processes started together count at the same moment) and print the backend and the last count.
COUNTER = """
import sys, time
import django
django.setup()
from django.conf import settings
from groundswell.core.ratelimit import rate_limit_hit
hits, start = int(sys.argv[1]), float(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
for _ in range(hits):
    count = rate_limit_hit(scope="test", key="shared", window_s=10**8)
print(settings.CACHES["ratelimit"]["BACKEND"], count if hits else 0)
"""


def _env(data_dir, **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"}
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "groundswell.settings",
        "GROUNDSWELL_DATA_DIR": str(data_dir),
        **extra,
    }


def _start(data_dir, hits: int, start: float = 0.0, **extra) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 -- our own interpreter and code
        [sys.executable, "-c", COUNTER, str(hits), str(start)],
        env=_env(data_dir, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _result(process: subprocess.Popen) -> list[str]:
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    return stdout.split()


def test_two_processes_see_the_same_counter(tmp_path):
    first = _result(_start(tmp_path, hits=1))
    second = _result(_start(tmp_path, hits=1))

    assert first == ["groundswell.core.cache.SharedFileCache", "1"]
    assert second == ["groundswell.core.cache.SharedFileCache", "2"]
    assert (tmp_path / "ratelimit").is_dir()


def test_processes_counting_at_once_lose_no_hit(tmp_path):
    start = time.time() + 3  # after every interpreter has started
    processes = [_start(tmp_path, hits=150, start=start) for _ in range(3)]
    counts = sorted(int(_result(process)[1]) for process in processes)

    assert counts[-1] == 450
    assert _result(_start(tmp_path, hits=1)) == ["groundswell.core.cache.SharedFileCache", "451"]


def test_redis_url_still_selects_redis(tmp_path):
    assert _result(_start(tmp_path, hits=0, REDIS_URL="redis://127.0.0.1:6379/15"))[0] == (
        "django_redis.cache.RedisCache"
    )


# Run with the real settings: the cache aliases as JSON.
SHOW_CACHES = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps(settings.CACHES))
"""


def _caches(data_dir, **extra) -> dict:
    result = subprocess.run(  # noqa: S603 -- our own interpreter and code
        [sys.executable, "-c", SHOW_CACHES], env=_env(data_dir, **extra), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_rate_limits_have_a_cache_of_their_own(tmp_path):
    """Anything a visitor can make us cache must not share a size limit with the rate-limit counters."""
    files = _caches(tmp_path)
    assert files["ratelimit"]["BACKEND"] == "groundswell.core.cache.SharedFileCache"
    assert files["ratelimit"]["LOCATION"] == str(tmp_path / "ratelimit") != files["default"]["LOCATION"]
    assert files["ratelimit"]["OPTIONS"]["MAX_ENTRIES"] >= files["default"]["OPTIONS"]["MAX_ENTRIES"]

    redis = _caches(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15")
    # The same Redis server (it evicts only under its maxmemory policy), under another prefix.
    assert redis["ratelimit"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert redis["ratelimit"]["LOCATION"] == redis["default"]["LOCATION"] == "redis://127.0.0.1:6379/15"
    assert redis["ratelimit"]["KEY_PREFIX"] != redis["default"]["KEY_PREFIX"]


def test_filling_the_page_cache_evicts_no_rate_limit_counter(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "groundswell.core.cache.SharedFileCache",
            "LOCATION": str(tmp_path / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 10},
        },
        "ratelimit": {
            "BACKEND": "groundswell.core.cache.SharedFileCache",
            "LOCATION": str(tmp_path / "ratelimit"),
            "OPTIONS": {"MAX_ENTRIES": 10},
        },
    }
    for _ in range(3):
        rate_limit_hit(scope="test", key="client", window_s=3600)
    random.seed(0)  # culling picks live entries at random
    for number in range(100):  # a flood of distinct searches, each cached
        caches["default"].set(f"page-{number}", "x" * 100, timeout=3600)

    assert len(caches["default"]._list_cache_files()) <= 10  # it was culled
    assert rate_limit_count(scope="test", key="client", window_s=3600) == 3


@pytest.fixture
def file_cache(tmp_path):
    return SharedFileCache(str(tmp_path / "cache"), {"OPTIONS": {"MAX_ENTRIES": 10}})


def _expiry_of(cache: SharedFileCache, key: str) -> float | None:
    with open(cache._key_to_file(key), "rb") as handle:
        return pickle.load(handle)  # noqa: S301 -- the test's own cache file


def test_incr_keeps_the_entry_expiry(file_cache):
    assert file_cache.add("window", 1, timeout=3600)
    expiry = _expiry_of(file_cache, "window")
    assert not file_cache.add("window", 1, timeout=3600)

    assert file_cache.incr("window") == 2
    assert file_cache.incr("window", 5) == 7
    assert file_cache.get("window") == 7
    # Django's own FileBasedCache.incr rewrites the entry with the default timeout (300 s): a window's counter
    # would expire long before the window ends.
    assert _expiry_of(file_cache, "window") == pytest.approx(expiry, abs=1)

    file_cache.set("forever", 1, timeout=None)
    assert file_cache.incr("forever") == 2
    assert _expiry_of(file_cache, "forever") is None


def test_incr_of_a_missing_or_expired_entry_raises_value_error(file_cache):
    with pytest.raises(ValueError):
        file_cache.incr("missing")
    file_cache.set("gone", 1, timeout=0.01)
    time.sleep(0.05)
    with pytest.raises(ValueError):
        file_cache.incr("gone")
    assert file_cache.get("gone") is None


def test_a_full_cache_drops_expired_entries_before_live_ones(file_cache):
    for number in range(6):
        file_cache.set(f"old-{number}", number, timeout=0.01)
    time.sleep(0.05)
    for number in range(5):
        file_cache.set(f"live-{number}", number, timeout=3600)

    assert [file_cache.get(f"live-{number}") for number in range(5)] == list(range(5))
    assert len(file_cache._list_cache_files()) == 5


def test_count_hit_counts_from_one_and_keeps_the_window_expiry(file_cache):
    assert [file_cache.count_hit("window", timeout=3600) for _ in range(3)] == [1, 2, 3]
    expiry = _expiry_of(file_cache, "window")
    assert expiry == pytest.approx(time.time() + 3600, abs=5)

    time.sleep(0.01)
    assert file_cache.count_hit("window", timeout=3600) == 4
    assert _expiry_of(file_cache, "window") == expiry  # a hit never moves the end of the window
    assert file_cache.get("window") == 4


def test_count_hit_starts_again_after_the_window_expired(file_cache):
    assert file_cache.count_hit("short", timeout=0.01) == 1
    time.sleep(0.05)

    assert file_cache.count_hit("short", timeout=3600) == 1
    assert _expiry_of(file_cache, "short") == pytest.approx(time.time() + 3600, abs=5)


def test_count_hit_culls_the_folder_once_every_so_many_new_counters(file_cache, monkeypatch):
    monkeypatch.setattr("groundswell.core.cache.CULL_EVERY_NEW", 5)
    for number in range(6):
        file_cache.set(f"old-{number}", number, timeout=0.01)
    time.sleep(0.05)
    for number in range(4):  # four new counters: no cull yet, the expired entries are still there
        file_cache.count_hit(f"client-{number}", timeout=3600)
        file_cache.count_hit(f"client-{number}", timeout=3600)  # a second hit is no new counter
    assert len(file_cache._list_cache_files()) == 10

    file_cache.count_hit("client-4", timeout=3600)  # the fifth: the folder is over its limit, culled

    assert sorted(file_cache.get(f"client-{number}") for number in range(5)) == [1, 2, 2, 2, 2]
    assert len(file_cache._list_cache_files()) == 5
