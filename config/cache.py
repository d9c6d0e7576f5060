"""The shared cache, failing soft: a cache that cannot answer is a miss, never an error page.

Django's Redis backend raises when Redis is down. Everything we keep in the cache
can be computed again from the database, so every read and write goes through
these helpers: when the cache fails, pages are slower, never broken.
"""

import logging
import time
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.core.cache.backends import redis as django_redis
from django.db import transaction
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)


# After a failure the cache is left alone for a few seconds in this process: a Redis that
# hangs would otherwise cost every call its timeout, and log a traceback each time.
PAUSE_AFTER_FAILURE = 5.0
_paused_until = 0.0


def _available() -> bool:
    return time.monotonic() >= _paused_until


def _failed(action: str) -> None:
    global _paused_until
    if _available():
        logger.warning("the cache could not %s; leaving it alone for %s s", action, PAUSE_AFTER_FAILURE, exc_info=True)
    _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE


def cache_resume() -> None:
    """Use the cache again at once (tests that take it down and bring it back)."""
    global _paused_until
    _paused_until = 0.0


def cache_get_many(keys: Iterable[str]) -> dict[str, Any]:
    """The cached values of `keys` that are there; nothing at all when the cache fails."""
    if not _available():
        return {}
    try:
        return cache.get_many(list(keys))
    except Exception:  # any cache failure is a miss: the page must not fail
        _failed("be read")
        return {}


def cache_set_many(values: dict[str, Any], *, timeout: int | None) -> None:
    if not _available():
        return
    try:
        cache.set_many(values, timeout=timeout)
    except Exception:
        _failed("be written")


def cache_add(key: str, value: Any, *, timeout: int | None) -> None:
    if not _available():
        return
    try:
        cache.add(key, value, timeout=timeout)
    except Exception:
        _failed("be written")


# Generations: a key whose value changes whenever a family of cached values goes out of
# date. Each value is stored with the generation read before computing it, and is current
# only while that generation is: a write that lands while a request computes the old value
# starts a new generation, so the old value is never taken for current, whatever the timing.


def generation_new(*keys: str, timeout: int | None = None) -> None:
    """Start new generations: every value stored with an earlier one is out of date."""
    cache_set_many({key: uuid.uuid4().hex for key in keys}, timeout=timeout)


def generation_start(key: str, *, timeout: int | None = None) -> str | None:
    """The generation after finding none (first use, or evicted); None when the cache fails."""
    cache_add(key, uuid.uuid4().hex, timeout=timeout)
    return cache_get_many([key]).get(key)


def generation_changed(*keys: str, timeout: int | None = None) -> None:
    """Start new generations now, and again when the current transaction commits.

    Again, because between now and the commit another request may read the old rows
    from the database and store them under the new generation.
    """
    if keys:
        generation_new(*keys, timeout=timeout)
        transaction.on_commit(lambda: generation_new(*keys, timeout=timeout))


def generation_get(key: str, generation_key: str, found: dict, *, timeout: int | None = None) -> tuple[Any, str | None]:
    """The value under `key` if it belongs to the current generation (else None), and that generation.

    `found` is a cache read that asked for both keys. With no generation yet, one is
    started; the generation is None only when the cache fails (then store nothing).
    """
    generation, entry = found.get(generation_key), found.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1], generation
    if generation is None:
        generation = generation_start(generation_key, timeout=timeout)
    return None, generation


def generation_set(key: str, value: Any, generation: str | None, *, timeout: int | None) -> None:
    """Store `value` (computed after reading `generation`) under `key`."""
    if generation is not None:
        cache_set_many({key: (generation, value)}, timeout=timeout)


class _RedisCacheClient(django_redis.RedisCacheClient):
    # Django builds a new redis.Redis for every cache call, and each one copies redis-py's
    # table of about 170 response callbacks: a tenth of a warm feed request went there.
    # A redis.Redis is safe to share between threads (its pool hands out connections).
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # No retries: a cache call that fails is a miss, and the next ones wait (PAUSE_AFTER_FAILURE).
            client = self._clients[id(pool)] = self._client(connection_pool=pool, retry=Retry(NoBackoff(), 0))
        return client


class RedisCache(django_redis.RedisCache):
    """Django's Redis cache, with one client per connection pool instead of one per call.

    Keys are not checked for memcached: Redis takes any key, and the check walks every
    character of every key (twenty-odd keys on a feed page).
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _RedisCacheClient

    def validate_key(self, key):
        pass
