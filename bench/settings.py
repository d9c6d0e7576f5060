"""The site's settings plus the benchmark's pages and its cold-cache switch (DJANGO_SETTINGS_MODULE=bench.settings)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# First, so that the cache is empty before anything of the request reads it.
MIDDLEWARE = ["bench.middleware.cold_cache", *MIDDLEWARE]  # noqa: F405
