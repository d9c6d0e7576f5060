"""Health checks, the error pages (none needs a person; the error pages need no database), and the installable app."""

import functools
import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.cache import cache_get_many

logger = logging.getLogger(__name__)

# What a database that cannot be reached raises (refused, reset, restarting, timed out).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers: no session, no database."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 503 when the database does not answer. The cache is reported, but pages survive without it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError as error:
        logger.warning("readiness: the database does not answer (%s)", type(error).__name__)
        database = "unavailable"
    cache_get_many(["readyz"])  # fails soft; a failure pauses the cache and is logged there
    body = f"database: {database}\n"
    return HttpResponse(body, content_type="text/plain", status=200 if database == "ok" else 503)


def error_page(template: str, status: int, **context) -> HttpResponse:
    """An error page in our layout, drawn from the template alone (no request context, no database)."""
    response = HttpResponse(render_to_string(f"errors/{template}.html", context), status=status)
    response["Cache-Control"] = "no-store"
    return response


def database_unavailable() -> HttpResponse:
    response = error_page("503", 503)
    response["Retry-After"] = "30"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page("400", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page("403", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page("404", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or the 503 page when what failed was reaching the database (outside a view)."""
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
        return database_unavailable()
    return error_page("500", 500)


# The installable app (issue 16): a web app manifest, a service worker at the site's root, an offline page.

# The worker's script: the offline drafts' store (shared with the pages), then the worker itself.
SERVICE_WORKER = [settings.BASE_DIR / "static" / "js" / name for name in ("draft-store.js", "sw.js")]


@login_not_required
@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest, in the reader's language; icons by their versioned static URLs."""
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": static("img/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
    ]
    values = {
        "id": "/stories/",
        "name": gettext("Service stories"),
        "short_name": gettext("Stories"),
        "description": gettext("Service stories from the stores of the network"),
        "lang": get_language(),
        "start_url": reverse("stories:feed"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#123c69",
        "icons": icons,
    }
    response = JsonResponse(values, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@functools.cache
def service_worker_source() -> bytes:
    return b"\n".join(path.read_bytes() for path in SERVICE_WORKER)


@login_not_required
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js, served from the root so that it controls every page (Service-Worker-Allowed: /).

    Browsers check it for updates on each visit; a short cache keeps that check cheap.
    """
    response = HttpResponse(service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_safe
def offline(request: HttpRequest, language: str) -> HttpResponse:
    """The page shown when a page cannot be reached; the service worker keeps one per language at install."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(language):
        return render(request, "offline.html", {"language": language})
