"""The installable app's version: what the service worker's caches are named after (issue 16)."""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language

from config.fragments import DEPLOY_VERSION


@functools.cache
def app_version() -> str:
    """The HTML's version and the static files': a new one makes the service worker replace its caches."""
    digest = hashlib.blake2b(DEPLOY_VERSION.encode(), digest_size=6)
    for path in sorted(Path(settings.BASE_DIR, "static").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def service_worker(request: HttpRequest) -> dict:
    """`service_worker_url`: the worker's script with the version and the page's language (its offline page)."""
    return {
        "service_worker_url": f"{reverse('service-worker')}?{urlencode({'v': app_version(), 'lang': get_language()})}"
    }
