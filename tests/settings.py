"""Test settings: the real settings, configured through the environment the way an operator would,
plus a few things only tests want (fast password hashing, tasks run at once)."""

import os
import tempfile
import time

os.environ.setdefault("GROUNDSWELL_DATA_DIR", tempfile.mkdtemp(prefix="groundswell-test-"))
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ["GROUNDSWELL_TASKS"] = "immediate"
os.environ["GROUNDSWELL_STATIC_MANIFEST"] = "0"
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# The production pass (`make test-production`) runs the suite on what an operator configures for several app
# servers: REDIS_URL and object storage (GROUNDSWELL_S3_*), under GROUNDSWELL_TEST_PRODUCTION=1. Otherwise
# tests never touch a developer's Redis or bucket; the Redis checks bring their own.
PRODUCTION_PROFILE = os.environ.get("GROUNDSWELL_TEST_PRODUCTION") == "1"
if PRODUCTION_PROFILE:
    # A prefix of this run's own in the bucket: files other runs left behind are not this run's orphans.
    os.environ["GROUNDSWELL_S3_PREFIX"] = f"test-run-{os.getpid()}-{int(time.time())}"
else:
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("GROUNDSWELL_S3_BUCKET", None)

from groundswell.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303 -- tests only
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# The default caches (files shared by processes, see groundswell/core/cache.py), not local memory, so tests
# run what production without Redis runs; in folders of this run's own, so a `make run` sharing the data
# folder or another test run at the same time never clears or counts into them.
if not REDIS_URL:  # noqa: F405
    CACHES = {
        alias: {**CACHES[alias], "LOCATION": tempfile.mkdtemp(prefix=f"groundswell-test-{alias}-")}  # noqa: F405
        for alias in ("default", "ratelimit")
    }

# SQLite in a file rather than in memory: tests that write from several threads at once (the RSVP
# concurrency test) need what production has, a file in WAL mode where writers queue behind a lock.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.mkdtemp(prefix="groundswell-test-db-"), "test.sqlite3")
    }
