"""Health checks and the error pages: none of them needs a person, and the error pages need no database."""

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
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
