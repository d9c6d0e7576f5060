"""The shared cache, failing soft: a cache that cannot answer is a miss, never an error page.

Django's Redis backend raises when Redis is down. Nothing we keep in the cache is the
only copy of anything (config/fragments.py), so every read and write goes through
these two helpers: when the cache fails, pages are slower, never broken, never stale.
"""

import logging
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends import redis as django_redis
from django.core.checks import Warning
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

# After a failure this process leaves the cache alone for a few seconds: a Redis that hangs
# would otherwise cost every call its timeout, and log a traceback each time.
PAUSE_AFTER_FAILURE = 5.0
_paused_until = 0.0


def _failed(action: str) -> None:
    global _paused_until
    if time.monotonic() >= _paused_until:
        logger.warning("the cache could not %s; leaving it alone for %s s", action, PAUSE_AFTER_FAILURE, exc_info=True)
    _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE


def cache_resume() -> None:
    """Use the cache again at once (tests that take it down and bring it back)."""
    global _paused_until
    _paused_until = 0.0


def cache_get_many(keys: list[str]) -> dict[str, Any]:
    """The cached values of `keys` that are there; nothing at all when the cache fails."""
    if time.monotonic() < _paused_until:
        return {}
    try:
        return cache.get_many(keys)
    except Exception:  # any cache failure is a miss: the page must not fail
        _failed("be read")
        return {}


def cache_set_many(values: dict[str, Any], *, timeout: int) -> None:
    if not values or time.monotonic() < _paused_until:
        return
    try:
        cache.set_many(values, timeout=timeout)
    except Exception:
        _failed("be written")


class _RedisCacheClient(django_redis.RedisCacheClient):
    # Django builds a new redis.Redis for every call, copying redis-py's table of about 170
    # response callbacks each time; one client per connection pool is enough (it is thread-safe).
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # No retries: a failed call is a miss, and the next ones wait (PAUSE_AFTER_FAILURE).
            client = self._clients[id(pool)] = self._client(connection_pool=pool, retry=Retry(NoBackoff(), 0))
        return client


class RedisCache(django_redis.RedisCache):
    """Django's Redis cache with one client per connection pool, and no memcached key check (Redis takes any key)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _RedisCacheClient

    def validate_key(self, key):
        pass


def check_shared_cache(app_configs=None, **kwargs) -> list[Warning]:
    """Warn when production runs on a cache that each process keeps to itself (registered in StoriesConfig.ready).

    Nothing would be stale (fragments are keyed on what they show), but each process
    would draw every fragment again for itself: set REDIS_URL.
    """
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or not backend.endswith("LocMemCache"):
        return []
    return [
        Warning(
            "The cache is local to each process.",
            hint="Set REDIS_URL so that the app processes share one cache (README, Production).",
            id="config.W001",
        )
    ]
