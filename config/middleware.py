"""Small middleware of our own.

Bad URLs refused early, signed-in pages kept out of shared caches, a database outage
answered with the 503 page.
"""

import logging
import re
import unicodedata
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse

from config.logging import request_id
from config.views import DATABASE_UNAVAILABLE, database_unavailable, error_page

logger = logging.getLogger(__name__)

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Text people type into a search box may hold these; no URL needs any other control character.
QUERY_CONTROLS_ALLOWED = {"\n", "\r", "\t"}


def has_control_characters(value: str, allowed: set[str] | frozenset[str] = frozenset()) -> bool:
    return any(unicodedata.category(char) == "Cc" and char not in allowed for char in value)


class RequestIdMiddleware:
    """Each request's id (nginx's X-Request-ID, else a new one) in every log line it causes and in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        current = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(current)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = current
        return response


class RejectControlCharactersMiddleware:
    """A NUL or other control character in the path is a 404, in the query string a 400.

    PostgreSQL refuses NUL in any string it is sent (a 500 from every view that looks
    a path segment or a filter up), and no page of ours has a use for them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_control_characters(request.path_info):
            raise Http404
        for name, values in request.GET.lists():
            if has_control_characters(name) or any(
                has_control_characters(value, QUERY_CONTROLS_ALLOWED) for value in values
            ):
                raise BadRequest("control characters in the query string")
        return self.get_response(request)


class LimitRequestSizeMiddleware:
    """A request announcing more than MAX_REQUEST_MB is answered 413 before a byte of its body is read.

    The proxy refuses it first in production (client_max_body_size); this covers the rest.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_MB * 1024 * 1024:
            return error_page("413", 413, limit_mb=settings.MAX_REQUEST_MB)
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Responses to a signed-in person are theirs alone: `Cache-Control: private, no-store`.

    A view that says otherwise (photos, health checks) sets its own header, which is kept.
    Placed after the authentication middleware; request.user is already loaded by then
    for every page that needs a log-in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response


class DatabaseUnavailableMiddleware:
    """While the database cannot be reached, pages answer the "back in a moment" page (503), not a 500.

    The first query of most requests is the person's session, which the log-in check
    loads: this middleware loads it first (before LoginRequiredMiddleware), so that an
    outage there is a 503 too. Views that need no log-in (health checks) are left to
    answer for themselves. One warning line per refused request, no traceback.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if not getattr(view_func, "login_required", True):
            return None
        try:
            request.user.is_authenticated  # noqa: B018 (loads the session and the person)
        except DATABASE_UNAVAILABLE as error:
            return self.unavailable(request, error)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return self.unavailable(request, exception)
        return None

    def unavailable(self, request: HttpRequest, error: Exception) -> HttpResponse:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        logger.warning("database unavailable for %s: %s", request.path, first_line)
        return database_unavailable()
