"""The cache when there is no Redis: Django's file-based cache in the data folder, which every process of one
machine shares (gunicorn's workers, the task worker), so a rate limit counts the same for all of them.

Django's ``FileBasedCache`` implements ``add`` and ``incr`` as a read followed by a write, and its ``incr``
rewrites the entry with the default timeout. For rate limits that would lose hits when two workers count at
once, and would let a window's counter expire early. Here both take a lock file shared by every process, and
``incr`` keeps the entry's expiry. When the folder holds more than ``MAX_ENTRIES`` entries, expired ones go
first; live ones are dropped at random (Django's way) only if that is not enough.

Rate limits count with ``count_hit``: one read and one write of the counter's file under the lock, instead of
``add`` then ``incr`` (each a ``set`` that lists the whole folder to cull it: milliseconds once there are
thousands of counters). Culling then runs once every ``CULL_EVERY_NEW`` new counters per process, so the
folder may pass ``MAX_ENTRIES`` by that many (times the processes) between two culls.
"""

import os
import pickle
import random
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

# New counters written by one process between two culls of the folder (see count_hit).
CULL_EVERY_NEW = 100


class SharedFileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._new_since_cull = 0

    @contextmanager
    def _counter_lock(self) -> Iterator[None]:
        self._createdir()
        with open(os.path.join(self._dir, "counters.lock"), "ab") as handle:
            locks.lock(handle, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(handle)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        with self._counter_lock():
            return super().add(key, value, timeout, version)

    @staticmethod
    def _read_counter(fname: str):
        """(expiry, value) of the entry in ``fname``, or (0, None) when there is none. Call it under the
        counters' lock."""
        try:
            # What Django's own get() reads: our files, in a folder only this user may open.
            with open(fname, "rb") as handle:
                expiry = pickle.load(handle)  # noqa: S301
                return expiry, pickle.loads(zlib.decompress(handle.read()))  # noqa: S301
        except (FileNotFoundError, EOFError):
            return 0, None

    def incr(self, key, delta=1, version=None):
        with self._counter_lock():
            expiry, value = self._read_counter(self._key_to_file(key, version))
            now = time.time()
            if value is None or (expiry is not None and expiry < now):
                raise ValueError(f"Key '{key}' not found")
            new_value = value + delta
            # Django turns a timeout back into an expiry by adding the current time: the same instant again.
            self.set(key, new_value, None if expiry is None else max(expiry - now, 0.001), version)
            return new_value

    def count_hit(self, key, timeout: float, version=None) -> int:
        """Adds 1 to the counter ``key`` and returns its new value. A missing or expired counter starts
        again at 1 and expires ``timeout`` seconds from now; a live one keeps its expiry."""
        fname = self._key_to_file(key, version)
        with self._counter_lock():
            now = time.time()
            value, expiry = 0, now + timeout
            stored_expiry, stored = self._read_counter(fname)
            if stored is not None and (stored_expiry is None or stored_expiry >= now):
                value, expiry = stored, stored_expiry
            value += 1
            fd, tmp_path = tempfile.mkstemp(dir=self._dir)
            try:
                with open(fd, "wb") as handle:
                    handle.write(pickle.dumps(expiry, self.pickle_protocol))
                    handle.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
                os.replace(tmp_path, fname)
            except BaseException:
                os.remove(tmp_path)
                raise
            if value == 1:
                self._new_since_cull += 1
                if self._new_since_cull >= CULL_EVERY_NEW:
                    self._new_since_cull = 0
                    self._cull()
        return value

    def _cull(self) -> None:
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        live = [name for name in files if not self._expired_file(name)]
        if len(live) >= self._max_entries:
            for name in random.sample(live, len(live) // max(self._cull_frequency, 1)):
                self._delete(name)

    def _expired_file(self, name: str) -> bool:
        """Whether the entry in file ``name`` has expired; an expired (or vanished) one is deleted."""
        try:
            with open(name, "rb") as handle:
                return self._is_expired(handle)
        except FileNotFoundError:
            return True
