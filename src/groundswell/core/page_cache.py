"""Whole public documents in the shared cache, and the versions that invalidate them.

A public page or data document is stored under a key built from what its body depends on: the view, the path,
the query, the language and the *public versions* of the scopes it shows (a campaign, an action). A version is
a random token in the shared cache (Redis, or the file cache every process of one machine shares); a service
that changes what the public may see gives the scopes it touched new tokens once its transaction commits
(``public_changed``), so every document built from the old data is passed over at once, on every app server
that shares the cache. Tokens, not counters: should the cache drop a token, the next read makes a new one, and
a document stored under the old one is never taken for current.

The cache is an accelerator, never a dependency: every operation here fails open. A cache that is down, full
or slow makes requests render as if nothing were cached; it never makes one fail.

Concurrent misses of one key render once: the first takes a short lock (``add``), the others wait for its
result for a moment and render themselves only if it does not come (a crashed or very slow renderer).
"""

import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

VERSION_SECONDS = 30 * 24 * 3600
LOCK_SECONDS = 10  # a renderer that died leaves its lock this long at most
WAIT_SECONDS = 3.0  # how long a concurrent miss waits for the renderer before rendering itself
WAIT_STEP = 0.02


def _version_key(scope: str, ident) -> str:
    # Hashed: a slug comes from the URL and may hold anything (a key must not).
    return f"public-version:{scope}:{hashlib.sha256(str(ident).encode()).hexdigest()[:24]}"


def _safe(operation: Callable, default=None):
    """Runs a cache operation; any failure (Redis down, a full disk) is logged once per call and gives
    ``default``."""
    try:
        return operation()
    except Exception:  # noqa: BLE001 -- the cache must never turn a request into an error
        logger.warning("cache unavailable", exc_info=True)
        return default


def public_versions(*scopes: tuple[str, object]) -> str:
    """The current tokens of ``scopes`` (pairs such as ``("campaign", "clean-water")``), joined. A scope
    with no token gets one. With the cache down, a fresh random value: nothing stored can match it."""
    keys = [_version_key(scope, ident) for scope, ident in scopes]
    found = _safe(lambda: cache.get_many(keys))
    if found is None:
        return secrets.token_hex(8)
    tokens = []
    for key in keys:
        token = found.get(key)
        if token is None:
            token = secrets.token_hex(8)
            # add, not set: two processes making the first token at once agree on one.
            if not _safe(lambda key=key, token=token: cache.add(key, token, timeout=VERSION_SECONDS), False):
                token = _safe(lambda key=key: cache.get(key)) or token
        tokens.append(token)
    return ".".join(tokens)


def _bump(keys: list[str]) -> None:
    _safe(lambda: cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=VERSION_SECONDS))


def public_changed(*, campaign_slug: str | None = None, action_ids=()) -> None:
    """What the public may see of this campaign (and of these actions) changed: documents built before are
    stale. The versions change now and again when the current transaction commits: a reader between the two
    may store what it read before the commit under the first new version, which the second leaves behind.
    """
    keys = []
    if campaign_slug:
        keys.append(_version_key("campaign", campaign_slug))
    keys.extend(_version_key("action", action_id) for action_id in action_ids if action_id)
    if keys:
        _bump(keys)
        transaction.on_commit(lambda: _bump(keys))


def document_key(*parts) -> str:
    return "public-document:" + hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


class _ProcessMemo:
    """The most recently served documents of this process, decoded, so that a hot page is not read back from
    the shared cache (a file, or Redis) and unpickled on every request. Keys carry the public versions, which
    are read from the shared cache on every request: a change is seen here as soon as anywhere."""

    def __init__(self, max_bytes: int):
        self.max_bytes, self.bytes, self.items, self.lock = max_bytes, 0, OrderedDict(), threading.Lock()

    def get(self, key: str):
        with self.lock:
            item = self.items.get(key)
            if item is not None:
                self.items.move_to_end(key)
            return item

    def put(self, key: str, built_at: float, value, size: int) -> None:
        with self.lock:
            if key in self.items:
                self.bytes -= self.items.pop(key)[2]
            self.items[key] = (built_at, value, size)
            self.bytes += size
            while self.bytes > self.max_bytes and self.items:
                self.bytes -= self.items.popitem(last=False)[1][2]

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.bytes = 0


MEMO = _ProcessMemo(max_bytes=32 * 1024 * 1024)


def _size(value) -> int:
    body = value.get("body", b"") if isinstance(value, dict) else b""
    return len(body) + 1024


def cached_document(key: str, render: Callable[[], object | None], *, fresh_for: int, keep_for: int):
    """The value stored under ``key``, else ``render()``'s, stored unless it is None (not storable).

    A value is fresh for ``fresh_for`` seconds and kept for ``keep_for``: past its freshness one request
    renders it again while the others are still given the stale one (stale-while-revalidate on the server;
    the key carries the data versions, so "stale" only ever means older in time, never older data).
    Concurrent misses of a key with nothing stored wait for one renderer.
    """
    remembered = MEMO.get(key)
    if remembered is not None and time.time() - remembered[0] < fresh_for:
        return remembered[1]
    stored = _safe(lambda: cache.get(key))
    if stored is not None:
        built_at, value = stored
        if time.time() - built_at < fresh_for:
            MEMO.put(key, built_at, value, _size(value))
            return value
        if not _safe(lambda: cache.add(key + ":lock", 1, timeout=LOCK_SECONDS), False):
            return value  # another request is renewing it
        return _render_and_store(key, render, keep_for=keep_for)
    lock = key + ":lock"
    if _safe(lambda: cache.add(lock, 1, timeout=LOCK_SECONDS), True):
        return _render_and_store(key, render, keep_for=keep_for)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        stored = _safe(lambda: cache.get(key))
        if stored is not None:
            return stored[1]
        if not _safe(lambda: cache.has_key(lock), False):
            break  # the renderer gave up (its result was not storable, or it failed)
    return render()


def _render_and_store(key: str, render: Callable[[], object | None], *, keep_for: int):
    """Renders under the lock the caller holds, stores, and lets the lock go."""
    try:
        value = render()
        if value is not None:
            built_at = time.time()
            _safe(lambda: cache.set(key, (built_at, value), timeout=keep_for))
            MEMO.put(key, built_at, value, _size(value))
        return value
    finally:
        _safe(lambda: cache.delete(key + ":lock"))
